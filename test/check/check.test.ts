import * as path from "node:path";
import { checkPaths, findTerraformFiles } from "../../src/check";
import { FIXTURES, NOW, checkFiles, machineClient, summary, removeTempDirs } from "./check-util";

afterAll(removeTempDirs);

const fixture = (name: string) =>
  checkPaths([path.join(FIXTURES, name)], { now: NOW }).then(summary);

const GRAPH = '"00000003-0000-0000-c000-000000000000"';
const USER_READ_ALL = "df021288-bdef-4463-88db-98f22de89214"; // application
const USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d"; // delegated

function rra(id: string, type: string, app = GRAPH): string {
  return `required_resource_access {
    resource_app_id = ${app}
    resource_access {
      id   = ${id}
      type = ${type}
    }
  }`;
}

describe("check: fixtures modelled on public azuread configurations", () => {
  test("clean configurations give no finding at all", async () => {
    expect(await fixture("clean-client")).toEqual([]);
    expect(await fixture("clean-webapp")).toEqual([]);
  });

  test("a daemon with delegated scopes (by id and by oauth2_permission_scope_ids) is reported", async () => {
    expect(await fixture("delegated-client")).toEqual([
      "MCC001:error:azuread_application.daemon",
      "MCC001:error:azuread_application.daemon",
    ]);
  });

  test("split resources, service principal credentials and older attribute names", async () => {
    expect(await fixture("split-resources")).toEqual([
      "MCC001:error:azuread_application_api_access.sync_graph",
      "MCC001:error:azuread_application.legacy",
    ]);
  });

  test("dynamic blocks: a for_each over a variable default is expanded; an unknown one gives notes", async () => {
    // The API's roles come from a variable without default: whether any is exposed to
    // applications (MCC009) and whether their ids are stable (MCC010) cannot be decided.
    expect(await fixture("dynamic-blocks")).toEqual([
      "MCC011:error:azuread_application.job",
      "MCC010:note:azuread_application.api",
      "MCC009:note:azuread_service_principal.api",
    ]);
  });

  test("CRLF line endings parse, and lines are still located", async () => {
    const r = await checkPaths([path.join(FIXTURES, "crlf")], { now: NOW });
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([
      ["MCC005", 6],
      ["MCC007", 6],
    ]);
  });

  test("every finding names rule, severity, file, line, address, message and fix", async () => {
    const r = await checkPaths([path.join(FIXTURES, "credentials")], { now: NOW });
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) {
      expect(f.ruleId).toMatch(/^MCC\d{3}$/);
      expect(["error", "warning", "note"]).toContain(f.severity);
      expect(f.file).toBe(path.join(FIXTURES, "credentials", "main.tf"));
      expect(f.line).toBeGreaterThan(0);
      expect(f.address).toMatch(/^azuread_/);
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(10);
    }
  });

  test("rejects an unparsable file with a clear error, and still checks the others", async () => {
    const r = await checkPaths([FIXTURES], { now: NOW });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].file).toBe(path.join(FIXTURES, "unparsable", "broken.tf"));
    expect(r.errors[0].message).toMatch(/^not valid HCL: .*Unclosed configuration block/);
    expect(r.findings.length).toBeGreaterThan(10);
  });

  test("finds *.tf and *.tf.json recursively, sorted, skipping .terraform", () => {
    const files = findTerraformFiles(FIXTURES).map((f) => path.relative(FIXTURES, f));
    expect(files).toContain(path.join("crlf", "main.tf"));
    expect(files).toEqual([...files].sort());
    expect(files.every((f) => f.endsWith(".tf") || f.endsWith(".tf.json"))).toBe(true);
  });
});

describe("MCC001 delegated permission on a machine client", () => {
  test("rejects type = Scope on an app with a password and no redirect URIs", async () => {
    const r = await checkFiles({ "main.tf": machineClient(rra(`"${USER_READ}"`, '"Scope"')) });
    expect(summary(r)).toEqual(["MCC001:error:azuread_application.client"]);
    expect(r.findings[0].message).toContain("delegated permission User.Read");
    expect(r.findings[0].fix).toContain('type = "Role"');
  });

  test("rejects a delegated scope of a non-Graph API on a machine client", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(
        rra(
          '"11111111-2222-3333-4444-555555555555"',
          '"Scope"',
          '"aaaaaaaa-0000-0000-0000-000000000000"',
        ),
      ),
    });
    expect(summary(r)).toEqual(["MCC001:error:azuread_application.client"]);
  });

  test("rejects a delegated permission when the certificate is on the service principal", async () => {
    const r = await checkFiles({
      "main.tf": `
resource "azuread_application" "a" {
  display_name = "a"
  ${rra(`"${USER_READ}"`, '"Scope"')}
}
resource "azuread_service_principal" "a" {
  client_id = azuread_application.a.client_id
}
resource "azuread_service_principal_certificate" "a" {
  service_principal_id = azuread_service_principal.a.id
  type                 = "AsymmetricX509Cert"
  value                = file("a.pem")
  end_date             = "2027-06-01T00:00:00Z"
}`,
    });
    expect(summary(r)).toEqual(["MCC001:error:azuread_application.a"]);
  });

  test("accepts delegated permissions on an app with redirect URIs (a web app)", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(
        `web { redirect_uris = ["https://app.contoso.example/signin"] }\n${rra(`"${USER_READ}"`, '"Scope"')}`,
      ),
    });
    expect(summary(r)).toEqual([]);
  });

  test("accepts delegated permissions on an app without any credential (a public or SPA client)", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application" "spa" {
  display_name = "spa"
  ${rra(`"${USER_READ}"`, '"Scope"')}
}`,
    });
    expect(summary(r)).toEqual([]);
  });

  test("gives a note when the redirect URIs come from a variable without default", async () => {
    const r = await checkFiles({
      "main.tf": `variable "uris" { type = list(string) }
