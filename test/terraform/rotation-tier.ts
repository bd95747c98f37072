/**
 * Runs rotation scenarios through the `terraform` binary and turns what it left in state into the
 * same observations the rotation model produces, so that one invariant checker judges both.
 */
import {
  Observation,
  ObservedPassword,
  ReplaceOrder,
  Scenario,
  ScheduleConfig,
} from "../../src/credentials/rotation-model";
import {
  ApplyEvent,
  PlannedChange,
  StateResource,
  TerraformState,
  TfJson,
  Workspace,
} from "./harness";

/** What a scenario run through Terraform produced. */
export interface TierRun {
  /** One observation per step. */
  readonly trace: Observation[];
  /**
   * Steps after which a delivery (the Key Vault secret's value or expiration date) did not match
   * the published secret, with what it held.
   */
  readonly deliveryMismatches: string[];
  /** The plan's resource changes of each step, for assertions on replacement order. */
  readonly changes: PlannedChange[][];
  /** The operations each step's apply ran, in order. */
  readonly events: ApplyEvent[][];
  /** The state after each step. */
  readonly states: TerraformState[];
}

/** How to run a scenario. */
export interface TierOptions {
  /** Synthesizes the stack for the settings of a step. */
  readonly synth: (config: ScheduleConfig) => TfJson;
  /** The published secret's value among the state's outputs. */
  readonly published: (outputs: Readonly<Record<string, unknown>>) => unknown;
  /** Keeps the working directory (to inspect it) instead of deleting it. */
  readonly keep?: boolean;
}

const PASSWORD = "azuread_application_password";

/** Runs one scenario from an empty state and observes every step. */
export async function runInTerraform(scenario: Scenario, options: TierOptions): Promise<TierRun> {
  const ws = Workspace.create(scenario.name);
  const synthesized = new Map<string, TfJson>();
  let written = "";
  let config: ScheduleConfig = { ...scenario.config };
  const trace: Observation[] = [];
  const deliveryMismatches: string[] = [];
  const allChanges: PlannedChange[][] = [];
  const allEvents: ApplyEvent[][] = [];
  const states: TerraformState[] = [];
  try {
    for (const step of scenario.steps) {
      config = { ...config, ...defined(step.config ?? {}) };
      const key = JSON.stringify(config);
      if (key !== written) {
        if (!synthesized.has(key)) synthesized.set(key, options.synth(config));
        ws.write(synthesized.get(key)!);
        written = key;
      }
      const before = ws.state();
      let changes: PlannedChange[] = [];
      let events: ApplyEvent[] = [];
      let forgotten: string[] = [];
      switch (step.kind) {
        case "apply":
          ({ changes, events } = await ws.apply(step.at));
          break;
        case "refresh":
          await ws.refresh(step.at);
          break;
        case "plan":
          await ws.plan(step.at);
          break;
        case "forget-and-apply": {
          const passwords = before.resources.filter((r) => r.original?.type === PASSWORD);
          forgotten = passwords.map((r) => r.id);
          await ws.stateRm(passwords.map((r) => `${PASSWORD}.${r.original!.name}`));
          ({ changes, events } = await ws.apply(step.at));
          break;
        }
      }
      const after = ws.state();
      states.push(after);
      allChanges.push(changes);
      allEvents.push(events);
      const was = new Set(passwordsOf(before).map((p) => p.key));
      const now = passwordsOf(after);
      const is = new Set(now.map((p) => p.key));
      const published = options.published(after.outputs);
      trace.push({
        step,
        config,
        passwords: now,
        created: now.filter((p) => !was.has(p.key)).map((p) => p.key),
        destroyed: [...was].filter((k) => !is.has(k) && !forgotten.includes(k)),
        forgotten,
        published: typeof published === "string" ? published : undefined,
        replaceOrders: changes
          .filter((c) => c.address.includes(`.${PASSWORD}__`) && c.actions.length === 2)
          .map((c): ReplaceOrder =>
            c.actions[0] === "create" ? "create-then-delete" : "delete-then-create",
          ),
      });
      const mismatch = deliveryMismatch(after, now, published);
      if (mismatch) deliveryMismatches.push(`${step.kind} at ${step.at}: ${mismatch}`);
    }
  } finally {
    if (!options.keep) ws.remove();
  }
  return { trace, deliveryMismatches, changes: allChanges, events: allEvents, states };
}

/** The password stand-ins in a state, in slot order. */
export function passwordsOf(state: TerraformState): ObservedPassword[] {
  return state.resources
    .filter((r): r is StateResource & { original: NonNullable<StateResource["original"]> } =>
      Boolean(r.original && r.original.type === PASSWORD && !r.deposed),
    )
    .map((r) => ({
      key: r.id,
      slot: /SecretSlot([AB])/.exec(r.original.name)?.[1] ?? r.original.name,
      periodStart: seconds(r.output.rotate_when_changed?.period_start),
      end: seconds(r.output.end_date),
    }))
    .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
}

/** The Key Vault secret must hold the published secret and its end date. */
function deliveryMismatch(
  state: TerraformState,
  passwords: readonly ObservedPassword[],
  published: unknown,
): string | undefined {
  const vault = state.resources.find((r) => r.original?.type === "azurerm_key_vault_secret");
  if (!vault) return undefined;
  const p = passwords.find((q) => q.key === published);
  if (!p) return `no password is published (output ${JSON.stringify(published)})`;
  if (vault.output.value !== published) {
    return `the vault holds ${JSON.stringify(vault.output.value)}, the output ${JSON.stringify(published)}`;
  }
  if (seconds(vault.output.expiration_date) !== p.end) {
    return `the vault's expiration date ${vault.output.expiration_date} is not the published password's end`;
  }
  return undefined;
}

function seconds(rfc3339: unknown): number {
  return typeof rfc3339 === "string" ? Date.parse(rfc3339) / 1000 : Number.NaN;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
