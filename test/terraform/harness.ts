/**
 * The real-Terraform tier's harness: converts any synthesized stack (`cdk.tf.json`) into a
 * configuration that the `terraform` binary runs with no provider at all, and drives it step by
 * step (apply at a simulated time, refresh-only, plan, state rm), reading what each step did from
 * the plan (`plan -out` + `show -json`) and the state.
 *
 * The conversion:
 * - every resource of a provider becomes a built-in `terraform_data` stand-in whose `input` holds
 *   the resource's arguments (so `output.<argument>` reads them back from state) and whose
 *   `triggers_replace` holds the arguments that force a new resource in the real provider
 *   ({@link FORCE_NEW}; for `azuread_application_password` all of them: `display_name`,
 *   `end_date`, `rotate_when_changed`, `start_date`, …), as a map, so that
 *   `lifecycle.ignore_changes` on one of them works as it does on the real resource;
 *   `lifecycle` (create_before_destroy, prevent_destroy, ignore_changes, replace_triggered_by) and
 *   `depends_on` are kept; pre- and postconditions, which test provider facts, are dropped;
 * - attributes that only the provider computes (`value`, `id`, `client_id`, `object_id`, …) read
 *   the stand-in's `id`, a new UUID whenever it is replaced, so a password's "value" changes
 *   exactly when the password is replaced;
 * - `provider::time::rfc3339_parse(plantimestamp())` and `plantimestamp()` read a variable `now`
 *   (Unix seconds) that each step sets, as Terraform's own plan time would be; any other provider
 *   function fails the conversion with a message naming it;
 * - data sources become string constants; providers, required_providers and the backend go.
 *
 * Reuse it for any change whose effect on Terraform matters (e.g. a vocabulary change):
 *
 *   const ws = Workspace.create("vocabulary-rename");
 *   ws.write(JSON.parse(Testing.synth(before)));      // converts and writes main.tf.json
 *   await ws.apply(now);                              // plan -out, show -json, apply -json
 *   ws.write(JSON.parse(Testing.synth(after)));
 *   const changes = await ws.plan(now);               // e.g. no assignment replaced
 *   ws.remove();
 *
 * {@link FORCE_NEW} says which arguments force a new resource, per type: extend it for a type
 * whose replacements a scenario depends on.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Synthesized Terraform JSON. */
export type TfJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Arguments that force a new resource in the real provider, by resource type. */
export const FORCE_NEW: Readonly<Record<string, "all" | readonly string[]>> = {
  // azuread 3.7.0: every argument of a password or certificate is ForceNew.
  azuread_application_password: "all",
  azuread_application_certificate: "all",
  azuread_app_role_assignment: ["app_role_id", "principal_object_id", "resource_object_id"],
  azuread_service_principal: ["client_id"],
  azuread_application_federated_identity_credential: ["application_id"],
  azurerm_key_vault_secret: ["name", "key_vault_id"],
  // time 0.13: a change of `triggers` replaces the wait (create_duration is updated in place).
  time_sleep: ["triggers"],
};

/** Attributes the provider computes when they are not set, with the stand-in's value. */
const COMPUTED_DEFAULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  azuread_application_password: {
    start_date: "${local.mc_now_rfc3339}",
    // Entra's default: two years.
    end_date: '${timeadd(local.mc_now_rfc3339, "17520h")}',
  },
};

const META_ARGUMENTS = new Set([
  "lifecycle",
  "depends_on",
  "count",
  "for_each",
  "provider",
  "provisioner",
  "connection",
  "//",
]);

/** A resource of the synthesized stack and its stand-in. */
export interface StandIn {
  /** The original resource type, e.g. `azuread_application_password`. */
  readonly type: string;
  /** The original resource name (the cdktf logical id). */
  readonly name: string;
  /** The stand-in's name: `terraform_data.<standIn>`. */
  readonly standIn: string;
}

/** A converted configuration and its stand-ins. */
export interface Converted {
  /** The configuration to write as `main.tf.json`. */
  readonly config: TfJson;
  /** Every stand-in, by its `terraform_data` name. */
  readonly standIns: ReadonlyMap<string, StandIn>;
}

/** The stand-in name of a resource: unique, and a valid Terraform identifier. */
export function standInName(type: string, name: string): string {
  return `${type}__${name}`;
}

