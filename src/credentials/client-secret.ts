import { Fn, Op, TerraformStack, Token, conditional } from "cdktf";
import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { describeValue, fail } from "../errors";
import { CredentialModel } from "../model";
import { readObject } from "../read-once";
import { isToken } from "../tokens";
import { requireTimeProvider } from "../time-provider";
import { BoundCredential, ClientCredential, CredentialTarget } from "./credential";
import { requireTerraformVersion } from "./required-version";
import {
  DAY_SECONDS,
  SLOT_NAMES,
  TWO_SLOTS,
  maxApplyGapDays,
  minTwoSlotValidityDays,
  rotationOffsetMinutes,
} from "./rotation-schedule";
import { SecretDelivery } from "./secret-delivery";
import { registerCredentialClass } from "./minted";

/** Options of {@link ClientSecret.rotating}. */
export interface RotatingSecretOptions {
  /**
   * Days between new secrets. An integer, at least 1, at most `validityDays / 2`. Pipelines must
   * apply at least every `min(rotationDays, validityDays − rotationDays)` days (see
   * docs/credentials.md, "The apply schedule"). Changing it replaces both passwords in one apply:
   * see docs/credentials.md, "Changing the settings".
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * Days each secret stays valid, counted from the plan that creates it. An integer, at least
   * `2 × rotationDays` and at most 90. A change applies to each password when its slot is next
   * due; it replaces nothing by itself.
   * @default 60
   */
  readonly validityDays?: number;
  /**
   * Always 2: two staggered passwords. `slots: 1` was removed in 0.2: a single password is
   * destroyed at every rotation while consumers still hold it.
   * @deprecated leave it out
   * @default 2
   */
  readonly slots?: 2;
  /**
   * The key the client's rotation offset is derived from (a hash of it, modulo the rotation
   * period), so that a tenant's clients rotate at different moments. Keep it stable: a new key
   * moves the schedule, which replaces both passwords in one apply. Set it to the client's old
   * construct path when renaming the client's construct.
   * @default the client's construct path
   */
  readonly scheduleKey?: string;
  /**
   * Where the newest secret goes: `SecretDelivery.output()` or, from
   * `cdktf-machine-clients/azurerm`, `SecretDelivery.keyVault({ keyVaultId, secretName })`.
   * @default no delivery: the value is only reachable as `MachineClient.secretValue`
   */
  readonly delivery?: SecretDelivery;
}

/** The longest validity the library accepts for a client secret (Microsoft recommends under 12 months). */
export const MAX_SECRET_VALIDITY_DAYS = 90;

/** The epoch the two-slot calendar counts from. */
const EPOCH = "1970-01-01T00:00:00Z";

/** The key in each password's `rotate_when_changed` map: the start of its slot's period. */
export const PERIOD_START_KEY = "period_start";

/**
 * A client secret (`azuread_application_password`) that rotates on a schedule, in two slots.
 *
 * Two passwords on calendar periods of `2 × rotationDays` days staggered by `rotationDays` (and
 * by a per-client offset), so that a new secret is minted every `rotationDays` while the previous
 * one stays valid. Each password is keyed (`rotate_when_changed`) on the start of its slot's
 * current period, computed at plan time from `plantimestamp()` with the time provider's
 * `rfc3339_parse` function (Terraform ≥ 1.8, time provider ≥ 0.11): a plan between two boundaries
 * shows no change, and late applies never shift the schedule. A password is replaced
 * create-before-destroy and ends `validityDays` after the plan that created it. The published
 * secret (`secretValue`, deliveries) is the password whose period started last, read from state,
 * so that `terraform apply -refresh-only` and plans never switch it.
 */
