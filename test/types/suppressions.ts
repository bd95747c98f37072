// Compile-time rules for suppressions and config-file options (`npm run typecheck`).
import { TerraformStack, Testing } from "cdktf";
import { MachineClients, Suppressions } from "../../src";
import { ordersApi } from "../constructs/fixtures";

export function suppressionTypes(): void {
  const stack = new TerraformStack(Testing.app(), "types");
  Suppressions.add(stack, [{ id: "MC-MAX-GRANTS", reason: "legacy batch job, split in OPS-42" }]);
  // @ts-expect-error a suppression names a rule of the org policy
  Suppressions.add(stack, [{ id: "MC-NOPE", reason: "legacy batch job, split in OPS-42" }]);
  // @ts-expect-error a suppression needs a reason
  Suppressions.add(stack, [{ id: "MC-MAX-GRANTS" }]);

  MachineClients.fromFile(stack, "integrations.yaml", { apis: { orders: ordersApi(stack) } });
  // @ts-expect-error the apis option maps keys to APIs, not to names
  MachineClients.fromFile(stack, "integrations.yaml", { apis: { orders: "orders-api" } });
}