${machineClient(`web { redirect_uris = var.uris }\n${rra(`"${USER_READ}"`, '"Scope"')}`)}`,
    });
    expect(summary(r)).toEqual(["MCC001:note:azuread_application.client"]);
    expect(r.findings[0].message).toContain("var.uris has no default");
  });

  test("evaluates redirect URIs from a variable's default (empty list: a machine client)", async () => {
    const r = await checkFiles({
      "main.tf": `variable "uris" {
  type    = list(string)
  default = []
}
${machineClient(`web { redirect_uris = var.uris }\n${rra(`"${USER_READ}"`, '"Scope"')}`)}`,
    });
    expect(summary(r)).toEqual(["MCC001:error:azuread_application.client"]);
  });

  test("gives a note when the type of a permission cannot be known", async () => {
    const other = '"aaaaaaaa-0000-0000-0000-000000000000"';
    const r = await checkFiles({
      "main.tf": `variable "t" { type = string }\n${machineClient(rra('"11111111-2222-3333-4444-555555555555"', "var.t", other))}`,
    });
    expect(summary(r)).toEqual(["MCC001:note:azuread_application.client"]);
    expect(r.findings[0].message).toContain("var.t has no default");
  });

  test("needs no type for MCC001 when the id itself is a known Graph application permission", async () => {
    const r = await checkFiles({
      "main.tf": `variable "t" { type = string }\n${machineClient(rra(`"${USER_READ_ALL}"`, "var.t"))}`,
    });
    // Not delegated, so no MCC001; whether the type contradicts it (MCC003) is noted.
    expect(summary(r)).toEqual(["MCC003:note:azuread_application.client"]);
    expect(r.findings[0].message).toBe(
      "The declared type of permission User.Read.All cannot be known statically (var.t has no default; its value comes from outside), so MCC003 was not checked here.",
    );
  });

  test("rejects a delegated permission grant to a machine client's service principal", async () => {
    const r = await checkFiles({
      "main.tf": `${machineClient()}
resource "azuread_service_principal" "client" {
  client_id = azuread_application.client.client_id
}
resource "azuread_service_principal_delegated_permission_grant" "g" {
  service_principal_object_id          = azuread_service_principal.client.object_id
  resource_service_principal_object_id = "00000000-0000-0000-0000-000000000001"
  claim_values                         = ["User.Read"]
}`,
    });
    expect(summary(r)).toEqual([
      "MCC001:error:azuread_service_principal_delegated_permission_grant.g",
    ]);
  });
});

describe("MCC002 / MCC003 Graph permission ids", () => {
  test("rejects a Graph permission id that is in neither table", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(rra('"df021288-bdef-4463-88db-98f22de89215"', '"Role"')),
    });
    expect(summary(r)).toEqual(["MCC002:error:azuread_application.client"]);
    expect(r.findings[0].message).toContain("df021288-bdef-4463-88db-98f22de89215");
  });

  test("accepts an unknown id on an API that is not Graph", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(
        rra(
          '"df021288-bdef-4463-88db-98f22de89215"',
          '"Role"',
          '"aaaaaaaa-0000-0000-0000-000000000000"',
        ),
      ),
    });
    expect(summary(r)).toEqual([]);
  });

  test("rejects an app_role_ids look-up of a name Graph does not have", async () => {
    const r = await checkFiles({
      "main.tf": `data "azuread_service_principal" "g" { client_id = ${GRAPH} }
${machineClient(rra('data.azuread_service_principal.g.app_role_ids["User.Reed.All"]', '"Role"'))}`,
    });
    expect(summary(r)).toEqual(["MCC002:error:azuread_application.client"]);
    expect(r.findings[0].message).toContain('"User.Reed.All"');
  });

  test("rejects a delegated id declared as Role and an application id declared as Scope", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application" "web" {
  display_name = "web"
  web { redirect_uris = ["https://web.contoso.example/auth"] }
  ${rra(`"${USER_READ}"`, '"Role"')}
  ${rra(`"${USER_READ_ALL}"`, '"Scope"')}
}`,
    });
    expect(summary(r)).toEqual([
      "MCC003:error:azuread_application.web",
      "MCC003:error:azuread_application.web",
    ]);
    expect(r.findings.map((f) => f.message).sort()).toEqual([
      'Microsoft Graph permission User.Read is a delegated permission but is declared with type = "Role".',
      'Microsoft Graph permission User.Read.All is an application permission but is declared with type = "Scope".',
    ]);
  });

  test("accepts the id that is both an application and a delegated permission with either type", async () => {
    const both = '"405a51b5-8d8d-430b-9842-8be4b0e9f324"'; // User.Export.All
    const r = await checkFiles({ "main.tf": machineClient(rra(both, '"Role"')) });
    expect(summary(r)).toEqual([]);
  });

  test("gives a note when a Graph permission id comes from a variable without default", async () => {
    const r = await checkFiles({
      "main.tf": `variable "role" { type = string }\n${machineClient(rra("var.role", '"Role"'))}`,
    });
    expect(summary(r)).toEqual(["MCC011:note:azuread_application.client"]);
    expect(r.findings[0].message).toContain("cannot be known statically");
  });
});

