import { Fn } from "cdktf";
import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { Rotating } from "@cdktf/provider-time/lib/rotating";
import { fail } from "../errors";
import { CredentialModel } from "../model";
import { BoundCredential, ClientCredential, CredentialTarget } from "./credential";

/** Options of {@link ClientSecret.rotating}. */
export interface RotatingSecretOptions {
  /**
   * Days between rotations: a new secret is created on the first `terraform apply` after this
   * many days. An integer, at least 1 and less than `validityDays`.
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * Days each secret stays valid from its creation. An integer, more than `rotationDays` and at
   * most 90 (the gap is the time a pipeline has to apply before a secret expires).
   * @default 60
   */
  readonly validityDays?: number;
}

/** The longest validity the library accepts for a client secret (Microsoft recommends under 12 months). */
export const MAX_SECRET_VALIDITY_DAYS = 90;

/**
 * A client secret (`azuread_application_password`) that rotates on a `time_rotating` schedule,
 * with its end date computed in Terraform from the rotation time plus the validity.
 */
export class ClientSecret extends ClientCredential {
  /**
   * A secret that is replaced every `rotationDays` and expires `validityDays` after creation.
   * @default { rotationDays: 30, validityDays: 60 }
   */
  public static rotating(options: RotatingSecretOptions = {}): ClientSecret {
    return new ClientSecret(options.rotationDays ?? 30, options.validityDays ?? 60);
  }

  /** The credential's kind. */
  public readonly kind = "secret" as const;

  private constructor(
    /** Days between rotations. */
    public readonly rotationDays: number,
    /** Days each secret stays valid. */
    public readonly validityDays: number,
  ) {
    super();
  }

  /** @inheritdoc */
  public validate(where: string): void {
    const at = `${where} › ClientSecret.rotating`;
    const { rotationDays, validityDays } = this;
    if (!Number.isInteger(rotationDays) || rotationDays < 1) {
      fail(
        "SECRET_ROTATION_INVALID",
        at,
        "rotationDays must be a whole number of days, at least 1",
        rotationDays,
        "Use e.g. rotationDays: 30.",
      );
    }
    if (!Number.isInteger(validityDays) || validityDays < 1) {
      fail(
        "SECRET_VALIDITY_INVALID",
        at,
        "validityDays must be a whole number of days, at least 1",
        validityDays,
        "Use e.g. validityDays: 60.",
      );
    }
    if (validityDays > MAX_SECRET_VALIDITY_DAYS) {
      fail(
        "SECRET_VALIDITY_TOO_LONG",
        at,
        `validityDays must be at most ${MAX_SECRET_VALIDITY_DAYS}`,
        validityDays,
        `Use ${MAX_SECRET_VALIDITY_DAYS} days or fewer, or a federated credential, which has no secret to expire.`,
      );
    }
    if (rotationDays >= validityDays) {
      fail(
        "SECRET_ROTATION_NOT_BEFORE_EXPIRY",
        at,
        `rotationDays (${rotationDays}) must be less than validityDays (${validityDays}), or the secret expires before it is replaced`,
        rotationDays,
        `Use e.g. rotationDays: ${Math.max(1, Math.floor(validityDays / 2))}.`,
      );
    }
  }

  /** @inheritdoc */
  public describe(): CredentialModel {
    return {
      kind: this.kind,
      rotationDays: this.rotationDays,
      validityDays: this.validityDays,
      slots: 1,
    };
  }

  /** @inheritdoc */
  public bind(target: CredentialTarget): BoundCredential {
    const rotation = new Rotating(target.scope, "SecretRotation", {
      rotationDays: this.rotationDays,
    });
    const endDate = Fn.timeadd(rotation.rfc3339, `${this.validityDays * 24}h`);
    const password = new ApplicationPasswordA(target.scope, "Secret", {
      applicationId: target.applicationId,
      displayName: `${target.displayName} (rotates every ${this.rotationDays}d, valid ${this.validityDays}d)`,
      startDate: rotation.rfc3339,
      endDate,
      rotateWhenChanged: { rotation: rotation.id },
    });
    return { kind: this.kind, secretValue: password.value, endDate: password.endDate };
  }
}
