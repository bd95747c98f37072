#!/usr/bin/env node
// `npm run bench -- check`: generates a tree of 1,000 plain HCL .tf files (100 modules of 10 files:
// machine clients, APIs, passwords, variables, dynamic blocks, comments) in a temporary directory
// and times `cdktf-machine-clients check` on it, as a pipeline would run it (a fresh process,
// hcl2json's WebAssembly load included). Goal: under 10 s.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const MODULES = 100;
const FILES_PER_MODULE = 10;
const cli = path.join(__dirname, "..", "lib", "cli", "main.js");

function client(m, i) {
  const n = `c${m}_${i}`;
  return `# client ${n}
variable "days_${n}" {
  default = 30
}

resource "azuread_application" "${n}" {
  display_name = "${n}"

  required_resource_access {
    resource_app_id = "00000003-0000-0000-c000-000000000000"

    dynamic "resource_access" {
      for_each = ["df021288-bdef-4463-88db-98f22de89214", "${i % 3 === 0 ? "19dbc75e-c2e2-444c-a770-ec69d8559fc7" : "7ab1d382-f21e-4acd-a863-ba3e13f7da61"}"]
      content {
        id   = resource_access.value
        type = "Role"
      }
    }
  }
}

resource "azuread_service_principal" "${n}" {
  client_id = azuread_application.${n}.client_id
}

resource "time_rotating" "${n}" {
  rotation_days = var.days_${n}
}

/* a rotating password */
resource "azuread_application_password" "${n}" {
  application_id      = azuread_application.${n}.id
  end_date            = timeadd(time_rotating.${n}.id, "${i % 4 === 0 ? 8760 : 1440}h")
  rotate_when_changed = { rotation = time_rotating.${n}.id }
}
`;
}

function api(m) {
  return `resource "azuread_application" "api${m}" {
  display_name    = "api-${m}"
  identifier_uris = ["api://contoso.example/api${m}"]

  app_role {
    allowed_member_types = ["Application"]
    description          = "Read"
    display_name         = "read"
    enabled              = true
    id                   = "6a4f2c55-8d3e-4b2a-9f1e-2b8c7d9e0a11"
    value                = "read"
  }
}

resource "azuread_service_principal" "api${m}" {
  client_id                    = azuread_application.api${m}.client_id
  app_role_assignment_required = ${m % 2 === 0}
}
`;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mcc-bench-"));
try {
  for (let m = 0; m < MODULES; m++) {
    const dir = path.join(root, `module${String(m).padStart(3, "0")}`);
    fs.mkdirSync(dir);
    for (let i = 0; i < FILES_PER_MODULE; i++) {
      const text = i === 0 ? api(m) : client(m, i);
      fs.writeFileSync(
        path.join(dir, `f${i}.tf`),
        m % 10 === 0 ? text.replace(/\n/g, "\r\n") : text,
      );
    }
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, "check", root, "--format", "json"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 1) {
    console.error(r.stderr);
    throw new Error(`check exited ${r.status}; expected 1 (the tree has findings)`);
  }
  const doc = JSON.parse(r.stdout);
  const files = doc.files;
  console.log("| benchmark | files | findings | time | goal |");
  console.log("| --- | --- | --- | --- | --- |");
  console.log(
    `| check (fresh process, HCL) | ${files} | ${doc.findings.length} | ${(ms / 1000).toFixed(2)} s | < 10 s |`,
  );
  if (files !== MODULES * FILES_PER_MODULE)
    throw new Error(`expected ${MODULES * FILES_PER_MODULE} files, read ${files}`);
  if (ms > 10_000) {
    console.error(`check took ${(ms / 1000).toFixed(2)} s, over the 10 s goal`);
    process.exitCode = 1;
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
