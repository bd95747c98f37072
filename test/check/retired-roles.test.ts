import { App } from "cdktf";
import {
  ClientSecret,
  ExistingApi,
  MachineClient,
  ProtectedApi,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { checkPaths } from "../../src/check";
import { providerStack } from "../constructs/fixtures";
import * as path from "node:path";
import { FIXTURES, NOW, checkFiles, removeTempDirs, summary, tempDir } from "./check-util";

afterAll(removeTempDirs);

const ENABLED = "11111111-2222-4333-8444-555555555555";
const DISABLED = "22222222-3333-4444-8555-666666666666";
const GONE = "33333333-4444-4555-8666-777777777777";

const api = (roles: string) => `
resource "azuread_application" "api" {
  display_name = "orders-api"
  ${roles}
}
resource "azuread_service_principal" "api" {
  client_id                    = azuread_application.api.client_id
  app_role_assignment_required = true
}
resource "azuread_application" "client" { display_name = "client" }
resource "azuread_service_principal" "client" { client_id = azuread_application.client.client_id }
`;

const role = (id: string, value: string, enabled: boolean) => `
  app_role {
    id                   = "${id}"
    value                = "${value}"
    description          = "${value}"
    display_name         = "${value}"
    allowed_member_types = ["Application"]
    enabled              = ${enabled}
  }`;

const assignment = (name: string, id: string) => `
resource "azuread_app_role_assignment" "${name}" {
  app_role_id         = "${id}"
  principal_object_id = azuread_service_principal.client.object_id
  resource_object_id  = azuread_service_principal.api.object_id
}`;

describe("MCC012 assignments of retired or removed app roles", () => {
  test("rejects an assignment of a disabled role and of an undeclared one, in one module", async () => {
    const r = await checkFiles({
      "main.tf":
        api(role(ENABLED, "orders.read", true) + role(DISABLED, "orders.admin", false)) +
        assignment("read", ENABLED) +
        assignment("admin", DISABLED) +
        assignment("export", GONE),
    });
    expect(summary(r).filter((s) => s.startsWith("MCC012"))).toEqual([
      "MCC012:error:azuread_app_role_assignment.admin",
      "MCC012:error:azuread_app_role_assignment.export",
    ]);
    const [admin, gone] = r.findings.filter((f) => f.ruleId === "MCC012");
    expect(admin.message).toBe(
      `azuread_app_role_assignment.admin assigns app role "orders.admin" (${DISABLED}), which azuread_application.api declares disabled (retired): disabling a role does not revoke it, so the client keeps it in its tokens while this assignment exists.`,
    );
    expect(admin.line).toBeGreaterThan(1);
    expect(gone.message).toContain(
      `assigns app role id ${GONE}, which azuread_application.api does not declare`,
    );
  });

  test("follows an app_role_ids look-up to the role's value", async () => {
    const lookup = (name: string, value: string) => `
resource "azuread_app_role_assignment" "${name}" {
  app_role_id         = azuread_application.api.app_role_ids["${value}"]
  principal_object_id = azuread_service_principal.client.object_id
  resource_object_id  = azuread_service_principal.api.object_id
}`;
    const r = await checkFiles({
      "main.tf":
        api(role(ENABLED, "orders.read", true) + role(DISABLED, "orders.admin", false)) +
        lookup("read", "orders.read") +
        lookup("admin", "orders.admin") +
        lookup("gone", "orders.gone"),
    });
    expect(summary(r).filter((s) => s.startsWith("MCC012"))).toEqual([
      "MCC012:error:azuread_app_role_assignment.admin",
      "MCC012:error:azuread_app_role_assignment.gone",
    ]);
    const gone = r.findings.find((f) => f.address.endsWith(".gone"))!;
    expect(gone.message).toContain(
      'assigns app role "orders.gone", which azuread_application.api does not declare',
    );
  });

  test("finds the retired role's assignment in the fixture, and only that one", async () => {
    const r = await checkPaths([path.join(FIXTURES, "retired-role")], { now: NOW });
    expect(summary(r).filter((s) => s.startsWith("MCC012"))).toEqual([
      "MCC012:error:azuread_app_role_assignment.billing_admin",
    ]);
  });

  test("gives a note, not a verdict, where the roles cannot be known statically", async () => {
    const r = await checkFiles({
      "main.tf":
        `variable "roles" { type = list(string) }\n` +
        api(`dynamic "app_role" {
    for_each = var.roles
    content {
      id                   = app_role.value
      value                = "v"
      description          = "d"
      display_name         = "d"
      allowed_member_types = ["Application"]
    }
  }`) +
        assignment("x", GONE),
    });
    const mine = r.findings.filter((f) => f.ruleId === "MCC012");
    expect(mine.map((f) => [f.severity, f.address])).toEqual([
      ["note", "azuread_app_role_assignment.x"],
    ]);
    expect(mine[0].message).toContain("The app roles of azuread_application.api cannot be known");
    expect(mine[0].message).toContain("var.roles");
  });
});

describe("MCC012 across stacks, from the library's machine-clients.json", () => {
  const READ_ID = deriveRoleId("orders.read");
  const ADMIN_ID = deriveRoleId("orders.admin");

  /** Synthesizes the orders API's stack and a reporting stack with an ExistingApi copy. */
  function synthApp(copy: Record<string, { description: string; id: string }>): string {
    const outdir = tempDir("mcc-retired-");
    const app = new App({ outdir });
    const orders = providerStack(app, "orders");
    new ProtectedApi(orders, "OrdersApi", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({
        "orders.read": { description: "Read orders" },
        "orders.admin": { description: "Manage", retired: { replacedBy: "orders.read" } },
      }),
    });
    const reporting = providerStack(app, "reporting");
    const existing = ExistingApi.fromClientId(reporting, "Orders", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define(copy),
    });
    const grant = (s: string) => (existing as unknown as { grant(s: string): ScopeGrant }).grant(s);
    new MachineClient(reporting, "Reporting", {
      displayName: "reporting",
      access: Object.keys(copy).map(grant),
      credential: ClientSecret.rotating(),
    });
    app.synth();
    return outdir;
  }

  test("reports a grant of a role the API's own stack retired, at the assignment", async () => {
    const dir = synthApp({
      "orders.read": { description: "r", id: READ_ID },
      "orders.admin": { description: "m", id: ADMIN_ID },
    });
    const r = await checkPaths([dir], { now: NOW });
    const found = r.findings.filter((f) => f.ruleId === "MCC012");
    expect(found).toHaveLength(1);
    expect(found[0].file).toMatch(/stacks\/reporting\/cdk\.tf\.json$/);
    expect(found[0].address).toMatch(/^azuread_app_role_assignment\.Reporting_Grant-/);
    expect(found[0].line).toBeGreaterThan(1);
    expect(found[0].message).toBe(
      `reporting/Reporting holds "orders.admin" (${ADMIN_ID}) on api://contoso.example/orders, which the API's own declaration (orders/OrdersApi in stack orders) has retired (replaced by "orders.read"): disabling a role does not revoke it, so the client keeps it in its tokens while the assignment exists.`,
    );
    expect(found[0].fix).toBe(
      'Remove the grant in this stack (grant "orders.read" instead) and the entry from its copy of the API\'s vocabulary.',
    );
  });

  test("reports a grant of a role the API's own stack removed", async () => {
    const EXPORT = "3d8e5c80-ab65-4d4c-9a2b-3d5f7e9a1b22";
    const dir = synthApp({ "orders.export": { description: "e", id: EXPORT } });
    const r = await checkPaths([dir], { now: NOW });
    expect(r.findings.filter((f) => f.ruleId === "MCC012").map((f) => f.message)).toEqual([
      `reporting/Reporting holds "orders.export" (${EXPORT}) on api://contoso.example/orders, which the API's own declaration (orders/OrdersApi in stack orders) no longer declares: the assignment points at a removed role, and this stack's plan fails on it.`,
    ]);
  });

  test("passes current grants, and one stack checked without the API's stack", async () => {
    const current = synthApp({ "orders.read": { description: "r", id: READ_ID } });
    expect(
      (await checkPaths([current], { now: NOW })).findings.filter((f) => f.ruleId === "MCC012"),
    ).toEqual([]);
    const stale = synthApp({ "orders.admin": { description: "m", id: ADMIN_ID } });
    const alone = await checkPaths([`${stale}/stacks/reporting`], { now: NOW });
    expect(alone.findings.filter((f) => f.ruleId === "MCC012")).toEqual([]);
  });
});
