#!/usr/bin/env node
// `npm run generate:rotation-tables`: rewrites the tables of docs/credentials.md from the rotation
// model (lib/, built first by the npm script). test/docs/rotation-tables.test.ts fails while the
// page and the model disagree.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const {
  cadenceTable,
  changeTable,
  replaceGenerated,
} = require("../lib/credentials/rotation-table");

const file = path.join(__dirname, "..", "docs", "credentials.md");
let text = fs.readFileSync(file, "utf8");
text = replaceGenerated(text, "cadences", cadenceTable());
text = replaceGenerated(text, "changes", changeTable());
fs.writeFileSync(file, text);
console.log(`updated ${path.relative(process.cwd(), file)}`);