describe("MCC004-MCC008 credentials", () => {
  test("the credentials fixture: each problem once, nothing on the good password", async () => {
    expect(await fixture("credentials")).toEqual([
      "MCC004:error:azuread_application_password.no_end",
      "MCC005:error:azuread_application_password.far",
      "MCC007:warning:azuread_application_password.far",
      "MCC005:error:azuread_application_password.relative",
      "MCC008:warning:azuread_application_password.relative",
      "MCC006:error:azuread_application_password.every_apply",
      "MCC005:error:azuread_service_principal_password.sp",
      "MCC005:error:azuread_application_certificate.cert",
    ]);
  });

  test("accepts a rotating password within the policy maximum", async () => {
    expect(summary(await checkFiles({ "main.tf": machineClient() }))).toEqual([]);
  });

  test("the policy maximum is configurable", async () => {
    const r = await checkFiles({ "main.tf": machineClient() }, { maxSecretDays: 30 });
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.client"]);
    expect(r.findings[0].message).toBe(
      "The password is valid for 60 days, beyond the policy maximum of 30 days.",
    );
  });

  test("rejects end_date from timestamp() through a local", async () => {
    const r = await checkFiles({
      "main.tf": `locals { end = timeadd(timestamp(), "720h") }
resource "azuread_application_password" "p" {
  application_id      = "/applications/00000000-0000-0000-0000-000000000000"
  end_date            = local.end
  rotate_when_changed = { r = time_rotating.r.id }
}`,
    });
    expect(summary(r)).toEqual(["MCC006:error:azuread_application_password.p"]);
    expect(r.findings[0].message).toContain("timestamp()");
  });

  test("reads end dates from time_rotating.rotation_rfc3339 and time_offset", async () => {
    const r = await checkFiles({
      "main.tf": `resource "time_rotating" "yearly" { rotation_years = 1 }
resource "time_offset" "q" { offset_days = 80 }
resource "azuread_application_password" "yearly" {
  application_id      = "/applications/x"
  end_date            = time_rotating.yearly.rotation_rfc3339
  rotate_when_changed = { r = time_rotating.yearly.id }
}
resource "azuread_application_password" "quarter" {
  application_id      = "/applications/x"
  end_date            = time_offset.q.rfc3339
  rotate_when_changed = { r = time_rotating.yearly.id }
}`,
    });
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.yearly"]);
  });

  test("gives a note when the end date cannot be known statically", async () => {
    const r = await checkFiles({
      "main.tf": `variable "end" { type = string }
resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  end_date            = var.end
  rotate_when_changed = { r = time_rotating.r.id }
}`,
    });
    expect(summary(r)).toEqual(["MCC005:note:azuread_application_password.p"]);
    expect(r.findings[0].message).toContain("var.end has no default");
  });

  test("a rotation trigger that only a variable changes gives a note, a time_static a warning", async () => {
    const r = await checkFiles({
      "main.tf": `variable "gen" {
  type    = string
  default = "1"
}
resource "time_static" "once" {}
resource "azuread_application_password" "manual" {
  application_id      = "/applications/x"
  end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { generation = var.gen }
}
resource "azuread_application_password" "static" {
  application_id      = "/applications/x"
  end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { at = time_static.once.id }
}`,
    });
    expect(summary(r)).toEqual([
      "MCC008:note:azuread_application_password.manual",
      "MCC008:warning:azuread_application_password.static",
    ]);
  });

  test("a certificate without end date gives a note (its own expiry applies)", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application_certificate" "c" {
  application_id = "/applications/x"
  type           = "AsymmetricX509Cert"
  value          = file("c.pem")
}`,
    });
    expect(summary(r)).toEqual(["MCC005:note:azuread_application_certificate.c"]);
  });
});

describe("MCC009 API service principal without assignment required", () => {
  test("rejects the default (false) on an API with application roles; accepts user-only roles", async () => {
    expect(await fixture("api-assignment")).toEqual([
      "MCC009:error:azuread_service_principal.inventory_api",
    ]);
  });

  test("accepts app_role_assignment_required = true, also through a variable default", async () => {
    const r = await checkFiles({
      "main.tf": `variable "required" {
  type    = bool
  default = true
}
resource "azuread_application" "api" {
  display_name = "api"
}
resource "azuread_application_app_role" "read" {
  application_id       = azuread_application.api.id
  role_id              = "8f2e1a1c-35a6-4c5b-9f57-0c84c28bcd22"
  allowed_member_types = ["Application"]
  description          = "Read"
  display_name         = "Read"
  value                = "read"
}
resource "azuread_service_principal" "api" {
  client_id                    = azuread_application.api.client_id
  app_role_assignment_required = var.required
}`,
    });
    expect(summary(r)).toEqual([]);
  });

  test("rejects a split azuread_application_app_role with assignment not required", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application_registration" "api" {
  display_name = "api"
}
resource "azuread_application_app_role" "read" {
  application_id       = azuread_application_registration.api.id
  role_id              = "8f2e1a1c-35a6-4c5b-9f57-0c84c28bcd22"
  allowed_member_types = ["User", "Application"]
  description          = "Read"
  display_name         = "Read"
  value                = "read"
}
resource "azuread_service_principal" "api" {
  client_id                    = azuread_application_registration.api.client_id
  app_role_assignment_required = false
}`,
    });
    expect(summary(r)).toEqual(["MCC009:error:azuread_service_principal.api"]);
  });
});

describe("MCC010 app role ids", () => {
  test("rejects random_uuid and uuid(); accepts literal ids", async () => {
    expect(await fixture("random-role-id")).toEqual(["MCC010:error:azuread_application.api"]);
    const r = await checkFiles({
      "main.tf": `resource "azuread_application_app_role" "r" {
  application_id       = "/applications/x"
  role_id              = uuid()
  allowed_member_types = ["Application"]
  description          = "d"
  display_name         = "d"
  value                = "v"
}`,
    });
    expect(summary(r)).toEqual(["MCC010:error:azuread_application_app_role.r"]);
    expect(r.findings[0].message).toContain("uuid()");
  });

  test("rejects random_uuid through a local in a split app role resource", async () => {
    const r = await checkFiles({
      "main.tf": `resource "random_uuid" "ids" {}
locals { role_id = random_uuid.ids.result }
resource "azuread_application_app_role" "r" {
  application_id       = "/applications/x"
  role_id              = local.role_id
  allowed_member_types = ["Application"]
  description          = "d"
  display_name         = "d"
  value                = "v"
}`,
    });
    expect(summary(r)).toEqual(["MCC010:error:azuread_application_app_role.r"]);
  });
});

