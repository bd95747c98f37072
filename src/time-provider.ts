import { TerraformProvider, TerraformStack } from "cdktf";

const REQUIRED = new WeakMap<TerraformStack, Set<string>>();

/**
 * Makes the stack's synthesis fail, with `message`, unless the stack declares the time provider
 * (a time resource or provider function resolves only then). Registered once per stack and
 * reason — not per construct, since each validation scans the whole stack — so an API's wait and
 * a client's rotation schedule each say why they need it.
 * @param reason what needs the provider (one validation per stack and reason)
 * @param message the error, naming the first construct that needs it and how to fix it
 */
export function requireTimeProvider(stack: TerraformStack, reason: string, message: string): void {
  let reasons = REQUIRED.get(stack);
  if (!reasons) REQUIRED.set(stack, (reasons = new Set()));
  if (reasons.has(reason)) return;
  reasons.add(reason);
  stack.node.addValidation({
    validate: () =>
      stack.node
        .findAll()
        .some((c) => c instanceof TerraformProvider && c.terraformResourceType === "time")
        ? []
        : [message],
  });
}
