/**
 * The machine-client manifest (`machine-clients.json`, schema version 1): what every synth
 * writes next to each stack's `cdk.tf.json`, built from the declared model. Pure data; the same
 * types serve the writer and the `report` command. It never contains a secret: credentials are
 * described by kind, rotation, validity and delivery only.
 * Pure TypeScript: no cdktf import.
 */
import { ApiModel, ApiRoleModel, CredentialModel, MachineClientModel } from "../model";

/** One suppressed policy rule, as recorded in the manifest. */
export interface SuppressionModel {
  /** The suppressed rule's id. */
  readonly id: string;
  /** Why it is suppressed. */
  readonly reason: string;
}

/** The manifest's file name, next to `cdk.tf.json`. */
export const MANIFEST_FILE_NAME = "machine-clients.json";

/** The manifest's schema version; it changes only when a field changes meaning or is removed. */
export const MANIFEST_SCHEMA_VERSION = 1;

/** One granted permission. */
export interface ManifestGrant {
  /** The API's key (identifier URI, or construct path when the URI is a token). */
  readonly api: string;
  /** The API's identifier URI (a Terraform reference where it is only known at apply). */
  readonly identifierUri: string;
  /** The permission (app role value). */
  readonly scope: string;
  /** The app role id. */
  readonly roleId: string;
  /** Whether the API's vocabulary marks it privileged. */
  readonly privileged: boolean;
  /** Why the client needs it, where given. */
  readonly justification?: string;
  /**
   * While the permission's rename is in transition: its old name, whose role the client also
   * holds until the old name is retired.
   */
  readonly renamedFrom?: { readonly scope: string; readonly roleId: string };
}

/** One app role of an API, with its lifecycle status (retired and renamed ones included). */
export type ManifestApiRole = ApiRoleModel;

/** One API declared in the stack: its app roles, for `report` and for `check` across stacks. */
export interface ManifestApi {
  /** The construct path. */
  readonly path: string;
  /** `protected`: the API's own declaration; `existing`: this program's copy of its roles. */
  readonly kind: "protected" | "existing";
  /** The identifier URI (a Terraform reference where it is only known at apply). */
  readonly identifierUri: string;
  /** The application (client) id, where known at synth. */
  readonly clientId?: string;
  /** Every app role, sorted by value. */
  readonly roles: readonly ManifestApiRole[];
}

/** One credential, without any secret: kind plus the declared lifecycle fields that apply. */
export type ManifestCredential = Omit<CredentialModel, "audiences"> & {
  readonly audiences?: readonly string[];
};

/** One machine client. */
export interface ManifestClient {
  /** The app registration's display name. */
  readonly displayName: string;
  /** The construct path. */
  readonly path: string;
  /** Owner object ids, sorted; empty when the deploying principal owns the client. */
  readonly owners: readonly string[];
  /** True when no owners were given and the principal that runs `terraform apply` owns the client. */
  readonly ownersDefaultToDeployer: boolean;
  /** The OAuth 2.0 flow: always `client_credentials`. */
  readonly flow: "client_credentials";
  /** Grants, sorted by API then permission. */
  readonly grants: readonly ManifestGrant[];
  /** Credentials, sorted by kind. */
  readonly credentials: readonly ManifestCredential[];
  /** Where the credentials' secrets are delivered, sorted and unique (e.g. `key-vault:<name>`). */
  readonly delivery: readonly string[];
  /** Suppressed policy rules with their reasons, sorted by rule id. */
  readonly suppressions: readonly SuppressionModel[];
}

/** The content of `machine-clients.json`. */
export interface MachineClientManifest {
  /** The format's version, {@link MANIFEST_SCHEMA_VERSION}. */
  readonly schemaVersion: number;
  /** The stack's name (its construct id, the directory under `cdktf.out/stacks/`). */
  readonly stack: string;
  /** The stack's machine clients, sorted by construct path. */
  readonly clients: readonly ManifestClient[];
  /**
   * The stack's APIs (`ProtectedApi`, `ExistingApi`), sorted by construct path. Absent in
   * manifests written before APIs were listed; readers treat that as none.
   */
  readonly apis?: readonly ManifestApi[];
}