export class ClientSecret extends ClientCredential {
  /**
   * A secret that rotates every `rotationDays` and expires `validityDays` after it is created.
   * @default { rotationDays: 30, validityDays: 60 }
   */
  public static rotating(options: RotatingSecretOptions = {}): ClientSecret {
    const where = "ClientSecret.rotating";
    // Each option read once: the copy is what is validated and synthesized.
    const o = readObject(
      where,
      options,
      ["rotationDays", "validityDays", "slots", "scheduleKey", "delivery"],
      "options",
      {
        code: "SECRET_OPTIONS_INVALID",
        problem: "options must be an object",
        fix: "Write e.g. ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }), or leave the options out.",
      },
    );
    return new ClientSecret(
      (o.rotationDays ?? 30) as number,
      (o.validityDays ?? 60) as number,
      o.slots,
      o.scheduleKey as string | undefined,
      o.delivery as SecretDelivery | undefined,
    );
  }

  /** The credential's kind. */
  public readonly kind = "secret" as const;
  /** How many passwords rotate in staggered slots: always 2. */
  public readonly slots = TWO_SLOTS;

  private constructor(
    /** Days between new secrets. */
    public readonly rotationDays: number,
    /** Days each secret stays valid. */
    public readonly validityDays: number,
    private readonly requestedSlots: unknown,
    /** The key of the rotation offset, if given; otherwise the client's construct path. */
    public readonly scheduleKey: string | undefined,
    /** Where the newest secret is delivered, if anywhere. */
    public readonly delivery: SecretDelivery | undefined,
  ) {
    super();
    Object.freeze(this);
  }

  /**
   * The longest gap between two applies, in days, that the schedule tolerates:
   * `min(rotationDays, validityDays − rotationDays)`.
   */
  public get maxApplyGapDays(): number {
    return maxApplyGapDays(this.rotationDays, this.validityDays);
  }

  /**
   * The rotation offset, in minutes after 1970-01-01T00:00Z, for a client at `clientPath`: the
   * slots are due at `offset + n × rotationDays` days.
   */
  public rotationOffsetMinutesFor(clientPath: string): number {
    return rotationOffsetMinutes(this.scheduleKey ?? clientPath, this.rotationDays);
  }

  /** {@inheritDoc ClientCredential.validate} */
  public validate(where: string): void {
    const at = `${where} › ClientSecret.rotating`;
    const { rotationDays, validityDays, requestedSlots, scheduleKey } = this;
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
    if (requestedSlots !== undefined && requestedSlots !== TWO_SLOTS) {
      fail(
        "SECRET_SLOTS_REMOVED",
        at,
        "slots was removed in 0.2: a secret always rotates in two staggered slots, because a single password is destroyed at every rotation while consumers still hold it",
        requestedSlots,
        "Leave slots out. Where the tenant limits passwords, use a federated credential or a certificate instead.",
      );
    }
    const least = minTwoSlotValidityDays(rotationDays);
    if (validityDays < least) {
      fail(
        "SECRET_TWO_SLOT_VALIDITY_TOO_SHORT",
        at,
        `with two slots each password is replaced every 2 × rotationDays (${2 * rotationDays} days), so validityDays must be at least 2 × rotationDays (${least})`,
        validityDays,
        `Use validityDays: ${least} or more, or rotationDays: ${Math.floor(validityDays / 2)} or less.`,
      );
    }
    if (
      scheduleKey !== undefined &&
      (typeof scheduleKey !== "string" ||
        isToken(scheduleKey) ||
        scheduleKey.trim() === "" ||
        scheduleKey.length > 1024)
    ) {
      fail(
        "SECRET_SCHEDULE_KEY_INVALID",
        at,
        "scheduleKey must be a non-empty string of at most 1024 characters, known at synth (not a Terraform reference)",
        scheduleKey,
        'Leave it out (the construct path), or keep the old path when renaming, e.g. scheduleKey: "orders/BillingSync".',
      );
    }
    if (this.delivery !== undefined) {
      if (!SecretDelivery.isSecretDelivery(this.delivery)) {
        fail(
          "SECRET_DELIVERY_INVALID",
          at,
          "delivery must be made by SecretDelivery.output() or SecretDelivery.keyVault()",
          this.delivery,
          `Replace ${describeValue(this.delivery)} with e.g. SecretDelivery.output().`,
        );
      }
      this.delivery.validate(at);
    }
  }

