import { CHECK_RULES } from "../../src/check";
import { checkFiles, machineClient, removeTempDirs, summary } from "./check-util";

afterAll(removeTempDirs);

const GRAPH = '"00000003-0000-0000-c000-000000000000"';
const USER_READ = '"e1fe6dd8-ba31-4d61-89e7-88639da4683d"'; // delegated
const USER_READ_ALL = '"df021288-bdef-4463-88db-98f22de89214"'; // application

function rra(id: string, type: string): string {
  return `required_resource_access {
    resource_app_id = ${GRAPH}
    resource_access {
      id   = ${id}
      type = ${type}
    }
  }`;
}

function password(args: string, name = "p"): string {
  return `resource "azuread_application_password" "${name}" {
  application_id = "/applications/00000000-0000-0000-0000-000000000000"
  ${args}
}`;
}

/**
 * For each rule, a configuration it cannot decide, and the expression the note must name. A
 * variable without default stands for anything that comes from outside the module.
 */
const UNDECIDABLE: Record<string, { readonly tf: string; readonly names: string }> = {
  // Is it a machine client? Its redirect URIs come from outside.
  MCC001: {
    tf: `variable "uris" { type = list(string) }
${machineClient(`web { redirect_uris = var.uris }\n${rra(USER_READ, '"Scope"')}`)}`,
    names: "var.uris",
  },
  // Is the delegated permission one Graph has?
  MCC002: {
    tf: `variable "perm" { type = string }\n${machineClient(rra("var.perm", '"Scope"'))}`,
    names: "var.perm",
  },
  // Does the declared type contradict the permission's kind?
  MCC003: {
    tf: `variable "t" { type = string }\n${machineClient(rra(USER_READ_ALL, "var.t"))}`,
    names: "var.t",
  },
  // Is there an end date? Only when var.rotate says so.
  MCC004: {
    tf: `variable "rotate" { type = bool }
resource "time_rotating" "r" { rotation_days = 30 }
${password(`end_date            = var.rotate ? timeadd(time_rotating.r.id, "720h") : null
  rotate_when_changed = { r = time_rotating.r.id }`)}`,
    names: "var.rotate",
  },
  // How far is the end date?
  MCC005: {
    tf: `variable "end" { type = string }
${password(`end_date            = var.end
  rotate_when_changed = { r = time_rotating.r.id }`)}`,
    names: "var.end",
  },
  // Does a trigger built from the time through a regular expression change on every run?
  MCC006: {
    tf: password(`end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { day = replace(timestamp(), "/T.*/", "") }`),
    names: "replace()",
  },
  // Does the secret text ever change?
  MCC007: {
    tf: `variable "secret" { type = string }
resource "time_rotating" "r" { rotation_days = 30 }
${password(`value               = var.secret
  end_date            = timeadd(time_rotating.r.id, "720h")
  rotate_when_changed = { r = time_rotating.r.id }`)}`,
    names: "var.secret",
  },
  // Does the trigger ever change?
  MCC008: {
    tf: `variable "generation" { type = string }
${password(`end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { generation = var.generation }`)}`,
    names: "var.generation",
  },
  // Is assignment required?
  MCC009: {
    tf: `variable "required" { type = bool }
resource "azuread_application" "api" {
  display_name = "api"
  app_role {
    allowed_member_types = ["Application"]
    description          = "read"
    display_name         = "read"
    id                   = "8f2e1a1c-35a6-4c5b-9f57-0c84c28bcd22"
    value                = "read"
  }
}
resource "azuread_service_principal" "api" {
  client_id                    = azuread_application.api.client_id
  app_role_assignment_required = var.required
}`,
    names: "var.required",
  },
  // Is the role id stable?
  MCC010: {
    tf: `variable "role_id" { type = string }
resource "azuread_application_app_role" "r" {
  application_id       = "/applications/x"
  role_id              = var.role_id
  allowed_member_types = ["Application"]
  description          = "d"
  display_name         = "d"
  value                = "v"
}`,
    names: "var.role_id",
  },
  // Is the Graph application permission tier 0?
  MCC011: {
    tf: `variable "role" { type = string }\n${machineClient(rra("var.role", '"Role"'))}`,
    names: "var.role",
  },
  // Does the API still declare the assigned role, enabled?
  MCC012: {
    tf: `variable "role_id" { type = string }
resource "azuread_application" "api" {
  display_name = "api"
  app_role {
    id                   = "0fda7f49-0b7d-5249-aee9-68982d133464"
    value                = "orders.admin"
    description          = "d"
    display_name         = "d"
    allowed_member_types = ["Application"]
    enabled              = false
  }
}
resource "azuread_service_principal" "api" {
  client_id                    = azuread_application.api.client_id
  app_role_assignment_required = true
}
resource "azuread_app_role_assignment" "a" {
  app_role_id         = var.role_id
  principal_object_id = "11111111-2222-4333-8444-555555555555"
  resource_object_id  = azuread_service_principal.api.object_id
}`,
    names: "var.role_id",
  },
  // Is the identifier URI in a secure pattern? Its name comes from outside.
  MCC013: {
    tf: `variable "api_name" { type = string }
resource "azuread_application" "api" {
  display_name    = "api"
  identifier_uris = ["api://\${var.api_name}"]
}`,
    names: "var.api_name",
  },
};

