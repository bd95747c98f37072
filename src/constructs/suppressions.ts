import { Construct, IConstruct } from "constructs";
import { fail } from "../errors";
import { checkSuppressions, EffectiveSuppression, Suppression } from "../policy";
import {
  declaredSuppressions,
  recordSuppressions,
  suppressionsApplyingTo,
} from "../policy/suppression-registry";

/**
 * Suppressions of org policy rules, in the cdk-nag style: a rule id and a reason of at least 10
 * characters. A suppression added on a construct covers the machine clients at and under it (a
 * stack, a group, one client). Suppressed findings do not fail synth but are still reported: as a
 * warning on the client (`[suppressed] …` in the synth output and the manifest) and in
 * `OrgPolicy.of(scope).findings()`.
 *
 * The declared suppressions are plain data, for reports and inventories:
 * `Suppressions.of(construct)` returns `[{ id, reason }]`.
 */
export class Suppressions {
  /**
   * Suppresses rules on `construct` and everything under it.
   * @throws MachineClientsError for an unknown rule id, a reason under 10 characters, or a rule
   *   suppressed twice on the same construct
   */
  public static add(construct: IConstruct, suppressions: readonly Suppression[]): void {
    if (!Construct.isConstruct(construct)) {
      fail(
        "SUPPRESSION_TARGET_INVALID",
        "Suppressions.add",
        "suppressions are added to a construct",
        construct,
        "Pass a stack, a machine client or another construct.",
      );
    }
    const where = `${construct.node.path || "(app)"} › Suppressions.add`;
    const existing = declaredSuppressions(construct);
    const checked = checkSuppressions(where, suppressions);
    for (const s of checked) {
      if (existing.some((e) => e.id === s.id)) {
        fail(
          "SUPPRESSION_DUPLICATE",
          where,
          `rule ${s.id} is already suppressed on this construct`,
          s.id,
          "Suppress each rule once per construct.",
        );
      }
    }
    recordSuppressions(construct, checked);
  }

  /** The suppressions declared on `construct` itself (not its scopes), as `[{ id, reason }]`. */
  public static of(construct: IConstruct): readonly Suppression[] {
    return declaredSuppressions(construct);
  }

  /**
   * The suppressions in force on `construct`: declared on it or on any of its scopes, nearest
   * first (a rule suppressed at several levels reports the nearest reason), each with `declaredAt`.
   */
  public static applyingTo(construct: IConstruct): readonly EffectiveSuppression[] {
    return suppressionsApplyingTo(construct);
  }
}

// Its statics cannot be replaced (e.g. to skip a check for the whole process).
Object.freeze(Suppressions);
Object.freeze(Suppressions.prototype);
