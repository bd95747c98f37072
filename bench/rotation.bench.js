#!/usr/bin/env node
// `npm run bench -- rotation`: the rotation model's table, from the built library (lib/). For each
// schedule and pipeline cadence over three years: the worst-case validity left on the published
// secret just before the next apply, and on a superseded secret after the apply that superseded
// it (the time consumers have to re-read), and whether the invariants held. Also times the model.
"use strict";
const {
  irregularApplies,
  keepsInvariants,
  regularApplies,
  simulateRotation,
} = require("../lib/credentials/rotation-model");
const { maxApplyGapDays } = require("../lib/credentials/rotation-schedule");

const DAY = 86400;
const START = Date.UTC(2026, 0, 1, 9, 17) / 1000;
const DAYS = 3 * 365;
const specs = [
  { slots: 2, rotationDays: 20, validityDays: 60 },
  { slots: 2, rotationDays: 30, validityDays: 60 }, // the default
  { slots: 2, rotationDays: 30, validityDays: 90 },
  { slots: 1, rotationDays: 30, validityDays: 60 },
];
const cadences = (s, grace) => [
  ["daily", regularApplies(START, 1, DAYS)],
  ["weekly", regularApplies(START, 7, DAYS)],
  ["every rotationDays", regularApplies(START, s.rotationDays, DAYS)],
  ["irregular 1h..grace", irregularApplies(START, 1 / 24, grace, DAYS, 20261126)],
  ["every rotationDays + 1", regularApplies(START, s.rotationDays + 1, DAYS)],
  ["irregular 1h..1.5×grace", irregularApplies(START, 1 / 24, 1.5 * grace, DAYS, 20261126)],
];
const f = (n) => (Number.isFinite(n) ? n.toFixed(1) : "-");
console.log(
  "| schedule | grace (d) | cadence | secrets | remaining (d) | overlap (d) | invariants |",
);
console.log("|---|---|---|---|---|---|---|");
const t0 = process.hrtime.bigint();
let runs = 0;
for (const s of specs) {
  const grace =
    s.slots === 1
      ? s.validityDays - s.rotationDays
      : maxApplyGapDays(s.rotationDays, s.validityDays);
  for (const [name, applies] of cadences(s, grace)) {
    const r = simulateRotation(s, applies, START + DAYS * DAY);
    runs++;
    const verdict = keepsInvariants(r)
      ? "kept"
      : `broken (${r.publishedDestroyed} published destroyed, ${r.publishedExpiredBeforeNextApply} expired)`;
    console.log(
      `| ${s.slots} slot(s) ${s.rotationDays}/${s.validityDays} | ${grace} | ${name} | ${r.secretsCreated} | ${f(r.minPublishedRemainingDays)} | ${f(r.minOverlapDays)} | ${verdict} |`,
    );
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`\n${runs} three-year simulations in ${ms.toFixed(1)} ms`);
