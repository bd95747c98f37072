import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ClientSecret, ExistingApi, MachineClient, MicrosoftGraph, ScopeVocabulary } from "../src";

/**
 * The payments API, registered by the payments team in their own stack: its vocabulary adopts
 * the real app role ids (copied from the API's app registration, `appRoles[].id`).
 */
export const payments = ScopeVocabulary.define({
  "payments.read": { description: "Read payments", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
  "payments.refund": {
    description: "Refund payments",
    id: "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11",
    privileged: true,
  },
});

/**
 * Machine clients that call Microsoft Graph and an API registered elsewhere: a directory sync
 * that reads users and groups, a mailer that sends invoices (Mail.Send is tier 0, so it needs a
 * justification), and a reconciler granted a permission on the payments team's API.
 */
export class DirectoryStack extends TerraformStack {
  public readonly directorySync: MachineClient;
  public readonly invoiceMailer: MachineClient;
  public readonly reconciler: MachineClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzureadProvider(this, "azuread", {});
    new TimeProvider(this, "time", {});

    this.directorySync = new MachineClient(this, "DirectorySync", {
      displayName: "directory-sync",
      // MicrosoftGraph.grant("User.Read") does not compile: it is a delegated permission, and the
      // message names the application permission to use instead, User.Read.All.
      access: [MicrosoftGraph.grant("User.Read.All"), MicrosoftGraph.grant("GroupMember.Read.All")],
      credential: ClientSecret.rotating({ rotationDays: 20, validityDays: 60 }),
    });

    this.invoiceMailer = new MachineClient(this, "InvoiceMailer", {
      displayName: "invoice-mailer",
      access: [
        MicrosoftGraph.grant("Mail.Send", {
          justification:
            "Sends invoices from the billing mailbox; restrict it with an Exchange application access policy.",
        }),
      ],
      credential: ClientSecret.rotating({ rotationDays: 20, validityDays: 60 }),
    });

    const paymentsApi = ExistingApi.fromClientId(this, "PaymentsApi", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c", // api://{appId}
      vocabulary: payments,
    });
    this.reconciler = new MachineClient(this, "Reconciler", {
      displayName: "payments-reconciler",
      access: [paymentsApi.grant("payments.read"), MicrosoftGraph.grant("User.ReadBasic.All")],
      credential: ClientSecret.rotating({ rotationDays: 20, validityDays: 60 }),
    });
  }
}
