// Compile-time rules of MicrosoftGraph and ExistingApi, proven by `npm run typecheck`: every
// `@ts-expect-error` line must fail to compile, every other line must compile. The message text
// of the delegated-name errors is checked in test/types/graph-messages.test.ts.
import { Construct } from "constructs";
import {
  ExistingApi,
  GraphApplicationPermission,
  MicrosoftGraph,
  ScopeGrant,
  ScopeVocabulary,
} from "../../src";

export function graphTypeRules(scope: Construct): ScopeGrant[] {
  const ok: ScopeGrant<"User.Read.All"> = MicrosoftGraph.grant("User.Read.All");
  const justified = MicrosoftGraph.grant("Mail.Send", {
    justification: "sends the monthly invoice mails to customers",
  });
  const name: GraphApplicationPermission = "Sites.Selected";

  // @ts-expect-error User.Read is delegated-only: use User.Read.All
  MicrosoftGraph.grant("User.Read");
  // @ts-expect-error offline_access is delegated-only
  MicrosoftGraph.grant("offline_access");
  // @ts-expect-error openid is delegated-only
  MicrosoftGraph.grant("openid");
  // @ts-expect-error Mail.Send.Shared is delegated-only: use Mail.Send
  MicrosoftGraph.grant("Mail.Send.Shared");
  // @ts-expect-error not a Graph permission at all
  MicrosoftGraph.grant("Orders.Read.All");
  // @ts-expect-error names are matched exactly, letter case included
  MicrosoftGraph.grant("user.read.all");
  // @ts-expect-error a tier-0 permission needs a justification
  MicrosoftGraph.grant("RoleManagement.ReadWrite.Directory");
  // @ts-expect-error a tier-0 permission needs a justification, not an empty options object
  MicrosoftGraph.grant("Application.ReadWrite.All", {});
  // @ts-expect-error a plain string is not known to be a permission
  MicrosoftGraph.grant(String("User.Read.All"));
  // @ts-expect-error delegated names are not GraphApplicationPermission
  const bad: GraphApplicationPermission = "User.Read";

  const payments = ExistingApi.fromClientId(scope, "Payments", {
    clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
    identifierUri: "api://contoso.example/payments",
    vocabulary: ScopeVocabulary.define({
      "payments.read": { description: "Read payments", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
      "payments.refund": {
        description: "Refund payments",
        id: "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11",
        privileged: true,
      },
    }),
  });
  const read: ScopeGrant<"payments.read"> = payments.grant("payments.read");
  const refund = payments.grant("payments.refund", {
    justification: "refunds orders cancelled by the support desk",
  });
  // @ts-expect-error not in the API's vocabulary
  payments.grant("payments.write");
  // @ts-expect-error a privileged permission needs a justification
  payments.grant("payments.refund");

  void name;
  void bad;
  return [ok, justified, read, refund];
}
