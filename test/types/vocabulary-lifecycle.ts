// Compile-time rules of vocabularies that evolve: retired entries and the old values of renamed
// entries cannot be granted, and a reserved value cannot be declared. `npm run typecheck`
// compiles this file: every `@ts-expect-error` line must fail to compile, or the typecheck fails.
// test/types/messages.test.ts checks the wording of the compiler's messages.
import { TerraformStack } from "cdktf";
import { ExistingApi, ProtectedApi, ScopeGrant, ScopeVocabulary } from "../../src";

declare const stack: TerraformStack;

const orders = ScopeVocabulary.define({
  "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
  "orders.write": { description: "Write orders" },
  "orders.admin": {
    description: "Manage orders",
    privileged: true,
    retired: { replacedBy: "orders.write" },
  },
  "orders.export": { description: "Export orders", retired: true },
  "orders.audit": { description: "Audit orders", privileged: true },
  "orders.old": {
    description: "Old",
    retired: { reason: "nobody calls it" },
    renamedFrom: { value: "orders.older", retired: true },
  },
});

const api = new ProtectedApi(stack, "OrdersApi", {
  displayName: "orders-api",
  identifierUri: "api://contoso.example/orders",
  vocabulary: orders,
});

// Active entries compile, and keep their literal type.
export const view: ScopeGrant<"orders.view"> = api.grant("orders.view");
api.grant("orders.write");
api.grant("orders.audit", { justification: "quarterly audit export (AUD-7)" });

// @ts-expect-error a retired entry cannot be granted (the message names its replacement)
api.grant("orders.admin", { justification: "nightly repair job fixes stuck orders" });
// @ts-expect-error a retired entry cannot be granted without options either
api.grant("orders.admin");
// @ts-expect-error a retired entry without replacement
api.grant("orders.export");
// @ts-expect-error a retired entry that was itself renamed
api.grant("orders.old");
// @ts-expect-error the old value of a renamed entry (the message names the new value)
api.grant("orders.read");
// @ts-expect-error a retired old value
api.grant("orders.older");
// @ts-expect-error unknown values still fail
api.grant("orders.delete");
// @ts-expect-error a privileged entry still needs its justification
api.grant("orders.audit");

// The same rules hold for APIs registered elsewhere.
const payments = ExistingApi.fromClientId(stack, "Payments", {
  clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
  identifierUri: "api://contoso.example/payments",
  vocabulary: ScopeVocabulary.define({
    "payments.view": {
      description: "Read payments",
      id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00",
      renamedFrom: { value: "payments.read", id: "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11" },
    },
    "payments.export": {
      description: "Export payments",
      id: "3d8e5c80-ab65-4d4c-9a2b-3d5f7e9a1b22",
      retired: true,
    },
  }),
});
payments.grant("payments.view");
// @ts-expect-error renamed on an existing API too
payments.grant("payments.read");
// @ts-expect-error retired on an existing API too
payments.grant("payments.export");

// Reserved app role values fail to compile, in any letter case.
// @ts-expect-error User is reserved by Entra ID
ScopeVocabulary.define({ User: { description: "x" } });
// @ts-expect-error user is reserved in any letter case
ScopeVocabulary.define({ "orders.read": { description: "r" }, user: { description: "x" } });

// The lifecycle properties are typed.
// @ts-expect-error retired is a boolean or { replacedBy, reason }
ScopeVocabulary.define({ "a.b": { description: "d", retired: "yes" } });
// @ts-expect-error renamedFrom is a value or { value, id, retired }
ScopeVocabulary.define({ "a.b": { description: "d", renamedFrom: { from: "a.c" } } });

// A bare ScopeVocabulary / ProtectedApi (org wrappers) accepts vocabularies that evolve, and a
// bare API's grant() takes any value (checked at run time).
export const anyVocabulary: ScopeVocabulary = orders;
export const anyApi: ProtectedApi = api;
anyApi.grant("anything.at.all");
anyApi.grant("anything.at.all", { justification: "checked at run time, like config files" });
