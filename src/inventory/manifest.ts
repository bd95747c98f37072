/**
 * Writes `machine-clients.json` next to each stack's `cdk.tf.json` on every synth. The first
 * {@link MachineClient} added to a stack wraps the stack's synthesizer: after the stack's own
 * output is written, the manifest is built from the clients' declared models (`toModel()`) and
 * written to the same directory. Opt out with the context key {@link MANIFEST_CONTEXT_KEY} = false.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { MachineClientModel } from "../model";
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

type StackSynthesizer = TerraformStack["synthesizer"];
type Session = Parameters<StackSynthesizer["synthesize"]>[0];

const clientsByStack = new WeakMap<TerraformStack, Set<IInventoriedClient>>();

/**
 * Records a client for its stack's manifest. Called by MachineClient's constructor; the first
 * call for a stack wraps the stack's synthesizer.
 */
export function trackMachineClient(client: IInventoriedClient): void {
  const stack = TerraformStack.of(client);
  let clients = clientsByStack.get(stack);
  if (!clients) {
    clients = new Set();
    clientsByStack.set(stack, clients);
    const inner: StackSynthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize(session: Session): void {
        inner.synthesize(session);
        writeManifest(stack, session);
      },
    };
  }
  clients.add(client);
}

/** The manifest of a stack's machine clients, as written by synth. */
export function manifestOf(stack: TerraformStack): MachineClientManifest {
  // Only clients still in the tree: a construct that failed after it was created (e.g. a config
  // file whose later client failed, removing the whole file's group) is never listed.
  const inTree = new Set<IConstruct>(stack.node.findAll());
  const clients = [...(clientsByStack.get(stack) ?? [])].filter((c) => inTree.has(c));
  const inputs: ManifestInput[] = clients.map((client) => ({
    model: resolveStrings(stack, client.toModel()),
    // Declared on the client or any scope above it, nearest first.
    suppressions: suppressionsApplyingTo(client).map(({ id, reason }) => ({ id, reason })),
  }));
  return buildManifest(stack.node.id, inputs);
}

function writeManifest(stack: TerraformStack, session: Session): void {
  if (stack.node.tryGetContext(MANIFEST_CONTEXT_KEY) === false) return;
  const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MANIFEST_FILE_NAME), serializeManifest(manifestOf(stack)));
}

/** Resolves cdktf tokens in the model's strings to Terraform references (`${…}`), deterministically. */
function resolveStrings<T>(stack: TerraformStack, model: T): T {
  try {
    return Tokenization.resolve(model, {
      scope: stack,
      resolver: new DefaultTokenResolver(new StringConcat()),
      preparing: false,
    }) as T;
  } catch {
    // A token that resolves only in another stack's context: keep the model's own strings
    // (still deterministic, and never a secret) rather than fail the synth.
    return model;
  }
}
