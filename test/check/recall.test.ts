import * as path from "node:path";
import { checkPaths } from "../../src/check";
import { FIXTURES, NOW, checkFiles, machineClient, removeTempDirs, summary } from "./check-util";

afterAll(removeTempDirs);

// The fixtures' APIs are on api://contoso.example/…: a verified domain of their tenant (MCC013).
const fixture = (name: string) =>
  checkPaths([path.join(FIXTURES, name)], { now: NOW, verifiedDomains: ["contoso.example"] });

describe("for expressions over known collections, followed through locals", () => {
  test("reports an API whose roles come from a for expression over literals (MCC009)", async () => {
    const r = await fixture("for-expressions");
    expect(summary(r)).toEqual([
      "MCC009:error:azuread_service_principal.reports_api",
      "MCC011:error:azuread_application.directory_job",
    ]);
    expect(r.findings[0].message).toContain("exposes app roles to applications");
    // The if filter keeps the application permissions, Directory.ReadWrite.All among them.
    expect(r.findings[1].message).toContain("Directory.ReadWrite.All");
  });

  test("accepts the same shapes where assignment is required or the filter drops tier 0", async () => {
    const r = await fixture("for-expressions");
    const addresses = r.findings.map((f) => f.address);
    expect(addresses).not.toContain("azuread_service_principal.audit_api");
    expect(addresses).not.toContain("azuread_application.reader_job");
  });

  test("a dynamic block over a for expression of Graph app_role_ids look-ups reports each name", async () => {
    // The list is known, its elements are look-ups known only at plan: each iteration keeps its
    // look-up, as the direct form (for_each = toset(names), id = app_role_ids[each]) does.
    const r = await checkFiles({
      "main.tf": `locals {
  perms = ["Application.ReadWrite.All", "User.Read.All"]
}
data "azuread_application_published_app_ids" "well_known" {}
data "azuread_service_principal" "graph" {
  client_id = data.azuread_application_published_app_ids.well_known.result["MicrosoftGraph"]
}
${machineClient(`required_resource_access {
    resource_app_id = data.azuread_application_published_app_ids.well_known.result["MicrosoftGraph"]
    dynamic "resource_access" {
      for_each = [for p in local.perms : data.azuread_service_principal.graph.app_role_ids[p]]
      content {
        id   = resource_access.value
        type = "Role"
      }
    }
  }`)}`,
    });
    const graph = r.findings.filter((f) => f.ruleId === "MCC011");
    expect(graph.map((f) => f.severity)).toEqual(["error"]);
    expect(graph[0].message).toContain("Application.ReadWrite.All");
    expect(r.findings.filter((f) => f.severity === "note")).toEqual([]);
  });

  test("a for expression whose filter cannot be evaluated still shows what each element holds", async () => {
    const r = await checkFiles({
      "main.tf": `variable "enabled" { type = bool }
${machineClient(`required_resource_access {
    resource_app_id = "00000003-0000-0000-c000-000000000000"
    dynamic "resource_access" {
      for_each = [for id in ["19dbc75e-c2e2-444c-a770-ec69d8559fc7"] : id if var.enabled]
      content {
        id   = resource_access.value
        type = "Role"
      }
    }
  }`)}`,
    });
    // Every element that survives the filter is Directory.ReadWrite.All: reported as such.
    expect(summary(r)).toEqual(["MCC011:error:azuread_application.client"]);
  });
});

describe("role ids from random_uuid through locals", () => {
  test("rejects random ids carried by a for expression in locals, in blocks and split roles", async () => {
    const r = await fixture("random-role-ids-locals");
    expect(summary(r)).toEqual([
      "MCC010:error:azuread_application.orders_api",
      "MCC010:error:azuread_application_app_role.orders_extra",
    ]);
    expect(r.findings[0].message).toBe(
      "app_role.id comes from random_uuid.role: an app role id must never change, and assignments point at it.",
    );
  });

  test("accepts fixed ids from a variable default, and uuidv5 ids", async () => {
    const r = await checkFiles({
      "main.tf": `locals {
  roles = { for v in ["a.read", "a.write"] : v => uuidv5("url", "api://contoso.example/a/\${v}") }
}
resource "azuread_application" "a" {
  display_name = "a"
  dynamic "app_role" {
    for_each = local.roles
    content {
      allowed_member_types = ["User"]
      description          = app_role.key
      display_name         = app_role.key
      id                   = app_role.value
      value                = app_role.key
    }
  }
}`,
    });
    expect(summary(r)).toEqual([]);
  });
});

