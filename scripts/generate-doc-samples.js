#!/usr/bin/env node
// `npm run generate:doc-samples`: rewrites the sample outputs of the documentation (the blocks between
// `<!-- sample:… -->` markers) and the rotation model's tables from real runs of the library and its command.
// test/docs/generated.test.ts fails while a page differs from what this script writes.
"use strict";
const path = require("node:path");

process.env.TS_NODE_PROJECT = path.join(__dirname, "..", "tsconfig.json");
require("ts-node/register/transpile-only");
const { writeGenerated } = require("./doc-blocks.ts");
const { docSamples, rotationTables } = require("./doc-samples.ts");

const only = process.argv[2]; // "rotation-tables" regenerates only those
(only === "rotation-tables" ? Promise.resolve([]) : docSamples())
  .then((samples) => {
    const changed = writeGenerated([...rotationTables(), ...samples]);
    console.log(
      changed.length ? `updated ${changed.join(", ")}` : "the documentation is up to date",
    );
  })
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
