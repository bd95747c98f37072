/**
 * Where declared suppressions are kept: a registry below both `constructs/` (which validates and
 * records them through `Suppressions.add`) and `inventory/` (whose manifest lists them), so that
 * the manifest reads them without importing a construct class. Keyed by object identity; the
 * scope type is structural, so nothing here imports `constructs`.
 *
 * Internal: not re-exported from `policy/index.ts` or the package, so only `Suppressions.add`
 * (which validates ids and reasons) records anything.
 */
import type { EffectiveSuppression } from "./evaluate";
import type { Suppression } from "./types";

/** A construct as far as suppressions need one: its path and its scopes (root first, itself last). */
export interface SuppressionScope {
  /** The construct's node. */
  readonly node: {
    /** The construct path. */
    readonly path: string;
    /** The scopes from the root down to the construct itself. */
    readonly scopes: readonly object[];
  };
}

const DECLARED = new WeakMap<object, readonly Suppression[]>();

/** Records checked suppressions on `scope`, after those already there. */
export function recordSuppressions(scope: object, checked: readonly Suppression[]): void {
  DECLARED.set(scope, Object.freeze([...(DECLARED.get(scope) ?? []), ...checked]));
}

/** The suppressions declared on `scope` itself (not its scopes). */
export function declaredSuppressions(scope: object): readonly Suppression[] {
  return DECLARED.get(scope) ?? [];
}

/**
 * The suppressions in force on `target`: declared on it or on any of its scopes, nearest first
 * (a rule suppressed at several levels reports the nearest reason), each with `declaredAt`.
 */
export function suppressionsApplyingTo(target: SuppressionScope): readonly EffectiveSuppression[] {
  const result: EffectiveSuppression[] = [];
  for (const scope of [...target.node.scopes].reverse()) {
    for (const s of DECLARED.get(scope) ?? []) {
      if (!result.some((r) => r.id === s.id)) {
        result.push({ ...s, declaredAt: (scope as SuppressionScope).node.path });
      }
    }
  }
  return result;
}
