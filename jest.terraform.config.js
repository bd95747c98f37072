/**
 * The real-Terraform tier (`npm run test:terraform`): test/terraform/*.tf.test.ts drive the
 * `terraform` binary with provider-free stand-ins. Kept out of the plain `jest` run (see
 * jest.config.js) because it takes minutes; `.ci/run` runs it after `npm test`.
 * @type {import('jest').Config}
 */
const base = require("./jest.config.js");

module.exports = {
  ...base,
  testMatch: ["<rootDir>/test/terraform/**/*.tf.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 15 * 60 * 1000,
};
