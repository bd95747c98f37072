// Compile-time rules of the core slice. `npm run typecheck` (part of `npm test`) compiles this
// file: every `@ts-expect-error` line must fail to compile, or the typecheck fails.
// test/types/messages.test.ts checks the wording of the compiler's messages.
import { TerraformStack } from "cdktf";
import { ClientSecret, MachineClient, ProtectedApi, ScopeGrant, ScopeVocabulary } from "../../src";

declare const stack: TerraformStack;

// Delegated scopes are compile errors, in any letter case.
// @ts-expect-error offline_access is delegated
ScopeVocabulary.define({ offline_access: { description: "x" } });
ScopeVocabulary.define({
  "orders.read": { description: "r" },
  // @ts-expect-error refresh_token is delegated, also beside valid keys
  refresh_token: { description: "x" },
});
// @ts-expect-error openid is delegated
ScopeVocabulary.define({ openid: { description: "x" } });
// @ts-expect-error profile is delegated
ScopeVocabulary.define({ profile: { description: "x" } });
// @ts-expect-error email is delegated
ScopeVocabulary.define({ email: { description: "x" } });
// @ts-expect-error address is delegated
ScopeVocabulary.define({ address: { description: "x" } });
// @ts-expect-error phone is delegated
ScopeVocabulary.define({ phone: { description: "x" } });
// @ts-expect-error user_impersonation is delegated
ScopeVocabulary.define({ user_impersonation: { description: "x" } });
// @ts-expect-error Offline_Access is delegated in any letter case
ScopeVocabulary.define({ Offline_Access: { description: "x" } });
// @ts-expect-error OPENID is delegated in any letter case
ScopeVocabulary.define({ OPENID: { description: "x" } });
// @ts-expect-error User_Impersonation is delegated in any letter case
ScopeVocabulary.define({ User_Impersonation: { description: "x" } });

// A definition needs a description, and only known properties.
// @ts-expect-error description is required
ScopeVocabulary.define({ "orders.read": {} });
// @ts-expect-error misspelt property
ScopeVocabulary.define({ "orders.read": { description: "r", priviledged: true } });

const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
});
const billing = ScopeVocabulary.define({ "invoices.read": { description: "Read invoices" } });

const api = new ProtectedApi(stack, "OrdersApi", {
  displayName: "orders-api",
  identifierUri: "api://contoso.example/orders",
  vocabulary: orders,
});
const billingApi = new ProtectedApi(stack, "BillingApi", {
  displayName: "billing-api",
  identifierUri: "api://contoso.example/billing",
  vocabulary: billing,
});

// grant() accepts only the vocabulary's keys.
api.grant("orders.read");
// @ts-expect-error not in the vocabulary
api.grant("orders.delete");
// @ts-expect-error delegated scopes are not in any vocabulary
api.grant("offline_access");
// @ts-expect-error letter case matters at compile time, as at run time
api.grant("Orders.Read");
// @ts-expect-error another API's scope
api.grant("invoices.read");
// @ts-expect-error a plain string is not a key
api.grant("orders.read" as string);

// The grant carries its scope as a literal type.
const read: ScopeGrant<"orders.read"> = api.grant("orders.read");
// @ts-expect-error the grant is for orders.read, not orders.write
const write: ScopeGrant<"orders.write"> = api.grant("orders.read");

// access takes grants only.
new MachineClient(stack, "Ok", {
  displayName: "ok",
  access: [read, billingApi.grant("invoices.read")],
  credential: ClientSecret.rotating(),
});
new MachineClient(stack, "ScopeString", {
  displayName: "bad",
  // @ts-expect-error a scope string is not a grant
  access: ["orders.read"],
  credential: ClientSecret.rotating(),
});
new MachineClient(stack, "HandMade", {
  displayName: "bad",
  // @ts-expect-error a hand-made object is not a grant
  access: [{ api, scope: "orders.read", roleId: "x", privileged: false, key: "k" }],
  credential: ClientSecret.rotating(),
});
// @ts-expect-error credential is required
new MachineClient(stack, "NoCredential", { displayName: "bad", access: [read] });
new MachineClient(stack, "CredentialObject", {
  displayName: "bad",
  access: [read],
  // @ts-expect-error a credential comes from a factory
  credential: { kind: "secret" },
});
// @ts-expect-error ClientSecret has no public constructor
new ClientSecret(30, 60);

// A bare ScopeVocabulary / ProtectedApi type accepts every concrete one (for org wrappers).
const anyVocabulary: ScopeVocabulary = orders;
const anyApi: ProtectedApi = api;
export { anyApi, anyVocabulary, write };
