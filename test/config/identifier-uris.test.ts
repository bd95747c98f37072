import { Testing } from "cdktf";
import {
  ConfigFileError,
  ExistingApi,
  MachineClients,
  ScopeVocabulary,
  Suppressions,
  manifestOf,
} from "../../src";
import { providerStack } from "../constructs/fixtures";
import { errorOf, ref, resolveIn } from "../util";
import { configApis } from "./fixtures";

// Config files name APIs by key; the identifier URIs are those of the APIs passed in `apis`,
// declared (and checked) in TypeScript.
const FILE = `clients:
  - name: billing-sync
    access: [{ api: orders, scope: orders.read }]
    credential: { type: secret }
`;

describe("config-file clients and identifier URIs", () => {
  it("request tokens for the default api://{appId} of the APIs they are granted on", () => {
    const stack = providerStack();
    const apis = configApis(stack);
    const group = MachineClients.fromText(stack, "integrations.yaml", FILE, { apis });
    const client = group.clients.get("billing-sync")!;
    const uri = ref(apis.orders.identifierUriResource!, "identifier_uri");
    expect(resolveIn(stack, client.tokenScopeFor(apis.orders))).toBe(`${uri}/.default`);
    expect(manifestOf(stack).clients[0].grants).toEqual([
      expect.objectContaining({ api: "test/OrdersApi", identifierUri: uri, scope: "orders.read" }),
    ]);
  });

  it("are checked with the API they use: a legacy URI fails synth until suppressed", () => {
    const stack = providerStack();
    const payments = ExistingApi.fromClientId(stack, "Payments", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://payments",
      vocabulary: ScopeVocabulary.define({
        "payments.read": { description: "Read", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
      }),
    });
    MachineClients.fromText(
      stack,
      "integrations.yaml",
      FILE.replace("api: orders, scope: orders.read", "api: payments, scope: payments.read"),
      { apis: { payments } },
    );
    expect(errorOf(() => Testing.synth(stack, true)).message).toContain(
      "[test/Payments] MC-IDENTIFIER-URI-PATTERN: identifierUri matches none of Microsoft's secure identifier URI patterns",
    );
    Suppressions.add(payments, [
      { id: "MC-IDENTIFIER-URI-PATTERN", reason: "vendor API registered before 2024, see OPS-77" },
    ]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  it("rejects an identifier URI written in the file, with the line", () => {
    const stack = providerStack();
    const e = errorOf(() =>
      MachineClients.fromText(
        stack,
        "integrations.yaml",
        FILE.replace("scope: orders.read }", 'scope: orders.read, identifierUri: "api://orders" }'),
        { apis: configApis(stack) },
      ),
    );
    expect(e).toBeInstanceOf(ConfigFileError);
    expect(e.message).toContain(
      'integrations.yaml:3 clients[0] "billing-sync" › access[0]: unknown key "identifierUri"',
    );
  });
});