describe("MCC011 Graph tier-0 application permissions", () => {
  test("rejects by id, by app_role_ids look-up and in an app role assignment", async () => {
    expect(await fixture("tier0")).toEqual([
      "MCC011:error:azuread_application.automation",
      "MCC011:error:azuread_app_role_assignment.automation_mail",
    ]);
  });

  test("rejects a tier-0 role in azuread_application_api_access", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application_registration" "a" { display_name = "a" }
resource "azuread_application_api_access" "g" {
  application_id = azuread_application_registration.a.id
  api_client_id  = ${GRAPH}
  role_ids       = ["1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"] # Application.ReadWrite.All
}`,
    });
    expect(summary(r)).toEqual(["MCC011:error:azuread_application_api_access.g"]);
    expect(r.findings[0].message).toContain("Application.ReadWrite.All");
  });

  test("accepts a narrow Graph application permission", async () => {
    const r = await checkFiles({ "main.tf": machineClient(rra(`"${USER_READ_ALL}"`, '"Role"')) });
    expect(summary(r)).toEqual([]);
  });
});

describe("check: Terraform JSON input", () => {
  test("reads *.tf.json with the same rules, and locates lines", async () => {
    const json = {
      resource: {
        azuread_application: {
          api: {
            display_name: "api",
            app_role: [
              {
                allowed_member_types: ["Application"],
                description: "d",
                display_name: "d",
                enabled: true,
                id: "${random_uuid.r.result}",
                value: "v",
              },
            ],
          },
        },
        azuread_service_principal: {
          api: { client_id: "${azuread_application.api.client_id}" },
        },
      },
    };
    const r = await checkFiles({ "main.tf.json": JSON.stringify(json, null, 2) });
    expect(summary(r)).toEqual([
      "MCC010:error:azuread_application.api",
      "MCC009:error:azuread_service_principal.api",
    ]);
    expect(r.findings[0].line).toBe(4);
  });

  test("reads HCL and JSON files of one directory as one module", async () => {
    const r = await checkFiles({
      "variables.tf": 'variable "end" {\n  default = "2099-01-01T00:00:00Z"\n}\n',
      "main.tf.json": JSON.stringify({
        resource: {
          azuread_application_password: {
            p: {
              application_id: "/applications/x",
              end_date: "${var.end}",
              rotate_when_changed: { r: "${time_rotating.r.id}" },
            },
          },
        },
      }),
    });
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.p"]);
  });

  test("rejects invalid JSON with a clear error", async () => {
    const r = await checkFiles({ "cdk.tf.json": "{ not json" });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toMatch(/^not valid JSON: /);
  });

  test("expands resources with for_each over a variable default", async () => {
    const r = await checkFiles({
      "main.tf": `variable "ends" {
  default = {
    short = "2026-12-20T00:00:00Z"
    long  = "2030-01-01T00:00:00Z"
  }
}
resource "azuread_application_password" "p" {
  for_each            = var.ends
  application_id      = "/applications/x"
  end_date            = each.value
  rotate_when_changed = { r = time_rotating.r.id }
}`,
    });
    expect(summary(r)).toEqual(['MCC005:error:azuread_application_password.p["long"]']);
  });

  test("skips resources with count = 0", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application_password" "p" {
  count          = 0
  application_id = "/applications/x"
}`,
    });
    expect(summary(r)).toEqual([]);
  });
});

