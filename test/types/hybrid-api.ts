// Compile-time rules for hybrid APIs (`npm run typecheck` proves every `@ts-expect-error`).
import { TerraformStack, Testing } from "cdktf";
import {
  ClientSecret,
  DelegatedVocabulary,
  MachineClient,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";

const app = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
const user = DelegatedVocabulary.define({
  "orders.read.user": {
    adminConsentDisplayName: "Read orders as the user",
    adminConsentDescription: "Lets the app read the signed-in user's orders",
  },
});
const clash = DelegatedVocabulary.define({
  "Orders.Read": {
    adminConsentDisplayName: "Read orders",
    adminConsentDescription: "Lets the app read orders",
  },
});

DelegatedVocabulary.define({
  // @ts-expect-error OpenID Connect names are reserved in a delegated vocabulary
  openid: { adminConsentDisplayName: "Sign in", adminConsentDescription: "Sign the user in" },
});

export function hybridTypes(): void {
  const stack = new TerraformStack(Testing.app(), "types");
  const api = new ProtectedApi(stack, "Api", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: app,
    delegatedVocabulary: user,
  });
  api.grantDelegated("orders.read.user");
  // @ts-expect-error application permissions are not delegated scopes
  api.grantDelegated("orders.read");
  // @ts-expect-error delegated scopes are not application permissions
  api.grant("orders.read.user");
  new MachineClient(stack, "Client", {
    displayName: "client",
    // @ts-expect-error a machine client refuses delegated grants
    access: [api.grantDelegated("orders.read.user")],
    credential: ClientSecret.rotating(),
  });
  new ProtectedApi(stack, "Clash", {
    displayName: "clash-api",
    identifierUri: "api://contoso.example/clash",
    vocabulary: app,
    // @ts-expect-error a value may not be in both vocabularies (compared ignoring case)
    delegatedVocabulary: clash,
  });
  const machineOnly = new ProtectedApi(stack, "MachineOnly", {
    displayName: "machine-only",
    identifierUri: "api://contoso.example/machine",
    vocabulary: app,
  });
  // @ts-expect-error an API without a delegated vocabulary has no delegated scopes
  machineOnly.grantDelegated("orders.read.user");
}
