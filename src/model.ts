/**
 * The declared model of machine clients, as plain data. Policy checks (`policy/`) and the
 * inventory read this model — not re-parsed Terraform JSON — so they see what the program declared.
 * Pure TypeScript: no cdktf import.
 */

/** The kinds of credential a machine client can hold, in Microsoft's order of preference. */
export type CredentialKind = "federated" | "certificate" | "secret";

/** A credential as declared. Fields that do not apply to the kind are absent. */
export interface CredentialModel {
  /** The credential's kind. */
  readonly kind: CredentialKind;
  /** Secrets: days between rotations. */
  readonly rotationDays?: number;
  /** Secrets: days each secret stays valid. Certificates: days from synth to the end date. */
  readonly validityDays?: number;
  /** Secrets: how many passwords rotate in staggered slots (always 2). */
  readonly slots?: number;
  /** Secrets: the longest gap between two applies, in days, that the rotation schedule tolerates. */
  readonly maxApplyGapDays?: number;
  /**
   * Secrets: the client's rotation offset in minutes after 1970-01-01T00:00Z; one of the slots is
   * due at `offset + n × rotationDays` days. Known once the credential is bound to a client.
   */
  readonly rotationOffsetMinutes?: number;
  /** Certificates: the end date (RFC 3339) where known at synth time. */
  readonly endDate?: string;
  /** Federated: the token issuer. */
  readonly issuer?: string;
  /** Federated: the subject (workload identity). */
  readonly subject?: string;
  /** Certificates: the SHA-256 fingerprint of the certificate (hex, colon-separated). */
  readonly fingerprint?: string;
  /** Federated: the accepted audiences. */
  readonly audiences?: readonly string[];
  /** Where the credential's secret is delivered, e.g. `key-vault:<secretName>` or `terraform-output`. */
  readonly delivery?: string;
}

/** One grant as declared. */
export interface GrantModel {
  /** The API's key (identifier URI, or construct path when the URI is a token). */
  readonly api: string;
  /** The API's identifier URI (may be a token string). */
  readonly identifierUri: string;
  /** The permission value. */
  readonly scope: string;
  /** The app role id. */
  readonly roleId: string;
  /** Whether the permission is privileged. */
  readonly privileged: boolean;
  /** Why the client needs it, where given. */
  readonly justification?: string;
  /**
   * Present while the permission's rename is in transition: its old name, whose role the grant
   * also assigns until the old name is retired.
   */
  readonly renamedFrom?: { readonly scope: string; readonly roleId: string };
}

/** A machine client as declared. */
export interface MachineClientModel {
  /** The construct path. */
  readonly path: string;
  /** The app registration's display name. */
  readonly displayName: string;
  /** Object ids of the owners; empty when the deploying principal is the owner by default. */
  readonly owners: readonly string[];
  /** True when owners were given explicitly rather than defaulted to the deploying principal. */
  readonly explicitOwners: boolean;
  /** The grants, sorted by API and scope. */
  readonly grants: readonly GrantModel[];
  /** The credentials. */
  readonly credentials: readonly CredentialModel[];
  /** Deliveries of the client's secret besides its credential's own (`addSecretOutput()`). */
  readonly deliveries?: readonly string[];
}

/** One app role an API declares, with its place in the vocabulary's lifecycle. */
export interface ApiRoleModel {
  /** The permission value (the app role's `value`). */
  readonly scope: string;
  /** The app role id. */
  readonly roleId: string;
  /** Whether the role is enabled (false once retired). */
  readonly enabled: boolean;
  /**
   * `active`; `renamed`: the old name of a renamed permission, kept enabled for the transition;
   * `retired`: disabled, refused by grant(), to be removed once no stack grants it.
   */
  readonly status: "active" | "renamed" | "retired";
  /** Whether the permission is privileged. */
  readonly privileged: boolean;
  /** The permission that replaces it, where there is one. */
  readonly replacedBy?: string;
  /** Why it was retired, where given. */
  readonly reason?: string;
}

/**
 * An API as declared: a `ProtectedApi` (its own roles) or an `ExistingApi` (a copy of them), for
 * the inventory and the org policy (its API rules and the rules that compare grants against it).
 */
export interface ApiModel {
  /** The construct path. */
  readonly path: string;
  /** `protected`: declared and owned by this program; `existing`: registered elsewhere. */
  readonly kind: "protected" | "existing";
  /** The identifier URI (a token string where it is only known at apply). */
  readonly identifierUri: string;
  /** How the identifier URI was given. */
  readonly identifierUriSource: IdentifierUriSource;
  /** The application (client) id, where known at synth (existing APIs). */
  readonly clientId?: string;
  /** Every app role, sorted by value. */
  readonly roles: readonly ApiRoleModel[];
}

/**
 * How an API's identifier URI was given: left out (`default`, the secure `api://{appId}`),
 * `tenant-scoped` (`ProtectedApi.tenantScopedUri`, the tenant id known at apply), a `literal`
 * string, or a `token` the library cannot read at synth.
 */
export type IdentifierUriSource = "default" | "tenant-scoped" | "literal" | "token";