/** The stand-in address of a resource address (`type.name` → `terraform_data.type__name`). */
export function standInAddress(address: string): string {
  const [type, ...rest] = address.split(".");
  return type === "terraform_data"
    ? address
    : `terraform_data.${standInName(type, rest.join("."))}`;
}

/** Converts a synthesized stack into a provider-free configuration (see the file's comment). */
export function convertStack(stack: TfJson): Converted {
  const standIns = new Map<string, StandIn>();
  const byAddress = new Map<string, StandIn & { args: Set<string> }>();
  for (const [type, resources] of Object.entries<TfJson>(stack.resource ?? {})) {
    if (type === "terraform_data") continue;
    for (const [name, body] of Object.entries<TfJson>(resources)) {
      const s = { type, name, standIn: standInName(type, name) };
      standIns.set(s.standIn, s);
      const args = new Set(Object.keys(body).filter((k) => !META_ARGUMENTS.has(k)));
      for (const k of Object.keys(COMPUTED_DEFAULTS[type] ?? {})) args.add(k);
      byAddress.set(`${type}.${name}`, { ...s, args });
    }
  }
  const rewrite = (v: unknown): TfJson => rewriteValue(v, byAddress) as TfJson;

  const out: TfJson = {
    terraform: stack.terraform?.required_version
      ? { required_version: stack.terraform.required_version }
      : {},
    variable: {
      ...(stack.variable ?? {}),
      now: { type: "number", description: "The simulated plan time, in Unix seconds." },
    },
    locals: {
      ...rewrite(stack.locals ?? {}),
      mc_now_rfc3339: '${timeadd("1970-01-01T00:00:00Z", format("%ds", var.now))}',
      mc_now_parsed: {
        unix: "${var.now}",
        year: '${tonumber(formatdate("YYYY", local.mc_now_rfc3339))}',
        month: '${tonumber(formatdate("M", local.mc_now_rfc3339))}',
        day: '${tonumber(formatdate("D", local.mc_now_rfc3339))}',
        hour: '${tonumber(formatdate("h", local.mc_now_rfc3339))}',
        minute: '${tonumber(formatdate("m", local.mc_now_rfc3339))}',
        second: '${tonumber(formatdate("s", local.mc_now_rfc3339))}',
      },
    },
    resource: { terraform_data: { ...rewrite(stack.resource?.terraform_data ?? {}) } },
  };
  for (const [address, s] of byAddress) {
    const body = stack.resource[s.type][s.name] as TfJson;
    if (body.count !== undefined || body.for_each !== undefined) {
      throw new Error(
        `${address}: count and for_each are not supported by the stand-in conversion yet`,
      );
    }
    const args: TfJson = {};
    for (const k of Object.keys(body)) if (!META_ARGUMENTS.has(k)) args[k] = rewrite(body[k]);
    for (const [k, v] of Object.entries(COMPUTED_DEFAULTS[s.type] ?? {})) {
      if (args[k] === undefined) args[k] = v;
    }
    const forceNewSpec = FORCE_NEW[s.type] ?? [];
    const forceNew = Object.keys(args).filter(
      (k) => (forceNewSpec === "all" || forceNewSpec.includes(k)) && body[k] !== undefined, // computed defaults never trigger a replacement
    );
    // The arguments as a local, so that triggers_replace can be a map (ignore_changes on one of
    // its keys only works on a map) built from them without writing HCL text.
    const local = `mc_args_${s.standIn}`;
    out.locals[local] = args;
    const data: TfJson = { input: `\${local.${local}}` };
    if (forceNew.length > 0) {
      data.triggers_replace = `\${tomap({ ${forceNew
        .map((k) => `${k} = jsonencode(local.${local}.${k})`)
        .join(", ")} })}`;
    }
    const lifecycle = convertLifecycle(body.lifecycle, forceNew, byAddress);
    if (lifecycle) data.lifecycle = lifecycle;
    if (Array.isArray(body.depends_on)) {
      const deps = body.depends_on.flatMap((d: string) => dependency(d, byAddress));
      if (deps.length > 0) data.depends_on = deps;
    }
    out.resource.terraform_data[s.standIn] = data;
  }
  if (stack.output) out.output = rewrite(stack.output);
  // A moved block's `from` is an address no longer in the configuration: both ends become the
  // stand-ins' addresses, so that Terraform moves the stand-in as it would move the resource.
  if (Array.isArray(stack.moved)) {
    out.moved = stack.moved.map((m: { from: string; to: string }) => ({
      from: standInAddress(m.from),
      to: standInAddress(m.to),
    }));
  }
  for (const block of ["removed", "import"] as const) {
    if (stack[block]) out[block] = rewrite(stack[block]);
  }
  const unsupported = /provider::[\w:]+/.exec(JSON.stringify(out));
  if (unsupported) {
    throw new Error(
      `unsupported provider function ${unsupported[0]}: add a stand-in for it to test/terraform/harness.ts`,
    );
  }
  return { config: out, standIns };
}

