import { Token } from "cdktf";

/**
 * True when `value` is a cdktf token that resolves only at synth or apply time: such values are
 * not validated at synth. Lives at the bottom of the layers (beside `errors.ts` and `model.ts`)
 * because credentials, constructs and the Key Vault entry point all need it.
 */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && Token.isUnresolved(value);
}
