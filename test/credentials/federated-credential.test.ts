import { TerraformStack } from "cdktf";
import {
  ClientCredential,
  ClientSecret,
  FederatedCredential,
  MachineClient,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";
import { errorOf, newStack, ref, resourcesOf, synth } from "../util";

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });

function setup(
  credential: ClientCredential | ClientCredential[],
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
    credential,
  });
  return { stack, client };
}

const TYPE = "azuread_application_federated_identity_credential";

describe("FederatedCredential", () => {
  it("trusts one GitHub environment", () => {
    const { stack, client } = setup(
      FederatedCredential.githubActions({
        organization: "contoso",
        repository: "billing",
        environment: "production",
      }),
    );
    expect(resourcesOf(synth(stack), TYPE)).toEqual([
      {
        application_id: ref(client.application, "id"),
        display_name: "githubActions-repo-contoso-billing-environment-production",
        description:
          "repo:contoso/billing:environment:production from https://token.actions.githubusercontent.com",
        issuer: "https://token.actions.githubusercontent.com",
        subject: "repo:contoso/billing:environment:production",
        audiences: ["api://AzureADTokenExchange"],
      },
    ]);
    expect(resourcesOf(synth(stack), "azuread_application_password")).toEqual([]);
  });

  it("trusts one GitHub branch", () => {
    const { stack } = setup(
      FederatedCredential.githubActions({
        organization: "contoso",
        repository: "billing",
        ref: "refs/heads/main",
      }),
    );
    const [fic] = resourcesOf(synth(stack), TYPE);
    expect(fic.subject).toBe("repo:contoso/billing:ref:refs/heads/main");
    expect(fic.display_name).toBe("githubActions-repo-contoso-billing-ref-refs-heads-main");
  });

  it("trusts one Kubernetes service account", () => {
    const issuer = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";
    const { stack, client } = setup(
      FederatedCredential.kubernetes({
        issuer,
        namespace: "billing",
        serviceAccount: "billing-sync",
      }),
    );
    expect(resourcesOf(synth(stack), TYPE)).toEqual([
      {
        application_id: ref(client.application, "id"),
        display_name: "kubernetes-system-serviceaccount-billing-billing-sync",
        description: `system:serviceaccount:billing:billing-sync from ${issuer}`,
        issuer,
        subject: "system:serviceaccount:billing:billing-sync",
        audiences: ["api://AzureADTokenExchange"],
      },
    ]);
  });

  it("trusts a custom issuer and subject, with a custom audience", () => {
    const { stack } = setup(
      FederatedCredential.custom({
        issuer: "https://idp.contoso.example",
        subject: "workload-42",
        audiences: ["api://contoso-exchange"],
      }),
    );
    const [fic] = resourcesOf(synth(stack), TYPE);
    expect([fic.issuer, fic.subject, fic.audiences]).toEqual([
      "https://idp.contoso.example",
      "workload-42",
      ["api://contoso-exchange"],
    ]);
  });

  it("describes itself for policy and inventory", () => {
    expect(
      FederatedCredential.custom({
        issuer: "https://idp.contoso.example",
        subject: "w",
      }).describe(),
    ).toEqual({
      kind: "federated",
      issuer: "https://idp.contoso.example",
      subject: "w",
      audiences: ["api://AzureADTokenExchange"],
    });
  });

  const gh = { organization: "contoso", repository: "billing" };
  it.each<[string, () => FederatedCredential, string]>([
    [
      "a GitHub subject pinned to neither environment nor ref",
      () => FederatedCredential.githubActions({ ...gh }),
      "FederatedCredential.githubActions: give exactly one of environment and ref, so that the subject pins the repository and the environment or the branch (got {}).",
    ],
    [
      "a GitHub subject with both environment and ref",
      () =>
        FederatedCredential.githubActions({ ...gh, environment: "prod", ref: "refs/heads/main" }),
      'give exactly one of environment and ref, so that the subject pins the repository and the environment or the branch (got {"environment":"prod","ref":"refs/heads/main"})',
    ],
    [
      "a wildcard repository",
      () =>
        FederatedCredential.githubActions({
          organization: "contoso",
          repository: "*",
          environment: "prod",
        }),
      'repository must be a GitHub name: letters, digits, ".", "_" or "-" (no "/", no wildcards) (got "*")',
    ],
    [
      "an empty organization",
      () =>
        FederatedCredential.githubActions({
          organization: "",
          repository: "billing",
          environment: "prod",
        }),
      'organization must be a GitHub name: letters, digits, ".", "_" or "-" (no "/", no wildcards) (got "")',
    ],
    [
      "an empty environment",
      () => FederatedCredential.githubActions({ ...gh, environment: " " }),
      'environment must be a non-empty environment name (got " ")',
    ],
    [
      "a wildcard environment",
      () => FederatedCredential.githubActions({ ...gh, environment: "prod-*" }),
      "subject must not contain wildcards: Entra matches it exactly, and a pattern would trust more workloads than intended",
    ],
    [
      "a short ref",
      () => FederatedCredential.githubActions({ ...gh, ref: "main" }),
      'ref must be a full git ref, "refs/heads/<branch>" or "refs/tags/<tag>" (got "main"). Use e.g. ref: "refs/heads/main".',
    ],
    [
      "a wildcard ref",
      () => FederatedCredential.githubActions({ ...gh, ref: "refs/heads/*" }),
      "subject must not contain wildcards",
    ],
    [
      "an empty namespace",
      () =>
        FederatedCredential.kubernetes({
          issuer: "https://aks.example",
          namespace: "",
          serviceAccount: "sa",
        }),
      'FederatedCredential.kubernetes: namespace must be a non-empty Kubernetes name (lowercase letters, digits, "-" and "."; no wildcards) (got "")',
    ],
    [
      "an empty service account",
      () =>
        FederatedCredential.kubernetes({
          issuer: "https://aks.example",
          namespace: "billing",
          serviceAccount: "",
        }),
      'serviceAccount must be a non-empty Kubernetes name (lowercase letters, digits, "-" and "."; no wildcards) (got "")',
    ],
    [
      "a wildcard service account",
      () =>
        FederatedCredential.kubernetes({
          issuer: "https://aks.example",
          namespace: "billing",
          serviceAccount: "*",
        }),
      'serviceAccount must be a non-empty Kubernetes name (lowercase letters, digits, "-" and "."; no wildcards) (got "*")',
    ],
    [
      "a non-https issuer",
      () =>
        FederatedCredential.kubernetes({
          issuer: "http://aks.example",
          namespace: "billing",
          serviceAccount: "sa",
        }),
      'issuer must be an https URL (got "http://aks.example"). Use the issuer\'s https URL',
    ],
    [
      "an issuer that is not a URL",
      () =>
        FederatedCredential.custom({ issuer: "token.actions.githubusercontent.com", subject: "x" }),
      'issuer must be an https URL (got "token.actions.githubusercontent.com")',
    ],
    [
      "a wildcard issuer",
      () => FederatedCredential.custom({ issuer: "https://*.example", subject: "x" }),
      'issuer must not contain wildcards (got "https://*.example")',
    ],
    [
      "a wildcard subject",
      () => FederatedCredential.custom({ issuer: "https://idp.example", subject: "team-*" }),
      'subject must not contain wildcards: Entra matches it exactly, and a pattern would trust more workloads than intended (got "team-*"). Give one exact subject per credential',
    ],
    [
      "an empty subject",
      () => FederatedCredential.custom({ issuer: "https://idp.example", subject: "" }),
      'subject must be a non-empty string (got "")',
    ],
    [
      "two audiences",
      () =>
        FederatedCredential.custom({
          issuer: "https://idp.example",
          subject: "x",
          audiences: ["a", "b"],
        }),
      'audiences must hold exactly one audience (Entra accepts one per credential) (got ["a","b"])',
    ],
    [
      "a blank audience",
      () =>
        FederatedCredential.custom({
          issuer: "https://idp.example",
          subject: "x",
          audiences: [""],
        }),
      'each audience must be a non-empty string without wildcards (got "")',
    ],
  ])("rejects %s", (_name, make, message) => {
    const stack = newStack();
    const error = errorOf(() => setup(make(), stack));
    expect(error.message).toMatch(/^test\/BillingSync › FederatedCredential\.\w+: /);
    expect(error.message).toContain(message);
    expect(stack.node.tryFindChild("BillingSync")).toBeUndefined();
  });
});