function convertLifecycle(
  lifecycle: TfJson | undefined,
  forceNew: readonly string[],
  byAddress: ReadonlyMap<string, StandIn & { args: Set<string> }>,
): TfJson | undefined {
  if (!lifecycle) return undefined;
  const out: TfJson = {};
  if (lifecycle.create_before_destroy !== undefined) {
    out.create_before_destroy = lifecycle.create_before_destroy;
  }
  if (lifecycle.prevent_destroy !== undefined) out.prevent_destroy = lifecycle.prevent_destroy;
  if (lifecycle.ignore_changes === "all") {
    out.ignore_changes = "all";
  } else if (Array.isArray(lifecycle.ignore_changes)) {
    const ignored: string[] = [];
    for (const attr of lifecycle.ignore_changes as string[]) {
      if (forceNew.includes(attr)) ignored.push(`triggers_replace["${attr}"]`);
    }
    // input is one object: keep its first value whole (its keys that force a new resource are
    // refreshed on every replacement anyway).
    ignored.push("input");
    out.ignore_changes = ignored;
  }
  if (Array.isArray(lifecycle.replace_triggered_by)) {
    out.replace_triggered_by = lifecycle.replace_triggered_by.map((r: string) =>
      String(rewriteValue(r, byAddress)),
    );
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function dependency(
  address: string,
  byAddress: ReadonlyMap<string, StandIn & { args: Set<string> }>,
): string[] {
  if (address.startsWith("data.")) return [];
  const s = byAddress.get(address);
  return s ? [`terraform_data.${s.standIn}`] : [address];
}

const REFERENCE =
  /(?<![\w.\-"/:])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)(\[(?:\d+|"[^"]*")\])?((?:\.[A-Za-z_][\w-]*|\[(?:\d+|"[^"]*")\])*)/g;

function rewriteValue(
  value: unknown,
  byAddress: ReadonlyMap<string, StandIn & { args: Set<string> }>,
): unknown {
  if (typeof value === "string") return rewriteString(value, byAddress);
  if (Array.isArray(value)) return value.map((v) => rewriteValue(v, byAddress));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, rewriteValue(v, byAddress)]),
    );
  }
  return value;
}

function rewriteString(
  s: string,
  byAddress: ReadonlyMap<string, StandIn & { args: Set<string> }>,
): string {
  let out = s
    .split("provider::time::rfc3339_parse(plantimestamp())")
    .join("local.mc_now_parsed")
    .replace(/\bplantimestamp\(\)/g, "local.mc_now_rfc3339")
    .replace(/\btimestamp\(\)/g, "local.mc_now_rfc3339");
  out = out.replace(REFERENCE, (whole, data, type, name, index, rest: string) => {
    if (data) return JSON.stringify(`stand-in for ${whole}`);
    const s = byAddress.get(`${type}.${name}`);
    if (!s) return whole;
    const base = `terraform_data.${s.standIn}${index ?? ""}`;
    if (!rest) return base;
    const attr = /^\.([A-Za-z_][\w-]*)/.exec(rest)?.[1];
    if (attr !== undefined && s.args.has(attr)) return `${base}.output${rest}`;
    // Computed by the provider: the stand-in's id, which changes on every replacement.
    return rest.slice(attr !== undefined ? attr.length + 1 : 0) === ""
      ? `${base}.id`
      : JSON.stringify(`stand-in for ${whole}`);
  });
  return out;
}

// ---- running terraform -------------------------------------------------------------------------

/** What a terraform command printed and returned. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The `terraform` binary to run: `$TERRAFORM` or `terraform` on PATH.
 * @throws Error with a clear message when there is none: the tier never skips silently
 */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TERRAFORM;
  const candidates = explicit
    ? [explicit]
    : (env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, "terraform"));
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    explicit
      ? `npm run test:terraform: TERRAFORM=${explicit} is not an executable file.`
      : "npm run test:terraform needs the terraform binary (≥ 1.8) on PATH, or its path in TERRAFORM. " +
          "Install it (https://developer.hashicorp.com/terraform/install) and run the tier again; it does not skip.",
  );
}

