import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { TerraformStack, Testing, Token, ref as tfRef } from "cdktf";
import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "../src";
import { KeyVaultDeliveryOptions, SecretDelivery } from "../src/azurerm";
import { errorOf, newStack, ref, resolveIn, resourcesOf, synth } from "./util";

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
const VAULT =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-billing/providers/Microsoft.KeyVault/vaults/kv-billing";

function setup(
  delivery: SecretDelivery | ReturnType<typeof SecretDelivery.keyVault>,
  stack: TerraformStack = newStack(),
) {
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
  });
  const client = new MachineClient(stack, "BillingSync", {
    displayName: "billing-sync",
    access: [api.grant("orders.read")],
    credential: ClientSecret.rotating({ delivery }),
  });
  return { stack, client };
}

describe("SecretDelivery.keyVault (cdktf-machine-clients/azurerm)", () => {
  it("writes the newest secret to a key vault secret that expires with it", () => {
    const { stack, client } = setup(
      SecretDelivery.keyVault({
        keyVaultId: VAULT,
        secretName: "billing-sync-secret",
        tags: { team: "billing" },
      }),
    );
    const json = synth(stack);
    const [a, b] = client.node
      .findAll()
      .filter((c): c is ApplicationPasswordA => c instanceof ApplicationPasswordA);
    const [secret] = resourcesOf(json, "azurerm_key_vault_secret");
    const inner = (s: string) => s.slice(2, -1);
    const condition = inner(resolveIn(stack, client.secretValue) as string).split(" ? ")[0];
    expect(secret).toEqual({
      key_vault_id: VAULT,
      name: "billing-sync-secret",
      value: `\${${condition} ? ${inner(ref(a, "value"))} : ${inner(ref(b, "value"))}}`,
      expiration_date: `\${${condition} ? ${inner(ref(a, "end_date"))} : ${inner(ref(b, "end_date"))}}`,
      content_type: `client secret of billing-sync (client id ${ref(client.application, "client_id")})`,
      tags: { team: "billing" },
    });
    // The newest slot is picked by the period that started last, as recorded in state: slot A's
    // start vs slot B's, never the plan time.
    expect(condition).toBe(
      `(timecmp(${inner(ref(a, "rotate_when_changed.period_start"))}, ${inner(ref(b, "rotate_when_changed.period_start"))}) == 1)`,
    );
    expect(client.toModel().credentials[0].delivery).toBe("key-vault:billing-sync-secret");
  });

  it("still offers SecretDelivery.output() from the subpath", () => {
    const { stack } = setup(SecretDelivery.output());
    expect(Object.values(synth(stack).output as object)).toHaveLength(1);
  });

  it("never writes a secret value into the synthesized JSON, only references", () => {
    const { stack } = setup(
      SecretDelivery.keyVault({ keyVaultId: VAULT, secretName: "billing-sync-secret" }),
    );
    const text = Testing.synth(stack);
    // Every "value" in the configuration is a reference to a password's value, never a literal.
    const values = [...text.matchAll(/"value": "([^"]*)"/g)]
      .map((m) => m[1])
      .filter((v) => v !== "orders.read"); // the API's app role value
    expect(values).toHaveLength(1);
    expect(values[0]).toMatch(
      /^\$\{.* \? azuread_application_password\.\w+\.value : azuread_application_password\.\w+\.value\}$/,
    );
    expect(text).not.toMatch(/"value_wo"/);
    // Resolving the client's secret gives only a reference as well.
    const json = synth(stack);
    expect(JSON.stringify(json.resource.azuread_application_password)).not.toContain('"value"');
  });

  it("accepts references for the vault id and secret name, unvalidated", () => {
    const { stack } = setup(
      SecretDelivery.keyVault({
        keyVaultId: Token.asString(tfRef("azurerm_key_vault.kv.id")),
        secretName: Token.asString(tfRef("var.secret_name")),
      }),
    );
    const [secret] = resourcesOf(synth(stack), "azurerm_key_vault_secret");
    expect([secret.key_vault_id, secret.name]).toEqual([
      "${azurerm_key_vault.kv.id}",
      "${var.secret_name}",
    ]);
  });

  it.each<[string, KeyVaultDeliveryOptions, string]>([
    [
      "a vault name instead of its resource id",
      { keyVaultId: "kv-billing", secretName: "s" },
      'keyVaultId must be a key vault resource id (got "kv-billing"). Use e.g. "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>", or a reference such as vault.id.',
    ],
    [
      "a secret name with underscores",
      { keyVaultId: VAULT, secretName: "billing_sync" },
      'secretName must be 1 to 127 letters, digits and dashes (Key Vault\'s rule) (got "billing_sync")',
    ],
    [
      "an empty secret name",
      { keyVaultId: VAULT, secretName: "" },
      'secretName must be 1 to 127 letters, digits and dashes (Key Vault\'s rule) (got "")',
    ],
    [
      "a secret name over 127 characters",
      { keyVaultId: VAULT, secretName: "s".repeat(128) },
      "secretName must be 1 to 127 letters, digits and dashes",
    ],
  ])("rejects %s", (_name, options, message) => {
    const stack = newStack();
    const error = errorOf(() => setup(SecretDelivery.keyVault(options), stack));
    expect(error.message).toMatch(
      /^test\/BillingSync › ClientSecret\.rotating › SecretDelivery\.keyVault: /,
    );
    expect(error.message).toContain(message);
    expect(stack.node.tryFindChild("BillingSync")).toBeUndefined();
  });

  it("rejects missing options", () => {
    expect(
      errorOf(() => setup(SecretDelivery.keyVault(undefined as unknown as KeyVaultDeliveryOptions)))
        .message,
    ).toContain(
      "SecretDelivery.keyVault: keyVault needs options (got undefined). Pass { keyVaultId, secretName }.",
    );
  });
});
