#!/usr/bin/env node
// Type-checking cost of the Microsoft Graph vocabulary (`npm run bench -- typecheck`).
//
// Generates an example program with 50 MicrosoftGraph grants (10 machine clients × 5) in .gen/,
// and type-checks it with `tsc --noEmit` twice over: against the built library (lib/, the
// 716-name union, the delegated-name messages and the tier-0 overloads), and against a copy of
// lib/ whose generated Graph table is typed as plain `string` (the baseline: what a vocabulary
// without names would cost). Runs alternate, RUNS times each; medians and their ratio are printed.
// The goal is a ratio ≤ 1.5. RUNS can be set in the environment (default 7).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const GEN = path.join(ROOT, ".gen", "typecheck-bench");
const TSC = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
const RUNS = Number(process.env.RUNS ?? 7);
const GRANTS = 50;
const PER_CLIENT = 5;

const lib = require(path.join(ROOT, "lib"));
if (!lib.MicrosoftGraph) {
  console.error("lib/ has no MicrosoftGraph: run `npm run build` first (npm run bench does)");
  process.exit(2);
}
// 50 distinct application permissions, spread over the alphabet, none tier 0 (no justification).
const { isGraphTier0Permission } = require(path.join(ROOT, "lib", "graph", "tier0"));
const candidates = lib.MicrosoftGraph.permissions.filter((p) => !isGraphTier0Permission(p));
const step = Math.floor(candidates.length / GRANTS);
const names = Array.from({ length: GRANTS }, (_, i) => candidates[i * step]);

function program() {
  const clients = [];
  for (let c = 0; c < GRANTS / PER_CLIENT; c++) {
    const grants = names
      .slice(c * PER_CLIENT, (c + 1) * PER_CLIENT)
      .map((n) => `      MicrosoftGraph.grant(${JSON.stringify(n)}),`);
    clients.push(
      [
        `  new MachineClient(stack, "Client${c}", {`,
        `    displayName: "client-${c}",`,
        "    access: [",
        ...grants,
        "    ],",
        "    credential: ClientSecret.rotating({ rotationDays: 20, validityDays: 60 }),",
        "  });",
      ].join("\n"),
    );
  }
  return [
    'import { App, TerraformStack } from "cdktf";',
    'import { ClientSecret, MachineClient, MicrosoftGraph } from "./lib";',
    "",
    "const app = new App();",
    'const stack = new TerraformStack(app, "graph");',
    "export function declare(): void {",
    ...clients,
    "}",
    "",
  ].join("\n");
}

// The baseline's Graph table: the same exports, typed as plain strings.
const PLAIN_TABLE = `export declare const GRAPH_PERMISSIONS_SOURCE: {
    readonly applicationFile: string;
    readonly delegatedFile: string;
    readonly snapshotDate: string;
    readonly applicationCount: number;
    readonly delegatedCount: number;
    readonly delegatedOnlyCount: number;
};
export declare const GRAPH_APPLICATION_PERMISSION_IDS: { readonly [name: string]: string };
export declare const GRAPH_DELEGATED_ONLY_PERMISSIONS: { readonly [name: string]: string | null };
`;

function setUp(dir, plain) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(ROOT, "lib"), path.join(dir, "lib"), { recursive: true });
  if (plain) {
    fs.writeFileSync(path.join(dir, "lib", "graph", "permissions.generated.d.ts"), PLAIN_TABLE);
  }
  fs.writeFileSync(path.join(dir, "main.ts"), program());
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        types: [],
      },
      files: ["main.ts"],
    }),
  );
}

// Preloaded into each tsc process: prints the process's CPU time (user + system) at exit, a figure
// less disturbed than wall time by other work on the machine.
const CPU_PRELOAD = path.join(GEN, "cpu.js");

function typecheck(dir) {
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ["--require", CPU_PRELOAD, TSC, "-p", dir, "--extendedDiagnostics"],
    { encoding: "utf8" },
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`tsc failed in ${dir}`);
  }
  const check = Number(/Check time:\s+([\d.]+)s/.exec(r.stdout)[1]) * 1000;
  const types = Number(/Types:\s+(\d+)/.exec(r.stdout)[1]);
  const cpu = Number(/cpu-us (\d+)/.exec(r.stderr)[1]) / 1000;
  return { wall, cpu, check, types };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const typedDir = path.join(GEN, "typed");
const plainDir = path.join(GEN, "plain");
fs.mkdirSync(GEN, { recursive: true });
fs.writeFileSync(
  CPU_PRELOAD,
  'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write(`cpu-us ${u.user + u.system}\\n`); });\n',
);
setUp(typedDir, false);
setUp(plainDir, true);
typecheck(typedDir); // warm the file system cache; not counted
typecheck(plainDir);
const typed = [];
const plain = [];
for (let i = 0; i < RUNS; i++) {
  typed.push(typecheck(typedDir));
  plain.push(typecheck(plainDir));
}
const row = (label, runs) => {
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  const check = median(runs.map((r) => r.check));
  return { label, wall, cpu, check, types: runs[0].types };
};
const a = row("Graph vocabulary (716 names)", typed);
const b = row("Graph typed as plain string", plain);
console.log(
  `tsc --noEmit on a program with ${GRANTS} MicrosoftGraph grants, median of ${RUNS} runs`,
);
console.log("");
console.log("| variant | wall ms | cpu ms | check ms | types |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const r of [a, b]) {
  console.log(
    `| ${r.label} | ${r.wall.toFixed(0)} | ${r.cpu.toFixed(0)} | ${r.check.toFixed(0)} | ${r.types} |`,
  );
}
console.log("");
console.log(
  `ratio (vocabulary / plain): wall ${(a.wall / b.wall).toFixed(2)}, cpu ${(a.cpu / b.cpu).toFixed(2)}, check phase ${(a.check / b.check).toFixed(2)} (goal ≤ 1.5)`,
);