describe("Microsoft Graph's service principal without client_id", () => {
  test("recognises it by resource_app_id, by use and by the well-known ids data source", async () => {
    const r = await fixture("graph-sp-identification");
    expect(summary(r)).toEqual([
      "MCC011:error:azuread_application.worker",
      "MCC011:error:azuread_app_role_assignment.worker_roles",
      "MCC011:error:azuread_app_role_assignment.worker_mail",
      "MCC011:note:azuread_app_role_assignment.worker_unknown",
    ]);
    expect(r.findings.map((f) => f.message.split(" permission ")[1] ?? f.message)).toEqual([
      "Application.ReadWrite.All.",
      "AppRoleAssignment.ReadWrite.All.",
      "Mail.Send.",
      expect.stringContaining("var.resource_sp_object_id has no default"),
    ]);
  });

  test("accepts a narrow Graph role and another API's role looked up by name", async () => {
    const r = await fixture("graph-sp-identification");
    const addresses = r.findings.map((f) => f.address);
    expect(addresses).not.toContain("azuread_app_role_assignment.worker_read");
    expect(addresses).not.toContain("azuread_app_role_assignment.worker_orders");
  });

  test("a service principal without client_id that nothing identifies gives a note", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_service_principal" "sp" {
  use_existing = true
}
resource "azuread_app_role_assignment" "a" {
  app_role_id         = azuread_service_principal.sp.app_role_ids["RoleManagement.ReadWrite.Directory"]
  principal_object_id = "00000000-0000-0000-0000-000000000001"
  resource_object_id  = azuread_service_principal.sp.object_id
}`,
    });
    expect(summary(r)).toEqual(["MCC011:note:azuread_app_role_assignment.a"]);
    expect(r.findings[0].message).toContain("azuread_service_principal.sp declares no client_id");
  });
});

describe("passwords whose secret text is pinned", () => {
  test("rejects a value pinned by a random_password without keepers, or by a literal", async () => {
    const r = await fixture("pinned-password");
    expect(summary(r)).toEqual([
      "MCC007:warning:azuread_service_principal_password.legacy",
      "MCC007:warning:azuread_application_password.literal",
      "MCC007:note:azuread_application_password.given",
    ]);
    expect(r.findings[0].message).toContain("pinned to random_password.sp.result");
    expect(r.findings[1].message).toContain("pinned to a literal");
    expect(r.findings[2].message).toContain("var.client_secret");
  });

  test("accepts a value from a random_password whose keepers follow the rotation", async () => {
    const r = await fixture("pinned-password");
    expect(r.findings.map((f) => f.address)).not.toContain("azuread_application_password.rotating");
  });
});

describe("end dates from time resources and variables", () => {
  test("checks periods from variable defaults, notes undeclared ones, rejects creation times", async () => {
    const r = await fixture("time-rotating-end-dates");
    expect(summary(r)).toEqual([
      "MCC005:error:azuread_application_password.long",
      "MCC005:note:azuread_application_password.outside",
      "MCC005:error:azuread_application_certificate.cert",
      "MCC005:error:azuread_application_password.frozen",
    ]);
    expect(r.findings[0].message).toBe(
      "The password is valid for 400 days, beyond the policy maximum of 90 days.",
    );
    expect(r.findings[1].message).toContain("var.rotation_months is not declared");
    expect(r.findings[2].message).toContain(
      "end_date is time_rotating.short.rfc3339, the time that resource was created",
    );
    expect(r.findings[3].message).toContain("time_static.created.id");
    expect(r.findings.map((f) => f.address)).not.toContain("azuread_application_password.short");
  });

  test("a timeadd on a time_rotating's next rotation adds the rotation period", async () => {
    const r = await checkFiles({
      "main.tf": `resource "time_rotating" "r" {
  rotation_days = 61
}
resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  end_date            = timeadd(time_rotating.r.rotation_rfc3339, "720h")
  rotate_when_changed = { rotation = time_rotating.r.id }
}`,
    });
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.p"]);
    expect(r.findings[0].message).toContain("valid for 91 days");
  });
});

describe("MCC009 on any API without assignment required", () => {
  test("warns for APIs without roles for applications; not for web apps or required ones", async () => {
    const r = await fixture("api-without-assignment");
    expect(summary(r)).toEqual([
      "MCC009:warning:azuread_service_principal.catalog_api",
      "MCC009:warning:azuread_service_principal.admin_api",
      "MCC013:note:azuread_application.reporting",
      "MCC009:note:azuread_service_principal.reporting",
    ]);
    expect(r.findings[0].message).toContain("exposes an API");
    // The URIs come from outside: neither rule can decide, and both say so.
    expect(r.findings[2].message).toContain("var.identifier_uris has no default");
    expect(r.findings[3].message).toContain("var.identifier_uris has no default");
  });
});