describe("several credentials on one client", () => {
  const github = () =>
    FederatedCredential.githubActions({
      organization: "contoso",
      repository: "billing",
      environment: "prod",
    });
  const aks = () =>
    FederatedCredential.kubernetes({
      issuer: "https://aks.example",
      namespace: "billing",
      serviceAccount: "sync",
    });

  it("migrates from a secret to federated credentials: all of them are synthesized", () => {
    const { stack } = setup([ClientSecret.rotating(), github(), aks()]);
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_application_password")).toHaveLength(2);
    expect(
      resourcesOf(json, TYPE)
        .map((f) => f.subject)
        .sort(),
    ).toEqual(["repo:contoso/billing:environment:prod", "system:serviceaccount:billing:sync"]);
  });

  it("names each credential's resources after its content, not its position in the list", () => {
    const addresses = (list: ClientCredential[]) =>
      Object.keys(synth(setup(list).stack).resource[TYPE]).sort();
    const forward = addresses([github(), aks()]);
    expect(addresses([aks(), github()])).toEqual(forward);
    // Removing one credential leaves the other's address alone.
    expect(forward).toContain(addresses([aks()])[0]);
  });

  it("rejects the same federated subject twice", () => {
    expect(errorOf(() => setup([github(), github()])).message).toBe(
      'test/BillingSync: the same federated credential is listed twice (got "repo:contoso/billing:environment:prod"). List each federated subject or certificate once.',
    );
  });
});

describe("federated credential limits", () => {
  it("rejects more than 20 federated credentials on one client (Entra's limit)", () => {
    const many = Array.from({ length: 21 }, (_, i) =>
      FederatedCredential.custom({
        issuer: "https://idp.contoso.example",
        subject: `workload-${i}`,
      }),
    );
    expect(errorOf(() => setup(many)).message).toBe(
      "test/BillingSync: an application holds at most 20 federated identity credentials (Entra's limit) (got 21). Split the workloads across clients, or trust fewer subjects.",
    );
    expect(() => setup(many.slice(0, 20))).not.toThrow();
  });
});
