import * as fs from "node:fs";
import * as path from "node:path";
import { checkPaths, findTerraformFiles } from "../../src/check";
import { jsonLocator } from "../../src/check/files";
import { NOW, checkFiles, removeTempDirs, summary, tempDir, tempTree } from "./check-util";

afterAll(removeTempDirs);

const FAULTY = `resource "azuread_application_password" "p" {
  application_id = "/applications/x"
}
`;

describe("files as Terraform reads them", () => {
  test("follows a symlinked .tf file: main.tf linking to a faulty file is reported", async () => {
    const shared = tempTree({ "faulty.tf": FAULTY });
    const dir = tempDir();
    fs.symlinkSync(path.join(shared, "faulty.tf"), path.join(dir, "main.tf"));
    const r = await checkPaths([dir], { now: NOW });
    expect(r.files).toEqual([path.join(dir, "main.tf")]);
    expect(summary(r)).toEqual([
      "MCC004:error:azuread_application_password.p",
      "MCC007:warning:azuread_application_password.p",
    ]);
    expect(r.findings[0].file).toBe(path.join(dir, "main.tf"));
    expect(r.findings[0].line).toBe(1);
  });

  test("follows a symlinked .tf.json file and a symlinked directory, but no directory loop", () => {
    const dir = tempTree({ "real/main.tf": FAULTY, "json/x.tf.json": "{}" });
    fs.symlinkSync(path.join(dir, "json", "x.tf.json"), path.join(dir, "real", "y.tf.json"));
    fs.symlinkSync(path.join(dir, "real"), path.join(dir, "alias"));
    // A loop: real/loop → the tree's root.
    fs.symlinkSync(dir, path.join(dir, "real", "loop"));
    const files = findTerraformFiles(dir).map((f) => path.relative(dir, f));
    // alias/ is real/ again: searched once, under the name met first.
    expect(files).toEqual([
      path.join("alias", "main.tf"),
      path.join("alias", "y.tf.json"),
      path.join("json", "x.tf.json"),
    ]);
  });

  test("rejects a broken symlink with a clear error, and checks the other files", async () => {
    const dir = tempTree({ "ok.tf": FAULTY });
    fs.symlinkSync(path.join(dir, "missing.tf"), path.join(dir, "broken.tf"));
    const r = await checkPaths([dir], { now: NOW });
    expect(r.errors).toEqual([
      {
        file: path.join(dir, "broken.tf"),
        message: "cannot read this file: it is a symbolic link whose target does not exist",
      },
    ]);
    expect(summary(r)).toContain("MCC004:error:azuread_application_password.p");
  });

  test("skips .terraform and the names Terraform ignores", () => {
    const dir = tempTree({
      "main.tf": FAULTY,
      ".terraform/modules/m/main.tf": FAULTY,
      "sub/.terraform/x.tf": FAULTY,
      ".hidden.tf": FAULTY,
      "main.tf~": FAULTY,
      "#main.tf#": FAULTY,
      "notes.txt": "",
    });
    expect(findTerraformFiles(dir).map((f) => path.relative(dir, f))).toEqual(["main.tf"]);
  });
});

