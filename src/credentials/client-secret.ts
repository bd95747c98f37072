import { Fn, Op, TerraformProvider, TerraformStack, Token, conditional, ref } from "cdktf";
import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { Rotating } from "@cdktf/provider-time/lib/rotating";
import { describeValue, fail } from "../errors";
import { CredentialModel } from "../model";
import { BoundCredential, ClientCredential, CredentialTarget } from "./credential";
import { DAY_SECONDS, maxApplyGapDays, minTwoSlotValidityDays } from "./rotation-schedule";
import { SecretDelivery } from "./secret-delivery";

/** Options of {@link ClientSecret.rotating}. */
export interface RotatingSecretOptions {
  /**
   * Days between new secrets. An integer, at least 1 and less than `validityDays`; with two
   * slots, at most `validityDays / 2`. Pipelines must apply at least every
   * `min(rotationDays, validityDays − rotationDays)` days (see the README's apply schedule).
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * Days each secret stays valid, counted from the start of the rotation period it was created
   * for. An integer, more than `rotationDays` (two slots: at least `2 × rotationDays`) and at
   * most 90.
   * @default 60
   */
  readonly validityDays?: number;
  /**
   * How many passwords rotate in staggered slots. `2` (the default) keeps the previous secret valid
   * while consumers move to the new one; `1` is for tenants that cap the number of passwords, and
   * replaces the secret in place: consumers holding it fail until they re-read it.
   * @default 2
   */
  readonly slots?: 1 | 2;
  /**
   * Where the newest secret goes: `SecretDelivery.output()` or, from
   * `cdktf-machine-clients/azurerm`, `SecretDelivery.keyVault({ keyVaultId, secretName })`.
   * @default no delivery: the value is only reachable as `MachineClient.secretValue`
   */
  readonly delivery?: SecretDelivery;
}

/** The longest validity the library accepts for a client secret (Microsoft recommends under 12 months). */
export const MAX_SECRET_VALIDITY_DAYS = 90;

/** The epoch the two-slot calendar counts from: periods start at UTC midnight. */
const EPOCH = "1970-01-01T00:00:00Z";

/**
 * A client secret (`azuread_application_password`) that rotates on a schedule.
 *
 * Two slots (the default): two passwords on calendar periods of `2 × rotationDays` days staggered
 * by `rotationDays`, so that a new secret is minted every `rotationDays` while the previous one
 * stays valid. Each password is keyed (`rotate_when_changed`) on its slot's period, computed at plan
 * time from `plantimestamp()` with the time provider's `rfc3339_parse` function (Terraform ≥ 1.8,
 * time provider ≥ 0.11): a plan between two boundaries shows no change, and late applies never
 * shift the schedule. Each password ends `validityDays` after the start of its period.
 *
 * One slot: a single password replaced when its `time_rotating` expires (at the first apply after
 * `rotationDays`), ending `validityDays` after that apply.
 */
export class ClientSecret extends ClientCredential {
  /**
   * A secret that rotates every `rotationDays` and expires `validityDays` after its period starts.
   * @default { rotationDays: 30, validityDays: 60, slots: 2 }
   */
  public static rotating(options: RotatingSecretOptions = {}): ClientSecret {
    return new ClientSecret(
      options.rotationDays ?? 30,
      options.validityDays ?? 60,
      options.slots ?? 2,
      options.delivery,
    );
  }

  /** The credential's kind. */
  public readonly kind = "secret" as const;

  private constructor(
    /** Days between new secrets. */
    public readonly rotationDays: number,
    /** Days each secret stays valid. */
    public readonly validityDays: number,
    /** How many passwords rotate in staggered slots (1 or 2). */
    public readonly slots: number,
    /** Where the newest secret is delivered, if anywhere. */
    public readonly delivery: SecretDelivery | undefined,
  ) {
    super();
  }

  /**
   * The longest gap between two applies, in days, that the schedule tolerates: with two slots
   * `min(rotationDays, validityDays − rotationDays)`; with one slot `validityDays − rotationDays`
   * (beyond it the secret expires before it is replaced).
   */
  public get maxApplyGapDays(): number {
    return this.slots === 1
      ? this.validityDays - this.rotationDays
      : maxApplyGapDays(this.rotationDays, this.validityDays);
  }

