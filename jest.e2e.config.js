/**
 * The new-user tier (`npm run test:e2e`): test/e2e/*.test.ts follow README.md in a fresh directory with the
 * packed library. Kept out of the plain `jest` run (see jest.config.js) because it installs packages and takes a
 * minute or two; `.ci/run` runs it after the real-Terraform tier.
 * @type {import('jest').Config}
 */
const base = require("./jest.config.js");

module.exports = {
  ...base,
  testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 15 * 60 * 1000,
};
