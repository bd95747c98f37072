import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import {
  ClientSecret,
  DelegatedVocabulary,
  MachineClient,
  OrgPolicy,
  ProtectedApi,
  ScopeVocabulary,
  Suppressions,
} from "../src";
import { orders } from "./orders";

/** The delegated scopes of the orders API, for the web shop where customers sign in. */
export const ordersUser = DelegatedVocabulary.define({
  "orders.read.user": {
    adminConsentDisplayName: "Read the signed-in user's orders",
    adminConsentDescription: "Lets the app read the orders of the signed-in user",
    consent: "User",
    userConsentDisplayName: "Read your orders",
    userConsentDescription: "Lets the app read your orders",
  },
});

/** The platform team's rules, applied to the whole app in main.ts or to one stack. */
export const ORG_RULES = {
  maxSecretValidityDays: 60,
  privilegedMaxSecretValidityDays: 30,
  maxGrantsPerClient: 3,
  forbiddenScopes: ["orders.delete-all"],
  requireExplicitOwners: true,
  // The tenant's verified domains: custom identifier URIs must be on one of them (or under one).
  verifiedDomains: ["contoso.example", "contoso.onmicrosoft.com"],
} as const;

/** The team that owns the integrations (object id of an Entra group). */
export const INTEGRATIONS_TEAM = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";

/**
 * The policy scenario: an org policy on the stack, a hybrid orders API (whose users see its scopes
 * under a readable identifier URI on a verified domain of the tenant), a dedicated privileged
 * client with a justification and a short-lived secret, and a legacy client whose long secret is
 * suppressed with a reason (reported as a warning at synth).
 */
export class PolicyStack extends TerraformStack {
  /** The hybrid orders API. */
  public readonly api: ProtectedApi<
    typeof orders extends ScopeVocabulary<infer D> ? D : never,
    typeof ordersUser extends DelegatedVocabulary<infer U> ? U : never
  >;
  /** The privileged repair job. */
  public readonly repair: MachineClient;
  /** The legacy reporting job with a suppression. */
  public readonly reporting: MachineClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzureadProvider(this, "azuread", {});
    new TimeProvider(this, "time", {});
    OrgPolicy.of(this).apply(ORG_RULES);

    const api = new ProtectedApi(this, "OrdersApi", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: orders,
      delegatedVocabulary: ordersUser,
      owners: [INTEGRATIONS_TEAM],
    });
    this.api = api;

    this.repair = new MachineClient(this, "OrderRepair", {
      displayName: "order-repair",
      access: [
        api.grant("orders.admin", { justification: "nightly job repairs stuck orders (OPS-17)" }),
      ],
      credential: ClientSecret.rotating({ rotationDays: 10, validityDays: 30 }),
      owners: [INTEGRATIONS_TEAM],
    });

    this.reporting = new MachineClient(this, "LegacyReporting", {
      displayName: "legacy-reporting",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 90 }),
      owners: [INTEGRATIONS_TEAM],
    });
    Suppressions.add(this.reporting, [
      {
        id: "MC-SECRET-VALIDITY",
        reason: "vendor reporting tool reloads its secret quarterly; replacement tracked in OPS-42",
      },
    ]);
  }
}
