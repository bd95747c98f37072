#!/usr/bin/env node
// `npm run bench -- check`: times `cdktf-machine-clients check` as a pipeline runs it (a fresh
// process each time), on two generated inputs in a temporary directory:
// - a tree of 1,000 plain HCL .tf files (100 modules of 10 files: machine clients, APIs,
//   passwords, variables, dynamic blocks, comments). Goal: under 10 s.
// - one 10 MB HCL file with 1,000 findings (500 passwords without end date or rotation among
//   some 18,000 correct clients), which shows that locating lines and reading the file grow with
//   its size, not with findings × size. Goal: under 5 s.
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

/** One 10 MB HCL file: `findings / 2` faulty passwords (MCC004 + MCC007 each) among correct clients. */
function bigFile(bytes, findings) {
  const parts = [];
  let size = 0;
  let faulty = 0;
  for (let i = 0; size < bytes; i++) {
    const n = `c${i}`;
    let t;
    if (faulty < findings / 2 && i % 20 === 0) {
      faulty++;
      t = `resource "azuread_application_password" "${n}" {
  application_id = azuread_application.${n}.id
  display_name   = "${n}"
}

resource "azuread_application" "${n}" {
  display_name = "${n}"
}

`;
    } else {
      t = `resource "azuread_application" "${n}" {
  display_name = "${n}"
  notes        = "${"x".repeat(200)}"
}

resource "time_rotating" "${n}" {
  rotation_days = 30
}

resource "azuread_application_password" "${n}" {
  application_id      = azuread_application.${n}.id
  end_date            = timeadd(time_rotating.${n}.id, "1440h")
  rotate_when_changed = { rotation = time_rotating.${n}.id }
}

`;
    }
    parts.push(t);
    size += t.length;
  }
  return parts.join("");
}

/**
 * Runs check in a fresh process; wall time, and the process's CPU time (user + system, reported
 * by a preloaded exit hook) which a machine shared with other work inflates less.
 */
function timeCheck(target, preload) {
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ["--require", preload, cli, "check", target, "--format", "json"],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 1) {
    console.error(r.stderr);
    throw new Error(`check exited ${r.status}; expected 1 (the input has findings)`);
  }
  const cpu = Number(/CPU_MS=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms, cpu, doc: JSON.parse(r.stdout) };
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mcc-bench-"));
try {
  const preload = path.join(root, "cpu.js");
  fs.writeFileSync(
    preload,
    'process.on("exit", () => { const c = process.cpuUsage(); process.stderr.write(`CPU_MS=${Math.round((c.user + c.system) / 1000)}\\n`); });\n',
  );
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
  const tree = timeCheck(root, preload);
  const files = tree.doc.files;
  if (files !== MODULES * FILES_PER_MODULE)
    throw new Error(`expected ${MODULES * FILES_PER_MODULE} files, read ${files}`);

  const bigDir = path.join(root, "big");
  fs.mkdirSync(bigDir);
  const text = bigFile(10 * 1024 * 1024, 1000);
  fs.writeFileSync(path.join(bigDir, "main.tf"), text);
  const big = timeCheck(bigDir, preload);
  if (big.doc.findings.length !== 1000) {
    throw new Error(`expected 1,000 findings in the 10 MB file, got ${big.doc.findings.length}`);
  }
  const mb = (text.length / 1024 / 1024).toFixed(1);

  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log("| benchmark | input | findings | wall time | CPU time | goal (wall) |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  console.log(
    `| check (fresh process, HCL) | ${files} files | ${tree.doc.findings.length} | ${s(tree.ms)} | ${s(tree.cpu)} | < 10 s |`,
  );
  console.log(
    `| check (fresh process, HCL) | 1 file, ${mb} MB | ${big.doc.findings.length} | ${s(big.ms)} | ${s(big.cpu)} | < 5 s |`,
  );
  console.log(
    `\nload average during the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}`,
  );
  if (tree.ms > 10_000) {
    console.error(`check took ${(tree.ms / 1000).toFixed(2)} s on the tree, over the 10 s goal`);
    process.exitCode = 1;
  }
  if (big.ms > 5_000) {
    console.error(
      `check took ${(big.ms / 1000).toFixed(2)} s on the 10 MB file, over the 5 s goal`,
    );
    process.exitCode = 1;
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