describe("check: precision on correct configurations", () => {
  test("accepts timestamp() in an argument that lifecycle ignore_changes keeps", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  end_date            = timeadd(timestamp(), "720h")
  rotate_when_changed = { r = time_rotating.r.id }

  lifecycle {
    ignore_changes = [end_date]
  }
}`,
    });
    expect(summary(r)).toEqual([]);
  });

  test("accepts delegated permissions on a public client (fallback_public_client_enabled)", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(
        `fallback_public_client_enabled = true\n${rra(`"${USER_READ}"`, '"Scope"')}`,
      ),
    });
    expect(summary(r)).toEqual([]);
  });

  test("accepts delegated scopes looked up on an application resource of another API (web app)", async () => {
    const r = await checkFiles({
      "main.tf": `resource "azuread_application" "api" {
  display_name = "api"
}
resource "azuread_application" "web" {
  display_name = "web"
  web { redirect_uris = ["https://web.contoso.example/"] }
  ${rra('azuread_application.api.oauth2_permission_scope_ids["read"]', '"Scope"', "azuread_application.api.client_id")}
}
resource "azuread_application_password" "web" {
  application_id      = azuread_application.web.id
  end_date            = timeadd(time_rotating.r.id, "720h")
  rotate_when_changed = { r = time_rotating.r.id }
}`,
    });
    expect(summary(r)).toEqual([]);
  });
});

test("reads a service principal password whose end date is built with format() from a local", async () => {
  const r = await checkFiles({
    "main.tf": `locals {
  password_policy = { expire_in_days = 180 }
}
resource "azuread_service_principal_password" "pwd" {
  service_principal_id = var.service_principal_id
  end_date             = timeadd(time_rotating.pwd.id, format("%sh", local.password_policy.expire_in_days * 24))
  rotate_when_changed = {
    rotation = time_rotating.pwd.id
  }
}
resource "time_rotating" "pwd" {
  rotation_days = 90
}`,
  });
  expect(summary(r)).toEqual(["MCC005:error:azuread_service_principal_password.pwd"]);
  expect(r.findings[0].message).toContain("valid for 180 days");
});

test("links a password through a templated /applications/ id", async () => {
  const r = await checkFiles({
    "main.tf": `resource "azuread_application" "default" {
  display_name = "argocd"
  ${rra(`"${USER_READ}"`, '"Scope"')}
}
resource "azuread_application_password" "default" {
  application_id      = "/applications/\${azuread_application.default.object_id}"
  end_date            = timeadd(time_rotating.r.id, "720h")
  rotate_when_changed = { rotation = time_rotating.r.id }
}`,
  });
  expect(summary(r)).toEqual(["MCC001:error:azuread_application.default"]);
});

test("azuread v1 shapes: reply_urls are redirect URIs, type = native is a public client", async () => {
  const v1 = (attrs: string) => `resource "azuread_application" "app" {
  name = "legacy"
  ${attrs}
  ${rra(`"${USER_READ}"`, '"Scope"')}
}
resource "azuread_application_password" "app" {
  application_object_id = azuread_application.app.object_id
  value                 = "not-a-real-secret"
  end_date_relative     = "720h"
  rotate_when_changed   = { r = time_rotating.r.id }
}`;
  expect(
    summary(
      await checkFiles({ "main.tf": v1('reply_urls = ["https://legacy.contoso.example/"]') }),
    ),
  ).toEqual([]);
  expect(summary(await checkFiles({ "main.tf": v1('type = "native"') }))).toEqual([]);
  expect(summary(await checkFiles({ "main.tf": v1('type = "webapp/api"') }))).toEqual([
    "MCC001:error:azuread_application.app",
  ]);
});

test("nested dynamic blocks read their parent's iterator from a variable default", async () => {
  const r = await checkFiles({
    "main.tf": `variable "required_resource_access" {
  default = [{
    resource_app_id = "00000003-0000-0000-c000-000000000000"
    resource_access = [{
      id   = "7ab1d382-f21e-4acd-a863-ba3e13f7da61" # Directory.Read.All
      type = "Role"
    }, {
      id   = "19dbc75e-c2e2-444c-a770-ec69d8559fc7" # Directory.ReadWrite.All
      type = "Role"
    }]
  }]
}
resource "azuread_application" "bootstrap" {
  display_name = "bootstrap"
  dynamic "required_resource_access" {
    for_each = var.required_resource_access
    content {
      resource_app_id = required_resource_access.value.resource_app_id
      dynamic "resource_access" {
        for_each = required_resource_access.value.resource_access
        content {
          id   = resource_access.value.id
          type = resource_access.value.type
        }
      }
    }
  }
}`,
  });
  expect(summary(r)).toEqual(["MCC011:error:azuread_application.bootstrap"]);
  expect(r.findings[0].message).toContain("Directory.ReadWrite.All");
});

test("a password whose end date follows a time_rotating needs no rotate_when_changed", async () => {
  const r = await checkFiles({
    "main.tf": `resource "time_rotating" "pwd" {
  rotation_days = 30
}
resource "azuread_service_principal_password" "pwd" {
  service_principal_id = "/servicePrincipals/x"
  end_date             = timeadd(time_rotating.pwd.id, "1440h")
}
resource "azuread_application_password" "constant" {
  application_id = "/applications/x"
  end_date       = timeadd(time_static.t.id, "1440h")
}
resource "time_static" "t" {}`,
  });
  expect(summary(r)).toEqual(["MCC007:warning:azuread_application_password.constant"]);
});

test("an API declared in the configuration is not Graph, whatever its scopes are", async () => {
  const r = await checkFiles({
    "main.tf": `resource "azuread_application" "svc" {
  display_name    = "widgets-service"
  identifier_uris = ["api://\${data.azuread_client_config.current.tenant_id}/widgets-service"]
}
resource "azuread_application" "app" {
  display_name = "widgets-app"
  web { redirect_uris = ["https://widgets.example.net/login"] }
  required_resource_access {
    resource_app_id = azuread_application.svc.client_id
    dynamic "resource_access" {
      for_each = azuread_application.svc.api[0].oauth2_permission_scope
      iterator = scope
      content {
        id   = scope.value.id
        type = "Scope"
      }
    }
  }
}
resource "random_password" "fixed" {
  length = 32
}
resource "azuread_application_password" "svc" {
  application_object_id = azuread_application.svc.object_id
  value                 = random_password.fixed.result
  end_date_relative     = "720h"
}`,
  });
  // No note about the API's ids; a random_password without keepers is no rotation trigger.
  expect(summary(r)).toEqual(["MCC007:warning:azuread_application_password.svc"]);
});

test("azuread_application_api_access: ids from a variable default are checked; unknown ones give notes", async () => {
  const r = await checkFiles({
    "main.tf": `variable "roles" {
  default = ["19dbc75e-c2e2-444c-a770-ec69d8559fc7"] # Directory.ReadWrite.All
}
variable "scopes" { type = list(string) }
variable "one_scope" { type = string }
resource "azuread_application_registration" "a" { display_name = "a" }
resource "azuread_application_api_access" "graph" {
  application_id = azuread_application_registration.a.id
  api_client_id  = "00000003-0000-0000-c000-000000000000"
  role_ids       = var.roles
}
resource "azuread_application_api_access" "unknown_list" {
  application_id = azuread_application_registration.a.id
  api_client_id  = "00000003-0000-0000-c000-000000000000"
  scope_ids      = var.scopes
}
resource "azuread_application_api_access" "unknown_item" {
  application_id = azuread_application_registration.a.id
  api_client_id  = "00000003-0000-0000-c000-000000000000"
  scope_ids      = [var.one_scope]
}`,
  });
  expect(summary(r)).toEqual([
    "MCC011:error:azuread_application_api_access.graph",
    "MCC001:note:azuread_application_api_access.unknown_list",
    "MCC002:note:azuread_application_api_access.unknown_item",
  ]);
  expect(r.findings[2].message).toContain("var.one_scope has no default");
});

test("a rotation trigger from an unknown for_each gives a note, not a constant warning", async () => {
  const r = await checkFiles({
    "main.tf": `variable "apps" { type = map(string) }
resource "azuread_application_password" "p" {
  for_each            = var.apps
  application_id      = "/applications/x"
  end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { rotation = each.value }
}`,
  });
  expect(summary(r)).toEqual(["MCC008:note:azuread_application_password.p"]);
});

test("an end date that is null (directly or from a variable default) counts as missing", async () => {
  const r = await checkFiles({
    "main.tf": `variable "end" {
  default = null
}
resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  end_date            = var.end
  end_date_relative   = null
  rotate_when_changed = { r = time_rotating.r.id }
}`,
  });
  expect(summary(r)).toEqual(["MCC004:error:azuread_application_password.p"]);
});

test("an internal error in one module is reported for its files, and other modules are still checked", async () => {
  const rules = jest.requireActual("../../src/check/run");
  const real = rules.checkModule;
  const spy = jest.spyOn(rules, "checkModule").mockImplementation((...args: unknown[]) => {
    const mod = args[0] as { dir: string };
    if (mod.dir.endsWith("tier0")) throw new Error("boom");
    return real(...args);
  });
  try {
    const r = await checkPaths(
      [path.join(FIXTURES, "tier0"), path.join(FIXTURES, "random-role-id")],
      { now: NOW },
    );
    expect(r.errors).toEqual([
      {
        file: path.join(FIXTURES, "tier0", "main.tf"),
        message: "internal error while checking this module: boom",
      },
    ]);
    expect(summary(r)).toEqual(["MCC010:error:azuread_application.api"]);
  } finally {
    spy.mockRestore();
  }
});

test("a certificate's end date from tls_self_signed_cert.validity_end_time uses its validity period", async () => {
  const cert = (hours: number) => `resource "tls_self_signed_cert" "c" {
  private_key_pem       = tls_private_key.k.private_key_pem
  validity_period_hours = ${hours}
  allowed_uses          = ["client_auth"]
  subject {
    common_name = "job"
  }
}
resource "azuread_application_certificate" "c" {
  application_id = "/applications/x"
  type           = "AsymmetricX509Cert"
  value          = tls_self_signed_cert.c.cert_pem
  end_date       = tls_self_signed_cert.c.validity_end_time
}`;
  expect(summary(await checkFiles({ "main.tf": cert(4320) }))).toEqual([]);
  expect(summary(await checkFiles({ "main.tf": cert(17520) }))).toEqual([
    "MCC005:error:azuread_application_certificate.c",
  ]);
});

test("rejects an app_role_ids look-up declared as Scope on an API declared here", async () => {
  const r = await checkFiles({
    "main.tf": `resource "azuread_application" "api" {
  display_name = "api"
}
resource "azuread_application" "web" {
  display_name = "web"
  web { redirect_uris = ["https://web.contoso.example/"] }
  ${rra('azuread_application.api.app_role_ids["read"]', '"Scope"', "azuread_application.api.client_id")}
}`,
  });
  expect(summary(r)).toEqual(["MCC003:error:azuread_application.web"]);
  expect(r.findings[0].message).toBe(
    'Permission read is an application permission but is declared with type = "Scope".',
  );
});

test("locates JSON blocks by their keys, not by equal string values", async () => {
  const json = {
    resource: {
      azuread_application_password: {
        first: {
          application_id: "/applications/x",
          display_name: "second",
          end_date: "2026-12-20T00:00:00Z",
          rotate_when_changed: { r: "${time_rotating.r.id}" },
        },
        second: { application_id: "/applications/x", end_date: "2026-12-20T00:00:00Z" },
      },
    },
  };
  const r = await checkFiles({ "main.tf.json": JSON.stringify(json, null, 2) });
  expect(r.findings.map((f) => [f.address, f.line])).toEqual([
    ["azuread_application_password.second", 12],
  ]);
});

describe("credentials computed from the plan time (plans simulated over two years)", () => {
  /** A password whose arguments are given as HCL. */
  const password = (args: string, locals = "") => `${locals}
resource "azuread_application" "client" {
  display_name = "client"
}
resource "azuread_application_password" "p" {
  application_id = azuread_application.client.id
  ${args}
}`;
  const PERIOD = `locals {
  period = floor(provider::time::rfc3339_parse(plantimestamp()).unix / 2592000)
}`;

  test("rejects a plantimestamp() end date and trigger that change on every apply", async () => {
    const r = await checkFiles({
      "main.tf": password(`end_date            = timeadd(plantimestamp(), "720h")
  rotate_when_changed = { at = plantimestamp() }`),
    });
    expect(summary(r)).toEqual([
      "MCC006:error:azuread_application_password.p",
      "MCC006:error:azuread_application_password.p",
    ]);
    expect(r.findings.map((f) => f.message.split(" ")[0])).toEqual([
      "end_date",
      "rotate_when_changed",
    ]);
    expect(r.findings[0].message).toContain("plantimestamp()");
  });

  test("rejects an end date rounded to the minute as changing on every apply", async () => {
    // Still different between two plans a minute apart.
    const r = await checkFiles({
      "main.tf":
        password(`end_date = timeadd("1970-01-01T00:00:00Z", format("%dm", floor(provider::time::rfc3339_parse(timestamp()).unix / 60) + 43200))
  rotate_when_changed = { r = time_rotating.r.id }`),
    });
    expect(summary(r)).toEqual(["MCC006:error:azuread_application_password.p"]);
    expect(r.findings[0].message).toContain("timestamp()");
  });

  test("accepts a password keyed on a calendar period of the plan time", async () => {
    const r = await checkFiles({
      "main.tf": password(
        `end_date            = timeadd("1970-01-01T00:00:00Z", format("%dh", (local.period + 2) * 720))
  rotate_when_changed = { period = local.period }`,
        PERIOD,
      ),
    });
    expect(summary(r)).toEqual([]);
  });

  test("counts a periodic end date as a rotation trigger (no MCC007)", async () => {
    const r = await checkFiles({
      "main.tf": password(
        `end_date = timeadd("1970-01-01T00:00:00Z", format("%dh", (local.period + 2) * 720))`,
        PERIOD,
      ),
    });
    expect(summary(r)).toEqual([]);
  });

  test("rejects a periodic end date that exceeds the maximum at some plan", async () => {
    // Valid 90 to 120 days depending on when it is planned: the worst case counts.
    const r = await checkFiles({
      "main.tf": password(
        `end_date            = timeadd("1970-01-01T00:00:00Z", format("%dh", (local.period + 4) * 720))
  rotate_when_changed = { period = local.period }`,
        PERIOD,
      ),
    });
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.p"]);
    expect(r.findings[0].message).toMatch(
      /^The password is valid for 120 days when planned at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \(the worst case over plans in the next two years\), beyond the policy maximum of 90 days\.$/,
    );
    // The worst plan is the first second of a period: period boundaries are multiples of 30 days.
    const at = /planned at (\S+)/.exec(r.findings[0].message)![1];
    expect((Date.parse(at) / 1000) % 2592000).toBe(0);
  });

  test("rejects a periodic end date beyond the maximum only at some plans (conditional)", async () => {
    // Within the maximum in even periods (60 days at most), 150 days at most in odd ones.
    const r = await checkFiles({
      "main.tf": password(
        `end_date            = timeadd("1970-01-01T00:00:00Z", format("%dh", (local.period + (local.period % 2 == 0 ? 2 : 5)) * 720))
  rotate_when_changed = { period = local.period }`,
        PERIOD,
      ),
    });
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.p"]);
    expect(r.findings[0].message).toContain("valid for 150 days when planned at");
  });

  test("rejects a plan-time trigger that does not change within two years", async () => {
    const r = await checkFiles({
      "main.tf": password(`end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { century = floor(provider::time::rfc3339_parse(plantimestamp()).year / 100) }`),
    });
    expect(summary(r)).toEqual(["MCC008:warning:azuread_application_password.p"]);
    expect(r.findings[0].message).toBe(
      'rotate_when_changed depends on the plan time but stays {"century":20} over every plan in the next two years, so it never triggers a rotation.',
    );
  });

  test("keeps the every-run finding where the plan-time value cannot be evaluated", async () => {
    const r = await checkFiles({
      "main.tf": password(
        `end_date            = timeadd(plantimestamp(), var.validity)
  rotate_when_changed = { r = time_rotating.r.id }`,
        'variable "validity" { type = string }',
      ),
    });
    expect(summary(r)).toEqual(["MCC006:error:azuread_application_password.p"]);
  });
});

describe("check: shapes found when trying real public configurations", () => {
  test("accepts delegated permissions on a middle-tier API that exposes scopes (on-behalf-of)", async () => {
    // No MCC001; but the API's service principal lets any app get a token (MCC009, a warning:
    // it exposes scopes, no app roles for applications).
    expect(await fixture("obo-api")).toEqual([
      "MCC009:warning:azuread_service_principal.orders_api",
    ]);
  });

  test("rejects delegated permissions when the API's scopes come from an empty variable default", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(`
  dynamic "api" {
    for_each = var.scopes
    content {
      oauth2_permission_scope {
        id    = api.value.id
        value = api.value.value
      }
    }
  }
  ${rra(`"${USER_READ}"`, '"Scope"')}`),
      "variables.tf": `variable "scopes" {\n  default = []\n}\n`,
    });
    expect(summary(r)).toEqual(["MCC001:error:azuread_application.client"]);
  });

  test("gives a note, not an error, when whether the app exposes scopes is unknown", async () => {
    const r = await checkFiles({
      "main.tf": machineClient(`
  api {
    dynamic "oauth2_permission_scope" {
      for_each = var.scopes
      content {
        id    = oauth2_permission_scope.value.id
        value = oauth2_permission_scope.value.value
      }
    }
  }
  ${rra(`"${USER_READ}"`, '"Scope"')}`),
    });
    expect(summary(r)).toEqual(["MCC001:note:azuread_application.client"]);
    expect(r.findings[0].message).toContain('dynamic "oauth2_permission_scope" block over');
    expect(r.findings[0].message).toContain("var.scopes is not declared");
  });

  test("gives a note, not an error, for delegated scopes from a dynamic block over an unknown collection", async () => {
    const dyn = (coll: string) =>
      machineClient(`
  required_resource_access {
    resource_app_id = "00000003-0000-0000-c000-000000000000"
    dynamic "resource_access" {
      for_each = ${coll}
      content {
        id   = data.azuread_service_principal.graph.oauth2_permission_scope_ids[resource_access.key]
        type = "Scope"
      }
    }
  }`);
    const unknown = await checkFiles({ "main.tf": dyn("toset(local.delegated)") });
    expect(summary(unknown).filter((s) => s.startsWith("MCC001"))).toEqual([
      "MCC001:note:azuread_application.client",
    ]);
    expect(unknown.findings.find((f) => f.ruleId === "MCC001")!.message).toContain(
      "local.delegated is not defined",
    );
    const known = await checkFiles({ "main.tf": dyn('toset(["User.Read"])') });
    expect(summary(known)).toEqual(["MCC001:error:azuread_application.client"]);
  });

  test("does not call a password replaced on every apply (timestamp() end date) never rotated", async () => {
    const r = await checkFiles({
      "main.tf": `
resource "azuread_application" "a" {
  display_name = "a"
}
resource "azuread_application_password" "a" {
  application_id = azuread_application.a.id
  end_date       = timeadd(timestamp(), "17520h")
}`,
    });
    expect(summary(r)).toEqual([
      "MCC005:error:azuread_application_password.a",
      "MCC006:error:azuread_application_password.a",
    ]);
  });

  test("follows references written with the explicit resource. prefix", async () => {
    const r = await checkFiles({
      "main.tf": `
resource "azuread_application" "svc" {
  display_name = "svc"
  ${rra(`"${USER_READ}"`, '"Scope"')}
}
resource "time_rotating" "svc" {
  rotation_days = 30
}
resource "azuread_application_password" "svc" {
  application_id = resource.azuread_application.svc.id
  end_date       = timeadd(resource.time_rotating.svc.id, "1440h")
  rotate_when_changed = {
    rotation = resource.time_rotating.svc.id
  }
}`,
    });
    expect(summary(r)).toEqual(["MCC001:error:azuread_application.svc"]);
  });

  test("gives a note for an unknown timestamp() end date that ignore_changes keeps", async () => {
    const r = await checkFiles({
      "main.tf": `
resource "azuread_application" "a" {
  display_name = "a"
}
resource "azuread_application_password" "a" {
  application_id = azuread_application.a.id
  end_date       = timeadd(timestamp(), "\${var.days * 24}h")
  rotate_when_changed = {
    rotation = time_rotating.a.id
  }
  lifecycle {
    ignore_changes = [end_date]
  }
}
resource "time_rotating" "a" {
  rotation_days = 30
}`,
    });
    expect(summary(r)).toEqual(["MCC005:note:azuread_application_password.a"]);
    expect(r.findings[0].message).toContain("var.days is not declared");
  });

  test("follows each.value into a for_each map of app_role_ids look-ups (Graph found by display name)", async () => {
    const r = await checkPaths([path.join(FIXTURES, "graph-roles-map")], { now: NOW });
    expect(summary(r)).toEqual([
      'MCC011:error:azuread_app_role_assignment.admin["apps"]',
      'MCC002:error:azuread_app_role_assignment.admin["nope"]',
    ]);
    expect(r.findings[0].message).toContain("Application.ReadWrite.All");
    expect(r.findings[1].message).toContain('"Users.Read.Everything"');
  });

  test("rejects passwords that only seem to rotate: ignore_changes, keepers on a fixed id", async () => {
    const r = await checkPaths([path.join(FIXTURES, "frozen-password")], { now: NOW });
    expect(summary(r)).toEqual([
      "MCC007:warning:azuread_application_password.ignored",
      "MCC007:warning:azuread_service_principal_password.kept",
      "MCC007:warning:azuread_application_password.trigger_ignored",
      "MCC007:warning:azuread_service_principal_password.replaced_by_constant",
    ]);
    // replace_triggered_by = [time_rotating.batch.id] is a rotation: no finding on "replaced".
    expect(summary(r).some((s) => s.endsWith(".replaced"))).toBe(false);
    expect(r.findings[0].message).toContain("no rotate_when_changed trigger");
    expect(r.findings[2].message).toContain("listed in lifecycle ignore_changes");
    expect(r.findings[2].fix).toContain("Remove rotate_when_changed");
  });

  test("rejects a password whose random value is kept by a literal (it never rotates)", async () => {
    const r = await checkFiles({
      "main.tf": `
resource "azuread_application" "a" {
  display_name = "a"
}
resource "random_password" "p" {
  length  = 40
  keepers = { fixed = "v1" }
}
resource "azuread_application_password" "a" {
  application_id = azuread_application.a.id
  value          = random_password.p.result
  end_date       = "2027-01-15T00:00:00Z"
}`,
    });
    expect(summary(r)).toEqual(["MCC007:warning:azuread_application_password.a"]);
  });
});

describe("MCC013 identifier URIs", () => {
  const TENANT = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
  const uris = (...list: string[]) =>
    `resource "azuread_application" "api" {
  display_name    = "api"
  identifier_uris = [${list.map((u) => JSON.stringify(u)).join(", ")}]
}`;

  it("reports URIs outside the secure patterns with the pattern they would need", async () => {
    const r = await checkPaths([path.join(FIXTURES, "identifier-uris")], { now: NOW });
    expect(summary(r)).toEqual([
      "MCC013:error:azuread_application.legacy",
      'MCC013:error:azuread_application.per_api["orders"]',
      'MCC013:error:azuread_application.per_api["stock"]',
      "MCC013:error:azuread_application.trailing",
      "MCC013:error:azuread_application_identifier_uri.wrong_app",
      "MCC013:note:azuread_application.on_domain",
      "MCC013:note:azuread_application.on_domain",
    ]);
    const [legacy, orders, , trailing, wrongApp, domain, variable] = r.findings;
    expect(legacy.line).toBe(16);
    expect(legacy.message).toBe(
      `identifier_uris[0] matches none of Microsoft's secure identifier URI patterns (api://{appId}, api://{tenantId}/{appId}, api://{tenantId}/{name}, api://{name}/{appId}, https://[{name}.]{verifiedDomain}/{path}, https://{name}.{verifiedDomain}, api://[{name}.]{verifiedDomain}/{path}): "legacy-orders" is neither a tenant id, an app id nor a verified domain, so any tenant could claim the same URI (got "api://legacy-orders").`,
    );
    expect(legacy.fix).toBe(
      'Use a URI in a secure pattern: api://{tenantId}/legacy-orders ("api://${data.azuread_client_config.<name>.tenant_id}/legacy-orders"), or the secure default api://{appId} (an azuread_application_identifier_uri with identifier_uri = "api://${<application>.client_id}", and lifecycle { ignore_changes = [identifier_uris] } on the application).',
    );
    expect(orders.message).toContain('(got "api://orders")');
    expect(trailing.message).toBe(
      'identifier_uris[0] must not end with "/" (the token scope appends "/.default") (got "https://api.contoso.example/orders/").',
    );
    expect(trailing.fix).toBe('Use "https://api.contoso.example/orders".');
    expect(wrongApp.message).toBe(
      'identifier_uri puts the client id of azuread_application.legacy in the {appId} position of api://{appId}, but Entra only accepts the application\'s own id there (got "api://${azuread_application.legacy.client_id}").',
    );
    expect(domain.message).toBe(
      'identifier_uris[0] is on "orders.contoso.example", which must be a verified domain of the tenant (or under one); it could not be checked without --verified-domain (got "https://orders.contoso.example").',
    );
    expect(variable.message).toBe(
      "identifier_uris[1] cannot be known statically (var.environment_uri has no default; its value comes from outside), so MCC013 was not checked here.",
    );
  });

  it("accepts the library's default, the tenant-scoped form and a literal tenant id it knows", async () => {
    const r = await checkFiles(
      {
        "main.tf": `data "azuread_client_config" "current" {}
resource "azuread_application" "a" {
  display_name = "a"
  lifecycle { ignore_changes = [identifier_uris] }
}
resource "azuread_application_identifier_uri" "a" {
  application_id = azuread_application.a.id
  identifier_uri = "api://\${azuread_application.a.client_id}"
}
resource "azuread_application" "b" {
  display_name    = "b"
  identifier_uris = ["api://\${data.azuread_client_config.current.tenant_id}/orders", "api://${TENANT}/stock"]
}`,
      },
      { tenantId: TENANT.toUpperCase() },
    );
    expect(summary(r)).toEqual([]);
  });

  it("checks domains and tenant ids against --verified-domain and --tenant-id", async () => {
    const files = {
      "main.tf": uris(
        "https://orders.contoso.example",
        "api://contoso.example/orders",
        "https://orders.fabrikam.example",
        `api://99999999-0000-cccc-1111-dddd2222eeee/orders`,
      ),
    };
    const r = await checkFiles(files, { verifiedDomains: ["contoso.example"], tenantId: TENANT });
    expect(r.findings.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      'error: identifier_uris[2]\'s host "orders.fabrikam.example" is not under a verified domain of the tenant (declared: "contoso.example"); Entra refuses it at apply (got "https://orders.fabrikam.example").',
      `error: identifier_uris[3] names tenant 99999999-0000-cccc-1111-dddd2222eeee, not ${TENANT} (--tenant-id); Entra accepts only the tenant's own id there (got "api://99999999-0000-cccc-1111-dddd2222eeee/orders").`,
    ]);
    const unknown = await checkFiles(files);
    expect(summary(unknown)).toEqual([
      "MCC013:note:azuread_application.api",
      "MCC013:note:azuread_application.api",
      "MCC013:note:azuread_application.api",
      "MCC013:note:azuread_application.api",
    ]);
    expect(unknown.findings[3].message).toBe(
      'identifier_uris[3] names tenant 99999999-0000-cccc-1111-dddd2222eeee, which could not be checked without --tenant-id (got "api://99999999-0000-cccc-1111-dddd2222eeee/orders").',
    );
  });

  it("notes a literal app id, which only Entra can check", async () => {
    const r = await checkFiles({ "main.tf": uris(`api://${TENANT}`) });
    expect(r.findings.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      `note: identifier_uris[0] has the literal GUID ${TENANT} in the {appId} position of api://{appId}, which must be the application's own client id; that id is known only after apply, so MCC013 could not check it (got "api://${TENANT}").`,
    ]);
  });

  it("follows a locals list and notes one it cannot evaluate", async () => {
    const r = await checkFiles({
      "main.tf": `locals {
  uris = ["api://orders"]
}
resource "azuread_application" "a" {
  display_name    = "a"
  identifier_uris = local.uris
}
resource "azuread_application" "b" {
  display_name    = "b"
  identifier_uris = azuread_application.a.identifier_uris
}`,
    });
    expect(summary(r)).toEqual([
      "MCC013:error:azuread_application.a",
      "MCC013:note:azuread_application.b",
    ]);
    expect(r.findings[0].message).toContain('(got "api://orders")');
    expect(r.findings[1].message).toBe(
      "identifier_uris cannot be known statically (azuread_application.a.identifier_uris is known only at plan or apply time), so MCC013 was not checked here.",
    );
  });

  it.each([
    ["a wildcard", "https://*.contoso.example/api", /must not contain "\*", "\?" or "#"/],
    ["a Cyrillic look-alike", "https://cоntoso.example/api", /must be ASCII/],
    ["http", "http://contoso.example/api", /must start with "api:\/\/" or "https:\/\/"/],
    ["256 characters", `api://${TENANT}/${"a".repeat(213)}`, /is 256 characters/],
  ])("rejects %s", async (_name, uri, message) => {
    const r = await checkFiles({ "main.tf": uris(uri) });
    expect(summary(r)).toEqual(["MCC013:error:azuread_application.api"]);
    expect(r.findings[0].message).toMatch(message);
  });
});