  /** {@inheritDoc ClientCredential.describe} */
  public describe(): CredentialModel {
    return {
      kind: this.kind,
      rotationDays: this.rotationDays,
      validityDays: this.validityDays,
      slots: this.slots,
      maxApplyGapDays: this.maxApplyGapDays,
      ...(this.delivery ? { delivery: this.delivery.describe() } : {}),
    };
  }

  /** {@inheritDoc ClientCredential.bind} */
  public bind(target: CredentialTarget): BoundCredential {
    const R = this.rotationDays;
    const V = this.validityDays;
    const stack = TerraformStack.of(target.scope);
    requireTimeProvider(
      stack,
      "two-slot schedule",
      `${target.scope.node.path} › ClientSecret.rotating: the two-slot schedule calls provider::time::rfc3339_parse, so the stack must declare the time provider. Add new TimeProvider(stack, "time") from @cdktf/provider-time/lib/provider (Terraform ≥ 1.8, time provider ≥ 0.11).`,
    );
    requireTerraformVersion(target.scope);
    const offsetMinutes = this.rotationOffsetMinutesFor(target.scope.node.path);
    const passwords = SLOT_NAMES.map(
      (name, slot) =>
        new ApplicationPasswordA(target.scope, `SecretSlot${name}`, {
          applicationId: target.applicationId,
          // Constant: a display name that changed with the client's name or the schedule would
          // replace both passwords in one apply.
          displayName: `rotating secret, slot ${name}`,
          // Known at plan time, so a saved plan approved later still sends a future end date.
          endDate: `\${timeadd(plantimestamp(), "${V * 24}h")}`,
          rotateWhenChanged: {
            [PERIOD_START_KEY]: `\${${periodStartExpression(R, offsetMinutes, slot)}}`,
          },
          lifecycle: {
            // The new password exists (and is published) before the old one is deleted.
            createBeforeDestroy: true,
            // The end date is fixed when the password is created: later plans compute a later
            // one, which must not replace it (every argument of a password forces a new one).
            ignoreChanges: ["end_date"],
          },
        }),
    );
    const [a, b] = passwords;
    const start = (p: ApplicationPasswordA) =>
      p.getStringAttribute(`rotate_when_changed.${PERIOD_START_KEY}`);
    // The newest secret is the one whose period started last, read from state: a refresh-only
    // run, or a plan that is never applied, cannot switch it to an older one. (timecmp returns
    // 1 when the first time is later.)
    const aIsNewer = Op.eq(Fn.timecmp(start(a), start(b)), 1);
    const bound: BoundCredential = {
      kind: this.kind,
      secretValue: Token.asString(conditional(aIsNewer, a.value, b.value)),
      endDate: Token.asString(conditional(aIsNewer, a.endDate, b.endDate)),
      rotationOffsetMinutes: offsetMinutes,
    };
    this.delivery?.deliver({
      scope: target.scope,
      secretValue: bound.secretValue!,
      endDate: bound.endDate!,
      displayName: target.displayName,
      clientId: target.clientId,
    });
    return bound;
  }
}

/**
 * The Terraform expression (text, without `${}`) of the start of `slot`'s current period, as an
 * RFC 3339 timestamp; the same arithmetic as `slotPeriodStart` in `rotation-schedule.ts`. Plain
 * text rather than cdktf `Op`/`Fn` trees: cdktf's time to resolve nested number tokens doubles
 * with each level (bench/synth.bench.js).
 */
export function periodStartExpression(R: number, offsetMinutes: number, slot: number): string {
  // Seconds since the epoch at plan time; fixed for the whole plan.
  const now = "provider::time::rfc3339_parse(plantimestamp()).unix";
  const shift = offsetMinutes * 60 + slot * R * DAY_SECONDS;
  const period = 2 * R * DAY_SECONDS;
  const start = `((floor(((${now} - ${shift}) / ${period})) * ${period}) + ${shift})`;
  return `timeadd("${EPOCH}", format("%ds", ${start}))`;
}

// Only this class's own factories make credentials a client accepts; its statics and methods
// cannot be replaced.
registerCredentialClass(ClientSecret);
Object.freeze(ClientSecret);
Object.freeze(ClientSecret.prototype);
