#!/usr/bin/env node
// `npm run generate:rules`: writes docs/rules.md from the rule definitions (src/policy and
// src/check/rules, loaded through ts-node), formatted by Prettier. test/docs/rules.test.ts fails
// while the page and the definitions disagree.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const prettier = require("prettier");

const root = path.join(__dirname, "..");
const file = path.join(root, "docs", "rules.md");

/** docs/rules.md as the definitions give it, formatted as `npm run lint` expects. */
async function generateRules() {
  require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  const { renderRuleCatalogue } = require("../src/check/rule-catalogue");
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(renderRuleCatalogue(), { ...options, filepath: file });
}

module.exports = { generateRules, RULES_FILE: file };

// `--stdout` prints the page instead of writing it (the test compares it with the file).
if (require.main === module) {
  generateRules().then((text) => {
    if (process.argv.includes("--stdout")) {
      process.stdout.write(text);
      return;
    }
    fs.writeFileSync(file, text);
    console.log(`updated ${path.relative(process.cwd(), file)}`);
  });
}
