import { Construct } from "constructs";
import { CredentialKind, CredentialModel } from "../model";

/** What a credential needs to attach itself to a client's app registration. */
export interface CredentialTarget {
  /** The construct under which the credential's resources are created (the client). */
  readonly scope: Construct;
  /** The app registration's resource id, `/applications/{objectId}` (`Application.id`). */
  readonly applicationId: string;
  /** The client's display name, used to name the credential. */
  readonly displayName: string;
  /** The client's application (client) id, as a token, e.g. for naming a delivered secret. */
  readonly clientId: string;
}

/** A credential once attached to a client: what the client exposes of it. */
export interface BoundCredential {
  /** The credential's kind. */
  readonly kind: CredentialKind;
  /** The secret value as a token (secrets only); never written anywhere unless routed by the caller. */
  readonly secretValue?: string;
  /** A token for the end date of the newest credential, where it has one. */
  readonly endDate?: string;
  /** Rotating secrets: the client's rotation offset, in minutes (see `rotation-schedule.ts`). */
  readonly rotationOffsetMinutes?: number;
}

const CREDENTIAL_BRAND = Symbol.for("cdktf-machine-clients.ClientCredential");

/**
 * A credential a machine client authenticates with. Create one with a static factory such as
 * `ClientSecret.rotating()`; the client attaches it when constructed.
 */
export abstract class ClientCredential {
  /** True when `x` is a credential made by this library (any copy of it). */
  public static isClientCredential(x: unknown): x is ClientCredential {
    return (
      typeof x === "object" && x !== null && (x as ClientCredential)[CREDENTIAL_BRAND] === true
    );
  }

  /** The credential's kind. */
  public abstract readonly kind: CredentialKind;
  // Non-enumerable, so that `{ ...credential }` does not copy it.
  declare private readonly [CREDENTIAL_BRAND]: true;

  protected constructor() {
    Object.defineProperty(this, CREDENTIAL_BRAND, { value: true, enumerable: false });
  }

  /**
   * Checks the credential's settings before anything is created.
   * @param where the client's construct path, for error messages
   * @throws MachineClientsError naming the bad value and the fix
   */
  public abstract validate(where: string): void;

  /** The credential as declared, for policy checks and the inventory. */
  public abstract describe(): CredentialModel;

  /** Creates the credential's resources for a client. Called once by the client. */
  public abstract bind(target: CredentialTarget): BoundCredential;
}