describe("override files, merged as Terraform merges them", () => {
  const api = `resource "azuread_application" "api" {
  display_name    = "api"
  identifier_uris = ["api://\${data.azuread_client_config.current.tenant_id}/api"]
  app_role {
    allowed_member_types = ["Application"]
    description          = "read"
    display_name         = "read"
    id                   = "8f2e1a1c-35a6-4c5b-9f57-0c84c28bcd22"
    value                = "read"
  }
}
resource "azuread_service_principal" "api" {
  client_id = azuread_application.api.client_id
}
`;

  test("an argument in override.tf replaces the original's", async () => {
    const before = await checkFiles({ "main.tf": api });
    expect(summary(before)).toEqual(["MCC009:error:azuread_service_principal.api"]);
    const after = await checkFiles({
      "main.tf": api,
      "override.tf": `resource "azuread_service_principal" "api" {
  app_role_assignment_required = true
}
`,
    });
    expect(summary(after)).toEqual([]);
  });

  test("*_override.tf files apply after the primary files, in name order", async () => {
    const r = await checkFiles({
      "b_override.tf": `resource "azuread_application_password" "p" {
  end_date = "2030-01-01T00:00:00Z"
}
`,
      "a_override.tf.json": JSON.stringify({
        resource: {
          azuread_application_password: { p: { end_date: "2026-12-20T00:00:00Z" } },
        },
      }),
      "main.tf": `resource "time_rotating" "r" {
  rotation_days = 30
}
resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  rotate_when_changed = { r = time_rotating.r.id }
}
`,
    });
    // b_override.tf comes last: its far end date stands, reported at the block in main.tf.
    expect(summary(r)).toEqual(["MCC005:error:azuread_application_password.p"]);
    expect(path.basename(r.findings[0].file)).toBe("main.tf");
    expect(r.findings[0].line).toBe(4);
  });

  test("a nested block type in an override replaces the original's, dynamic ones included", async () => {
    const r = await checkFiles({
      "main.tf": api,
      "api_override.tf": `resource "azuread_application" "api" {
  dynamic "app_role" {
    for_each = []
    content {
      allowed_member_types = ["Application"]
      description          = "none"
      display_name         = "none"
      id                   = "8f2e1a1c-35a6-4c5b-9f57-0c84c28bcd22"
      value                = "none"
    }
  }
}
`,
    });
    // No roles left, but still an API (identifier URIs): a warning, not an error.
    expect(summary(r)).toEqual(["MCC009:warning:azuread_service_principal.api"]);
  });

  test("lifecycle merges argument by argument; variables take the override's default", async () => {
    const r = await checkFiles({
      "main.tf": `variable "end" {
  default = "2026-12-20T00:00:00Z"
}
resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  end_date            = var.end
  rotate_when_changed = { r = time_rotating.r.id }
  lifecycle {
    create_before_destroy = true
  }
}
`,
      "override.tf": `variable "end" {
  default = "2030-01-01T00:00:00Z"
}
resource "azuread_application_password" "p" {
  lifecycle {
    ignore_changes = [rotate_when_changed]
  }
}
`,
    });
    expect(summary(r)).toEqual([
      "MCC005:error:azuread_application_password.p",
      "MCC007:warning:azuread_application_password.p",
    ]);
  });

  test("rejects an override of a block no other file declares, as Terraform does", async () => {
    const r = await checkFiles({
      "main.tf": api,
      "override.tf": `resource "azuread_service_principal" "other" {
  app_role_assignment_required = true
}
`,
    });
    expect(r.errors).toHaveLength(1);
    expect(path.basename(r.errors[0].file)).toBe("override.tf");
    expect(r.errors[0].message).toContain(
      "declares azuread_service_principal.other, which no other file of the module declares",
    );
  });
});

describe("JSON line locator", () => {
  test("locates blocks under resource and data, through arrays and escaped keys", () => {
    const text = [
      "{",
      '  "data": {"azuread_client_config": {"current": {}}},',
      '  "resource": [',
      '    {"azuread_application": {',
      '      "a\\u0062": {"display_name": "resource"},',
      '      "c": [{"tags": {"resource": {"x": {"y": 1}}}}]',
      "    }}",
      "  ]",
      "}",
    ].join("\n");
    JSON.parse(text);
    const at = jsonLocator(text);
    expect(at("data", "azuread_client_config", "current")).toBe(2);
    expect(at("resource", "azuread_application", "ab")).toBe(5);
    expect(at("resource", "azuread_application", "c")).toBe(6);
    // Nested keys named like the top level are not blocks.
    expect(at("resource", "x", "y")).toBeUndefined();
  });
});