  /** @inheritdoc */
  public validate(where: string): void {
    const at = `${where} › ClientSecret.rotating`;
    const { rotationDays, validityDays, slots } = this;
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
    if (slots !== 1 && slots !== 2) {
      fail(
        "SECRET_SLOTS_INVALID",
        at,
        "slots must be 2 (staggered passwords, the default) or 1 (one password replaced in place)",
        slots,
        "Leave slots out, or use slots: 1 where the tenant caps the number of passwords.",
      );
    }
    const least = minTwoSlotValidityDays(rotationDays);
    if (slots === 2 && validityDays < least) {
      fail(
        "SECRET_TWO_SLOT_VALIDITY_TOO_SHORT",
        at,
        `with two slots each password is replaced every 2 × rotationDays (${2 * rotationDays} days), so validityDays must be at least 2 × rotationDays (${least})`,
        validityDays,
        `Use validityDays: ${least} or more, or rotationDays: ${Math.floor(validityDays / 2)} or less.`,
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

  /** @inheritdoc */
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

  /** @inheritdoc */
  public bind(target: CredentialTarget): BoundCredential {
    const bound = this.slots === 1 ? this.bindOneSlot(target) : this.bindTwoSlots(target);
    this.delivery?.deliver({
      scope: target.scope,
      secretValue: bound.secretValue!,
      endDate: bound.endDate!,
      displayName: target.displayName,
      clientId: target.clientId,
    });
    return bound;
  }

  private bindOneSlot(target: CredentialTarget): BoundCredential {
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

  private bindTwoSlots(target: CredentialTarget): BoundCredential {
    const R = this.rotationDays;
    const V = this.validityDays;
    requireTimeProvider(TerraformStack.of(target.scope), target.scope.node.path);
    const slots = [0, 1].map((slot) => {
      const expr = slotExpressions(R, V, slot);
      const name = slot === 0 ? "A" : "B";
      const password = new ApplicationPasswordA(target.scope, `SecretSlot${name}`, {
        applicationId: target.applicationId,
        displayName: `${target.displayName} (slot ${name} of 2: new secret every ${R}d, valid ${V}d)`,
        endDate: `\${${expr.endDate}}`,
        rotateWhenChanged: { period: `\${${expr.period}}` },
      });
      return { password, startDay: Token.asNumber(ref(expr.startDay)) };
    });
    // The newest secret is the one whose period started last.
    const aIsNewer = Op.gt(slots[0].startDay, slots[1].startDay);
    return {
      kind: this.kind,
      secretValue: Token.asString(
        conditional(aIsNewer, slots[0].password.value, slots[1].password.value),
      ),
      endDate: Token.asString(
        conditional(aIsNewer, slots[0].password.endDate, slots[1].password.endDate),
      ),
    };
  }
}

/**
 * The Terraform expressions (text, without `${}`) of one slot of the two-slot schedule; the same
 * arithmetic as `rotation-schedule.ts`. Plain strings rather than cdktf `Op`/`Fn` trees: cdktf's
 * time to resolve nested number tokens doubles with each level, which made synthesis of thousands
 * of clients ten times slower than the same resources written by hand (bench/synth.bench.js).
 */
function slotExpressions(R: number, V: number, slot: number) {
  // Seconds since the epoch at plan time; fixed for the whole plan.
  const now = "provider::time::rfc3339_parse(plantimestamp()).unix";
  const shifted = slot === 0 ? now : `(${now} - ${slot * R * DAY_SECONDS})`;
  const period = `floor((${shifted} / ${2 * R * DAY_SECONDS}))`;
  const startDay = slot === 0 ? `(${period} * ${2 * R})` : `((${period} * ${2 * R}) + ${slot * R})`;
  return {
    period,
    startDay,
    endDate: `timeadd("${EPOCH}", format("%dh", ((${startDay} + ${V}) * 24)))`,
  };
}

const TIME_PROVIDER_CHECKED = new WeakSet<TerraformStack>();

/**
 * The schedule calls a time provider function, which Terraform resolves only when the stack
 * declares the time provider (with no time resource, nothing else would declare it). One
 * validation per stack, not per client: each scans the whole stack.
 */
function requireTimeProvider(stack: TerraformStack, firstClientPath: string): void {
  if (TIME_PROVIDER_CHECKED.has(stack)) return;
  TIME_PROVIDER_CHECKED.add(stack);
  stack.node.addValidation({
    validate: () =>
      stack.node
        .findAll()
        .some((c) => c instanceof TerraformProvider && c.terraformResourceType === "time")
        ? []
        : [
            `${firstClientPath} › ClientSecret.rotating: the two-slot schedule calls provider::time::rfc3339_parse, so the stack must declare the time provider. Add new TimeProvider(stack, "time") from @cdktf/provider-time/lib/provider (Terraform ≥ 1.8, time provider ≥ 0.11).`,
          ],
  });
}