describe("no silent passes: every rule notes what it cannot decide", () => {
  test("there is an undecidable case for every rule", () => {
    expect(Object.keys(UNDECIDABLE).sort()).toEqual(CHECK_RULES.map((r) => r.id));
  });

  test.each(CHECK_RULES.map((r) => [r.id, r] as const))(
    "%s gives a note naming the expression it could not evaluate",
    async (id) => {
      const { tf, names } = UNDECIDABLE[id];
      const r = await checkFiles({ "main.tf": tf });
      const notes = r.findings.filter((f) => f.ruleId === id && f.severity === "note");
      expect(notes.length).toBeGreaterThan(0);
      expect(notes[0].message).toContain("cannot be known statically");
      expect(notes[0].message).toContain(names);
      expect(notes[0].message).toContain(`so ${id} was not checked here`);
      // A note is not a verdict: the rule reports nothing definite on the same input.
      expect(r.findings.filter((f) => f.ruleId === id && f.severity !== "note")).toEqual([]);
    },
  );

  test("once the value is known, the same rules decide (no note left)", async () => {
    const known = {
      MCC001: UNDECIDABLE.MCC001.tf.replace(
        'variable "uris" { type = list(string) }',
        'variable "uris" {\n  default = []\n}',
      ),
      MCC005: UNDECIDABLE.MCC005.tf.replace(
        'variable "end" { type = string }',
        'variable "end" {\n  default = "2099-01-01T00:00:00Z"\n}',
      ),
      MCC009: UNDECIDABLE.MCC009.tf.replace(
        'variable "required" { type = bool }',
        'variable "required" {\n  default = false\n}',
      ),
      MCC012: UNDECIDABLE.MCC012.tf.replace(
        'variable "role_id" { type = string }',
        'variable "role_id" {\n  default = "0fda7f49-0b7d-5249-aee9-68982d133464"\n}',
      ),
      MCC013: UNDECIDABLE.MCC013.tf.replace(
        'variable "api_name" { type = string }',
        'variable "api_name" {\n  default = "orders"\n}',
      ),
    };
    for (const [id, tf] of Object.entries(known)) {
      const r = await checkFiles({ "main.tf": tf });
      const mine = r.findings.filter((f) => f.ruleId === id);
      expect(mine.map((f) => f.severity)).toEqual(["error"]);
    }
  });
});

describe("no silent passes: shapes where the other side is outside the module", () => {
  test("an application whose credential may be the one with an application_id from outside", async () => {
    const r = await checkFiles({
      "main.tf": `variable "app_object_id" { type = string }
resource "azuread_application" "a" {
  display_name = "a"
  ${rra(USER_READ, '"Scope"')}
}
resource "azuread_application_password" "p" {
  application_object_id = var.app_object_id
  end_date              = "2026-12-20T00:00:00Z"
  rotate_when_changed   = { r = time_rotating.r.id }
}`,
    });
    expect(summary(r)).toEqual(["MCC001:note:azuread_application.a"]);
    expect(r.findings[0].message).toContain(
      "azuread_application_password.p may hold its credential, and var.app_object_id has no default",
    );
  });

  test("delegated scopes requested for an application not declared here", async () => {
    const r = await checkFiles({
      "main.tf": `variable "application_id" { type = string }
resource "azuread_application_api_access" "g" {
  application_id = var.application_id
  api_client_id  = ${GRAPH}
  scope_ids      = [${USER_READ}]
}`,
    });
    expect(summary(r)).toEqual(["MCC001:note:azuread_application_api_access.g"]);
    expect(r.findings[0].message).toContain("var.application_id has no default");
  });

  test("a permission id Graph does not have, on an API that may be Graph", async () => {
    const r = await checkFiles({
      "main.tf": `variable "api" { type = string }
resource "azuread_application" "web" {
  display_name = "web"
  web { redirect_uris = ["https://web.contoso.example/"] }
  required_resource_access {
    resource_app_id = var.api
    resource_access {
      id   = "11111111-2222-3333-4444-555555555555"
      type = "Role"
    }
  }
}`,
    });
    expect(summary(r)).toEqual(["MCC002:note:azuread_application.web"]);
    expect(r.findings[0].message).toContain("var.api has no default");
  });

  test("a service principal of an application from outside, assignment not required", async () => {
    const r = await checkFiles({
      "main.tf": `variable "client_id" { type = string }
resource "azuread_service_principal" "sp" {
  client_id = var.client_id
}
resource "azuread_service_principal" "required" {
  client_id                    = var.client_id
  app_role_assignment_required = true
}
data "azuread_application_published_app_ids" "wk" {}
resource "azuread_service_principal" "graph" {
  client_id    = data.azuread_application_published_app_ids.wk.result["MicrosoftGraph"]
  use_existing = true
}`,
    });
    expect(summary(r)).toEqual(["MCC009:note:azuread_service_principal.sp"]);
    expect(r.findings[0].message).toContain("var.client_id has no default");
  });

  test("a password whose end date the caller gives, and no trigger", async () => {
    const r = await checkFiles({
      "main.tf": `variable "end_date" { type = string }
${password("end_date = var.end_date")}`,
    });
    expect(summary(r)).toEqual([
      "MCC005:note:azuread_application_password.p",
      "MCC007:note:azuread_application_password.p",
    ]);
    expect(r.findings[1].message).toContain("end_date comes from var.end_date");
  });
});

test("rejects locals that refer to themselves with a note, not a crash", async () => {
  const r = await checkFiles({
    "main.tf": `locals {
  a = local.b
  b = local.a
}
${password(`end_date            = "2026-12-20T00:00:00Z"
  rotate_when_changed = { r = local.a }`)}`,
  });
  expect(r.errors).toEqual([]);
  expect(summary(r)).toEqual(["MCC008:note:azuread_application_password.p"]);
  expect(r.findings[0].message).toContain("refers to itself");
});
