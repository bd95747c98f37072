import { Construct } from "constructs";
import { CredentialKind, CredentialModel } from "../model";
import { isMintedCredential, recordCredential } from "./minted";

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

/** A nominal brand for the compiler only: a plain object does not match the type. */
declare const CREDENTIAL_BRAND: unique symbol;

/**
 * A credential a machine client authenticates with. Create one with a static factory such as
 * `ClientSecret.rotating()`; the client attaches it when constructed.
 */
export abstract class ClientCredential {
  /**
   * True when `x` is a credential made by one of the library's factories (not a copy, Proxy or
   * look-alike of one, nor an instance of a subclass written elsewhere).
   */
  public static isClientCredential(x: unknown): x is ClientCredential {
    return isMintedCredential(x);
  }

  /** `instanceof` holds for credentials the library's factories made only. */
  public static [Symbol.hasInstance](x: unknown): boolean {
    return isMintedCredential(x) && Function.prototype[Symbol.hasInstance].call(this, x);
  }

  /** The credential's kind. */
  public abstract readonly kind: CredentialKind;
  declare private readonly [CREDENTIAL_BRAND]: true;

  protected constructor() {
    // Sealed: only instances of the library's own classes (made by their factories) count.
    recordCredential(this, new.target);
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

// The statics (isClientCredential) and the methods cannot be replaced.
Object.freeze(ClientCredential);
Object.freeze(ClientCredential.prototype);