/** One working directory with a converted configuration, run step by step. */
export class Workspace {
  /** Creates a fresh directory under the OS temp directory. */
  public static create(label: string, terraform: string = findTerraform()): Workspace {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mc-tf-${label.replace(/\W+/g, "-")}-`));
    return new Workspace(dir, terraform);
  }

  private converted: Converted | undefined;

  private constructor(
    /** The working directory. */
    public readonly dir: string,
    private readonly terraform: string,
  ) {
    // No CLI configuration, no plugin cache, no network: terraform_data is built in.
    fs.writeFileSync(path.join(dir, ".terraformrc"), "");
  }

  /** The stand-ins of the configuration last written. */
  public get standIns(): ReadonlyMap<string, StandIn> {
    return this.converted?.standIns ?? new Map();
  }

  /**
   * Converts a synthesized stack and writes it as the working directory's configuration.
   * @param adjust changes the converted configuration before it is written (e.g. to recreate
   *   the addresses an older version of the library gave)
   */
  public write(stack: TfJson, adjust: (config: TfJson) => TfJson = (c) => c): Converted {
    const converted = convertStack(stack);
    this.converted = { config: adjust(converted.config), standIns: converted.standIns };
    fs.writeFileSync(
      path.join(this.dir, "main.tf.json"),
      JSON.stringify(this.converted.config, null, 2),
    );
    return this.converted;
  }

  /** Runs `terraform <args>` in the working directory. */
  public run(args: readonly string[]): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.terraform, [...args], {
        cwd: this.dir,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: this.dir,
          TF_CLI_CONFIG_FILE: path.join(this.dir, ".terraformrc"),
          TF_IN_AUTOMATION: "1",
          CHECKPOINT_DISABLE: "1",
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs a command that must succeed (exit codes in `ok`). */
  public async must(args: readonly string[], ok: readonly number[] = [0]): Promise<CommandResult> {
    const r = await this.run(args);
    if (!ok.includes(r.code)) {
      throw new Error(
        `terraform ${args.join(" ")} exited with ${r.code} in ${this.dir}:\n${r.stderr || r.stdout}`,
      );
    }
    return r;
  }

  /**
   * `terraform plan -out` at `now`, then, when it changes anything, `terraform show -json` of the
   * plan and `terraform apply -json` of it. Returns the plan's resource changes and the order in
   * which the apply ran them (both empty when the plan changes nothing).
   */
  public async apply(now: number): Promise<{ changes: PlannedChange[]; events: ApplyEvent[] }> {
    const plan = await this.must(
      [...COMMON, "plan", ...FLAGS, "-detailed-exitcode", "-out=step.tfplan", `-var=now=${now}`],
      [0, 2],
    );
    if (plan.code === 0) return { changes: [], events: [] };
    const shown = await this.must(["show", "-json", "-no-color", "step.tfplan"]);
    const changes = plannedChanges(JSON.parse(shown.stdout));
    const applied = await this.must([...COMMON, "apply", ...FLAGS, "-json", "step.tfplan"]);
    return { changes, events: applyEvents(applied.stdout) };
  }

  /** `terraform apply -refresh-only` at `now`. */
  public async refresh(now: number): Promise<void> {
    await this.must([
      ...COMMON,
      "apply",
      ...FLAGS,
      "-refresh-only",
      "-auto-approve",
      `-var=now=${now}`,
    ]);
  }

  /**
   * `terraform plan` at `now`, never applied. Returns its resource changes; with `noOps`, also
   * the resources it leaves alone (and moves, which are no-ops with a previous address).
   */
  public async plan(now: number, options: { noOps?: boolean } = {}): Promise<PlannedChange[]> {
    const plan = await this.must(
      [...COMMON, "plan", ...FLAGS, "-detailed-exitcode", "-out=probe.tfplan", `-var=now=${now}`],
      [0, 2],
    );
    if (plan.code === 0 && !options.noOps) return [];
    const shown = await this.must(["show", "-json", "-no-color", "probe.tfplan"]);
    return plannedChanges(JSON.parse(shown.stdout), options.noOps === true);
  }

  /** `terraform state rm` of the given resources' stand-ins (original addresses). */
  public async stateRm(addresses: readonly string[]): Promise<void> {
    if (addresses.length === 0) return;
    await this.must([
      ...COMMON,
      "state",
      "rm",
      "-lock=false",
      ...addresses.map((a) => {
        const [type, name] = a.split(".");
        return `terraform_data.${standInName(type, name)}`;
      }),
    ]);
  }

  /** The state file, parsed (an empty state before the first apply). */
  public state(): TerraformState {
    const file = path.join(this.dir, "terraform.tfstate");
    if (!fs.existsSync(file)) return { resources: [], outputs: {} };
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    const resources: StateResource[] = [];
    for (const r of raw.resources ?? []) {
      if (r.mode !== "managed" || r.type !== "terraform_data") continue;
      for (const inst of r.instances ?? []) {
        const attrs = inst.attributes ?? {};
        resources.push({
          standIn: r.name,
          original: this.standIns.get(r.name),
          id: attrs.id,
          output: unwrapDynamic(attrs.output),
          deposed: inst.deposed !== undefined,
        });
      }
    }
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<{ value: unknown }>(raw.outputs ?? {})) {
      outputs[k] = v.value;
    }
    return { resources, outputs };
  }

  /** Deletes the working directory. */
  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const COMMON: readonly string[] = [];
const FLAGS = ["-input=false", "-lock=false", "-no-color"];

/** One resource change of a plan, as `terraform show -json` reports it. */
export interface PlannedChange {
  /** The stand-in's address, e.g. `terraform_data.azuread_application_password__X`. */
  readonly address: string;
  /** Terraform's actions: `["create","delete"]` is create-before-destroy. */
  readonly actions: readonly string[];
  /** The address the resource moved from (a `moved` block), where it moved. */
  readonly movedFrom?: string;
}

/** One operation of an apply, in the order Terraform reported it (`terraform apply -json`). */
export interface ApplyEvent {
  /** `apply_start` or `apply_complete`. */
  readonly type: "apply_start" | "apply_complete";
  /** The resource's address. */
  readonly address: string;
  /** `create`, `update`, `delete`, … */
  readonly action: string;
}

function applyEvents(stdout: string): ApplyEvent[] {
  const events: ApplyEvent[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line) as TfJson;
    if (m.type !== "apply_start" && m.type !== "apply_complete") continue;
    events.push({ type: m.type, address: m.hook.resource.addr, action: m.hook.action });
  }
  return events;
}

function plannedChanges(plan: TfJson, noOps = false): PlannedChange[] {
  return ((plan.resource_changes ?? []) as TfJson[])
    .filter((c) => noOps || !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))
    .map((c) => ({
      address: c.address as string,
      actions: c.change.actions as string[],
      ...(c.previous_address ? { movedFrom: c.previous_address as string } : {}),
    }));
}

/** A `terraform_data` instance in state. */
export interface StateResource {
  /** Its name (`terraform_data.<standIn>`). */
  readonly standIn: string;
  /** The resource it stands in for, when it came from the synthesized stack. */
  readonly original: StandIn | undefined;
  /** Its id: a new UUID on every replacement (what `value`, `client_id` etc. read). */
  readonly id: string;
  /** The arguments it was created with (its `output`). */
  readonly output: TfJson;
  /** True for an object deposed by an unfinished create-before-destroy. */
  readonly deposed: boolean;
}

/** The parts of a state the tier reads. */
export interface TerraformState {
  /** Every `terraform_data` instance. */
  readonly resources: readonly StateResource[];
  /** Every output's value. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

function unwrapDynamic(v: unknown): TfJson {
  // terraform_data's input and output are dynamic: state stores { value, type }.
  if (typeof v === "object" && v !== null && "value" in v && "type" in v) {
    return (v as { value: TfJson }).value;
  }
  return (v ?? {}) as TfJson;
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the result. */
export async function inParallel<T>(
  tasks: readonly (() => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
