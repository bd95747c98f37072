/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The real-Terraform tier runs on its own: `npm run test:terraform` (jest.terraform.config.js), and so does
  // the new-user tier: `npm run test:e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: ["/node_modules/", "\\.tf\\.test\\.ts$", "<rootDir>/test/e2e/"],
  transform: {
    // Type errors are caught by `npm run typecheck` (part of `npm test`); ts-jest only transpiles.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testTimeout: 60000,
};
