// `npm run bench -- synth`: what the library costs over hand-written provider resources.
//
// For N machine clients (each: one grant on each of two shared ProtectedApis, a rotating secret),
// builds the construct tree and runs app.synth() to a temporary directory (a) with the library
// (../lib) and (b) with the same resources written with the provider classes
// (bench/synth-workload.js; test/bench/synth-workload.test.ts keeps the two equal). Every
// (N, variant) run is a fresh Node process with the default heap limit, variants alternate, and
// the table gives medians of wall time (tree + synth) and of peak RSS (process.resourceUsage()
// .maxRSS). It also times require() of the library against the provider classes it uses, and
// `cdktf synth` of examples/main.ts.
//
// Environment: BENCH_SIZES=100,1000 (default 100,1000,5000), BENCH_REPS=3 (default 5; 3 from
// N = 5000), BENCH_CDKTF_SYNTH=0 skips the cdktf synth timing.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

if (process.argv[2] === "--child") {
  child(process.argv[3], Number(process.argv[4]));
} else {
  main();
}

/** One measured run; prints one line of JSON. */
function child(variant, n) {
  const { App, TerraformStack } = require("cdktf");
  const workload = require("./synth-workload");
  const lib = variant === "library" ? require(ROOT + "/lib") : undefined;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `synth-bench-${variant}-`));
  try {
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "bench");
    if (variant === "library") workload.buildWithLibrary(lib, stack, n);
    else workload.buildRaw(stack, n);
    app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/bench/cdk.tf.json"), "utf8"));
    let resources = 0;
    for (const kind of ["resource", "data"]) {
      for (const byName of Object.values(json[kind] ?? {})) resources += Object.keys(byName).length;
    }
    process.stdout.write(JSON.stringify({ variant, n, ms, cpuMs, maxRssMiB, resources }) + "\n");
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function runChild(variant, n) {
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, "synth.bench.js"), "--child", variant, String(n)],
    {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (r.status !== 0) {
    throw new Error(`${variant} N=${n} exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  }
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => "| " + r.map((c, i) => c.padStart(widths[i])).join(" | ") + " |";
  return [line(all[0]), "|" + widths.map((w) => "-".repeat(w + 1) + ":").join("|") + "|"]
    .concat(all.slice(1).map(line))
    .join("\n");
}

function synthTable() {
  const sizes = (process.env.BENCH_SIZES ?? "100,1000,5000").split(",").map(Number);
  const rows = [];
  for (const n of sizes) {
    const reps = Number(process.env.BENCH_REPS ?? (n >= 5000 ? 3 : 5));
    process.stderr.write(`N = ${n}: ${reps} runs of each variant ...\n`);
    const runs = { library: [], raw: [] };
    for (let i = 0; i < reps; i++) {
      // Alternate which variant goes first, so that drift of the machine hits both alike.
      const order = i % 2 === 0 ? ["library", "raw"] : ["raw", "library"];
      for (const variant of order) runs[variant].push(runChild(variant, n));
    }
    const lib = runs.library;
    const raw = runs.raw;
    if (lib[0].resources !== raw[0].resources) {
      throw new Error(`N=${n}: library ${lib[0].resources} resources, raw ${raw[0].resources}`);
    }
    const med = (runs, key) => median(runs.map((r) => r[key]));
    const cells = (key, digits) => {
      const l = med(lib, key);
      const r = med(raw, key);
      return [l.toFixed(digits), r.toFixed(digits), (l / r).toFixed(2)];
    };
    rows.push([
      n,
      lib[0].resources,
      reps,
      ...cells("ms", 0),
      ...cells("cpuMs", 0),
      ...cells("maxRssMiB", 0),
    ]);
  }
  console.log(
    "Construct tree + app.synth(), one fresh process per run, medians " +
      "(wall time, CPU time user+system, peak RSS); library = lib/, raw = provider classes:\n",
  );
  console.log(
    table(
      [
        "N",
        "resources",
        "runs",
        "library ms",
        "raw ms",
        "ratio",
        "library CPU ms",
        "raw CPU ms",
        "ratio",
        "library peak RSS MiB",
        "raw peak RSS MiB",
        "ratio",
      ],
      rows,
    ),
  );
}

/** Median time of `require()` of each module set, each in a fresh process. */
function requireTable() {
  const sets = {
    "cdktf-machine-clients (lib/)": [ROOT + "/lib"],
    "the provider classes it uses (deep imports) + cdktf": [
      "cdktf",
      "@cdktf/provider-azuread/lib/application",
      "@cdktf/provider-azuread/lib/service-principal",
      "@cdktf/provider-azuread/lib/app-role-assignment",
      "@cdktf/provider-azuread/lib/application-password",
      "@cdktf/provider-azuread/lib/data-azuread-client-config",
      "@cdktf/provider-time/lib/rotating",
    ],
    "the providers' root indexes + cdktf (for reference)": [
      "cdktf",
      "@cdktf/provider-azuread",
      "@cdktf/provider-time",
    ],
  };
  const reps = 9;
  const rows = [];
  for (const [name, modules] of Object.entries(sets)) {
    rows.push([name, modules]);
  }
  const script = (modules) =>
    "const c=process.cpuUsage(),t=process.hrtime.bigint();" +
    `for (const m of ${JSON.stringify(modules)}) require(m);` +
    "const u=process.cpuUsage(c);" +
    "process.stdout.write(JSON.stringify([Number(process.hrtime.bigint()-t)/1e6,(u.user+u.system)/1000]))";
  const times = rows.map(() => ({ ms: [], cpuMs: [] }));
  for (let i = 0; i < reps; i++) {
    // Interleaved, so that load on the machine hits every set alike.
    rows.forEach(([name, modules], j) => {
      const r = spawnSync(process.execPath, ["-e", script(modules)], {
        cwd: ROOT,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`require ${name} failed:\n${r.stderr}`);
      const [ms, cpuMs] = JSON.parse(r.stdout);
      times[j].ms.push(ms);
      times[j].cpuMs.push(cpuMs);
    });
  }
  console.log(`\nrequire() in a fresh process, median of ${reps} (interleaved):\n`);
  console.log(
    table(
      ["modules", "wall ms", "CPU ms"],
      rows.map(([name], j) => [
        name,
        median(times[j].ms).toFixed(0),
        median(times[j].cpuMs).toFixed(0),
      ]),
    ),
  );
}

/** `cdktf synth` of examples/main.ts (cdktf.json's app), median of 3. */
function cdktfSynthTime() {
  if (process.env.BENCH_CDKTF_SYNTH === "0") return;
  const cli = path.join(ROOT, "node_modules/.bin/cdktf");
  const times = [];
  for (let i = 0; i < 3; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-synth-bench-"));
    const start = process.hrtime.bigint();
    const r = spawnSync(cli, ["synth", "--output", out], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
    });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const ok = fs.existsSync(path.join(out, "stacks/orders/cdk.tf.json"));
    fs.rmSync(out, { recursive: true, force: true });
    if (r.status !== 0 || !ok) {
      throw new Error(`cdktf synth failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
  }
  console.log(
    `\n\`cdktf synth\` of examples/main.ts (ts-node --transpile-only), median of 3: ` +
      `${(median(times) / 1000).toFixed(1)} s`,
  );
}

function main() {
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, default heap limit\n`,
  );
  synthTable();
  requireTable();
  cdktfSynthTime();
}