/** A declared client and its suppressions: the manifest's input. */
export interface ManifestInput {
  /** The client as declared. */
  readonly model: MachineClientModel;
  /** Its suppressed rules. */
  readonly suppressions: readonly SuppressionModel[];
}

/** Credential fields that could ever carry secret material; never copied, whatever the model holds. */
const SECRET_FIELDS = new Set([
  "value",
  "secretValue",
  "secret",
  "password",
  "privateKey",
  "certificate",
  "pem",
  "clientSecret",
]);

/** Builds the manifest of one stack from its clients' declared models. */
export function buildManifest(
  stack: string,
  inputs: readonly ManifestInput[],
  apis: readonly ApiModel[] = [],
): MachineClientManifest {
  const clients = inputs.map(({ model, suppressions }): ManifestClient => {
    const credentials = model.credentials
      .map((c) => credentialEntry(c))
      .sort((a, b) => cmp(a.kind, b.kind) || cmp(stableStringify(a), stableStringify(b)));
    return {
      displayName: model.displayName,
      path: model.path,
      owners: [...model.owners].sort(cmp),
      ownersDefaultToDeployer: !model.explicitOwners,
      flow: "client_credentials",
      grants: model.grants
        .map((g) => ({
          api: g.api,
          identifierUri: g.identifierUri,
          scope: g.scope,
          roleId: g.roleId,
          privileged: g.privileged,
          ...(g.justification !== undefined ? { justification: g.justification } : {}),
          ...(g.renamedFrom !== undefined
            ? { renamedFrom: { scope: g.renamedFrom.scope, roleId: g.renamedFrom.roleId } }
            : {}),
        }))
        .sort((a, b) => cmp(a.api, b.api) || cmp(a.scope, b.scope)),
      credentials,
      delivery: [
        ...new Set([
          ...credentials.flatMap((c) => (c.delivery ? [c.delivery] : [])),
          ...(model.deliveries ?? []),
        ]),
      ].sort(cmp),
      suppressions: suppressions
        .map((s) => ({ id: s.id, reason: s.reason }))
        .sort((a, b) => cmp(a.id, b.id) || cmp(a.reason, b.reason)),
    };
  });
  clients.sort((a, b) => cmp(a.path, b.path));
  const apiEntries: ManifestApi[] = apis
    .map((a) => ({
      path: a.path,
      kind: a.kind,
      identifierUri: a.identifierUri,
      ...(a.clientId !== undefined ? { clientId: a.clientId } : {}),
      roles: a.roles
        .map((r) => ({
          scope: r.scope,
          roleId: r.roleId,
          enabled: r.enabled,
          status: r.status,
          privileged: r.privileged,
          ...(r.replacedBy !== undefined ? { replacedBy: r.replacedBy } : {}),
          ...(r.reason !== undefined ? { reason: r.reason } : {}),
        }))
        .sort((x, y) => cmp(x.scope, y.scope)),
    }))
    .sort((a, b) => cmp(a.path, b.path));
  return { schemaVersion: MANIFEST_SCHEMA_VERSION, stack, clients, apis: apiEntries };
}

function credentialEntry(c: CredentialModel): ManifestCredential {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (SECRET_FIELDS.has(k) || v === undefined || typeof v === "function") continue;
    out[k] = Array.isArray(v) ? [...v].sort() : v;
  }
  return out as unknown as ManifestCredential;
}

/** Serializes a manifest byte-identically for equal content: sorted keys, two-space indent, final newline. */
export function serializeManifest(manifest: MachineClientManifest): string {
  return stableStringify(manifest, 2) + "\n";
}

/** JSON with object keys sorted at every level. */
function stableStringify(value: unknown, indent = 0): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.keys(v)
          .sort(cmp)
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sortKeys(value), null, indent);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
