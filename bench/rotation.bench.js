#!/usr/bin/env node
// `npm run bench -- rotation`: the rotation model's tables (the ones in docs/credentials.md), from
// the built library (lib/), and how long the model takes. For each schedule and pipeline cadence
// over three years, with a refresh-only run between every two applies: the worst-case validity
// left on the published secret before each later run, and on a superseded secret after the run
// that superseded it (the time consumers have to re-read), and whether the invariants held.
"use strict";
const {
  CADENCES,
  TABLE_SCHEDULES,
  cadenceTable,
  changeTable,
  simulateCadence,
  tableConfig,
} = require("../lib/credentials/rotation-table");

console.log(cadenceTable());
console.log();
console.log(changeTable());

const t0 = process.hrtime.bigint();
let runs = 0;
let steps = 0;
for (const [r, v] of TABLE_SCHEDULES) {
  for (const cadence of CADENCES) {
    const report = simulateCadence(tableConfig(r, v), cadence);
    runs++;
    steps += report.applies;
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`\n${runs} three-year simulations (${steps} applies) in ${ms.toFixed(1)} ms`);
