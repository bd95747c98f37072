#!/usr/bin/env node
// `npm run bench`: builds the library (lib/), then runs every bench/*.bench.js in its own Node
// process, one after another, so that no benchmark's heap or JIT state affects another's figures.
// A benchmark prints its own table; an argument picks one by name (npm run bench -- check), or
// filters by part of the file name.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const filter = process.argv[2];
const all = fs.readdirSync(__dirname).filter((f) => f.endsWith(".bench.js"));
// An exact name runs that benchmark alone (`check` is not also `typecheck`); otherwise a substring.
const files = (
  filter && all.includes(`${filter}.bench.js`)
    ? [`${filter}.bench.js`]
    : all.filter((f) => !filter || f.includes(filter))
).sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${JSON.stringify(filter)}`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file}\n`);
  const r = spawnSync(process.execPath, [path.join(__dirname, file)], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`${file} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
