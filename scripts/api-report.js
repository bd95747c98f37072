// Records the public surface of each package entry point with API Extractor, from the built
// declarations in lib/ (run `npm run build` first).
//   node scripts/api-report.js          updates api/*.api.md (`npm run api`)
//   node scripts/api-report.js --check  fails when a report differs (`npm run api:check`)
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { Extractor, ExtractorConfig } = require("@microsoft/api-extractor");

const root = path.join(__dirname, "..");
const check = process.argv.includes("--check");

/** One report per entry point in package.json's `exports`. */
const ENTRIES = [
  { report: "cdktf-machine-clients", types: "lib/index.d.ts" },
  { report: "verify", types: "lib/verify/index.d.ts" },
  { report: "azurerm", types: "lib/azurerm.d.ts" },
];

// Everything that is not the report itself is off: release tags (this package has no
// @beta/@alpha levels), the .d.ts rollup and the doc model. TSDoc syntax is checked by TypeDoc.
// ae-forgotten-export is off: the types a user names are exported on purpose; the ones left
// unexported are helpers inside type-level checks (IsAny, message fragments), and the report
// still records each signature that uses them.
const messages = {
  compilerMessageReporting: { default: { logLevel: "warning" } },
  extractorMessageReporting: {
    default: { logLevel: "warning", addToApiReportFile: false },
    "ae-missing-release-tag": { logLevel: "none" },
    "ae-forgotten-export": { logLevel: "none" },
  },
  tsdocMessageReporting: { default: { logLevel: "none" } },
};

let failed = false;
for (const entry of ENTRIES) {
  const types = path.join(root, entry.types);
  if (!fs.existsSync(types)) {
    console.error(`${entry.types} does not exist: run \`npm run build\` first.`);
    process.exit(1);
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: types,
      compiler: { tsconfigFilePath: path.join(root, "tsconfig.build.json") },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.report}.api.md`,
        reportFolder: path.join(root, "api"),
        reportTempFolder: path.join(root, ".gen", "api"),
        includeForgottenExports: false,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: "lf",
      messages,
    },
    configObjectFullPath: path.join(root, "api", "api-extractor.json"),
    packageJsonFullPath: path.join(root, "package.json"),
  });
  let problems = 0;
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
    messageCallback(message) {
      // The bundled compiler being newer than the project's is expected, and not a problem.
      if (message.messageId === "console-compiler-version-notice") message.logLevel = "none";
      // Report-file notices ("created", "changed") are the purpose of the run, not a problem.
      const notice = String(message.messageId).startsWith("console-");
      if (!notice && (message.logLevel === "warning" || message.logLevel === "error")) problems++;
    },
  });
  const ok = result.succeeded && problems === 0;
  if (!ok || (check && result.apiReportChanged)) {
    failed = true;
    console.error(
      `api/${entry.report}.api.md: ${problems} problems` +
        (result.apiReportChanged
          ? `, report differs from the public surface (new report: .gen/api/${entry.report}.api.md)`
          : ""),
    );
  }
}
if (failed) {
  console.error(
    check
      ? "The public API changed. If intended, run `npm run build && npm run api` and commit api/*.api.md."
      : "API Extractor reported problems (above).",
  );
  process.exit(1);
}
