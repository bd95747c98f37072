/**
 * The stack the Terraform tier runs: the DESIGN.md scenario (an orders API and a billing client
 * with a rotating secret), the secret delivered to Key Vault and published as an output.
 */
import { TerraformStack, Testing } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "../../src";
import { SecretDelivery } from "../../src/azurerm";
import { ScheduleConfig } from "../../src/credentials/rotation-model";
import { TfJson } from "./harness";

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });

/** The client's construct path, which is also the default schedule key. */
export const CLIENT_PATH = "orders/BillingSync";

/** The id of the output that `addSecretOutput` writes (its name is derived from it). */
export const PUBLISHED_OUTPUT_ID = "PublishedSecret";

/** The settings the tier starts from, unless a scenario says otherwise. */
export function defaultConfig(rotationDays: number, validityDays: number): ScheduleConfig {
  return { rotationDays, validityDays, scheduleKey: CLIENT_PATH, displayName: "billing-sync" };
}

/** Synthesizes the tier's stack for `config`. */
export function synthRotationStack(config: ScheduleConfig): TfJson {
  const stack = new TerraformStack(Testing.app(), "orders");
  new AzureadProvider(stack, "azuread", {});
  new TimeProvider(stack, "time", {});
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
  });
  const client = new MachineClient(stack, "BillingSync", {
    displayName: config.displayName,
    access: [api.grant("orders.read")],
    credential: ClientSecret.rotating({
      rotationDays: config.rotationDays,
      validityDays: config.validityDays,
      ...(config.scheduleKey !== CLIENT_PATH ? { scheduleKey: config.scheduleKey } : {}),
      delivery: SecretDelivery.keyVault({
        keyVaultId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        secretName: "billing-sync-secret",
      }),
    }),
  });
  client.addSecretOutput(PUBLISHED_OUTPUT_ID);
  return JSON.parse(Testing.synth(stack));
}
