/**
 * Writes `machine-clients.json` next to each stack's `cdk.tf.json` on every synth. The first
 * {@link MachineClient} or API added to a stack wraps the stack's synthesizer: after the stack's
 * own output is written, the manifest is built from the declared models (`toModel()`,
 * `toApiModel()`) and written to the same directory. Opt out with the context key
 * {@link MANIFEST_CONTEXT_KEY} = false.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { ApiModel, MachineClientModel } from "../model";
import {
  MANIFEST_FILE_NAME,
  ManifestInput,
  MachineClientManifest,
  buildManifest,
  serializeManifest,
} from "./manifest-schema";
import { suppressionsApplyingTo } from "../policy/suppression-registry";

/** Context key that turns the manifest off when set to `false` (e.g. in cdktf.json's `context`). */
export const MANIFEST_CONTEXT_KEY = "cdktf-machine-clients:manifest";

/** What the manifest needs of a client. */
export interface IInventoriedClient extends IConstruct {
  /** The client as declared. */
  toModel(): MachineClientModel;
}

/** What the manifest needs of an API. */
export interface IInventoriedApi extends IConstruct {
  /** The API as declared. */
  toApiModel(): ApiModel;
}

type StackSynthesizer = TerraformStack["synthesizer"];
type Session = Parameters<StackSynthesizer["synthesize"]>[0];

interface Tracked {
  readonly clients: Set<IInventoriedClient>;
  readonly apis: Set<IInventoriedApi>;
}
const trackedByStack = new WeakMap<TerraformStack, Tracked>();

/** The stack's tracked constructs; the first call for a stack wraps the stack's synthesizer. */
function tracked(stack: TerraformStack): Tracked {
  let t = trackedByStack.get(stack);
  if (!t) {
    t = { clients: new Set(), apis: new Set() };
    trackedByStack.set(stack, t);
    const inner: StackSynthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize(session: Session): void {
        inner.synthesize(session);
        writeManifest(stack, session);
      },
    };
  }
  return t;
}

/** Records a client for its stack's manifest. Called by MachineClient's constructor. */
export function trackMachineClient(client: IInventoriedClient): void {
  tracked(TerraformStack.of(client)).clients.add(client);
}

/**
 * Records an API for its stack's manifest (its app roles, retired and renamed ones included).
 * Called by the constructors of ProtectedApi and ExistingApi.
 */
export function trackApi(api: IInventoriedApi): void {
  tracked(TerraformStack.of(api)).apis.add(api);
}

/** The manifest of a stack's machine clients and APIs, as written by synth. */
export function manifestOf(stack: TerraformStack): MachineClientManifest {
  const t = trackedByStack.get(stack);
  // Only constructs still in the tree: a construct that failed after it was created (e.g. a config
  // file whose later client failed, removing the whole file's group) is never listed.
  const inTree = new Set<IConstruct>(stack.node.findAll());
  const clients = [...(t?.clients ?? [])].filter((c) => inTree.has(c));
  const cache = new Map<string, unknown>();
  const inputs: ManifestInput[] = clients.map((client) => ({
    model: resolveStrings(stack, client.toModel(), cache),
    // Declared on the client or any scope above it, nearest first.
    suppressions: suppressionsApplyingTo(client).map(({ id, reason }) => ({ id, reason })),
  }));
  const apis = [...(t?.apis ?? [])]
    .filter((a) => inTree.has(a))
    .map((api) => resolveStrings(stack, api.toApiModel(), cache));
  return buildManifest(stack.node.id, inputs, apis);
}

function writeManifest(stack: TerraformStack, session: Session): void {
  if (stack.node.tryGetContext(MANIFEST_CONTEXT_KEY) === false) return;
  const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MANIFEST_FILE_NAME), serializeManifest(manifestOf(stack)));
}

/** Resolves cdktf tokens in the model's strings to Terraform references (`${…}`), deterministically. */
function resolveStrings<T>(
  stack: TerraformStack,
  model: T,
  cache: Map<string, unknown> = new Map(),
): T {
  // Only the strings (and numbers) that are tokens are resolved, each distinct one once per
  // manifest: the clients of a stack refer to the same few APIs, and resolving a whole model per
  // client cost as much as the rest of the inventory.
  const options = {
    scope: stack,
    resolver: new DefaultTokenResolver(new StringConcat()),
    preparing: false,
  };
  const resolve = (token: string | number): unknown => {
    if (cache.has(String(token))) return cache.get(String(token));
    const value: unknown = Tokenization.resolve(token, options);
    cache.set(String(token), value);
    return value;
  };
  const visit = (v: unknown): unknown => {
    if (typeof v === "string" || typeof v === "number")
      return Token.isUnresolved(v) ? resolve(v) : v;
    if (Array.isArray(v)) return v.map(visit);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    }
    return v;
  };
  try {
    return visit(model) as T;
  } catch {
    // A token that resolves only in another stack's context: keep the model's own strings
    // (still deterministic, and never a secret) rather than fail the synth.
    return model;
  }
}
