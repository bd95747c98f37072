import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "lib/**",
      "cdktf.out/**",
      "coverage/**",
      "node_modules/**",
      ".gen/**",
      "docs/api/**",
      "**/*.d.ts",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/vocabulary/**/*.ts", "src/policy/**/*.ts", "src/graph/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["cdktf", "cdktf/*", "@cdktf/*", "constructs"],
              message:
                "vocabulary/, policy/ and graph/ stay free of cdktf so the core can move to another engine.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/verify/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["cdktf", "cdktf/*", "@cdktf/*", "constructs", "express", "express/*"],
              message:
                "verify/ runs in API servers that install neither cdktf nor constructs (nor express, a dev dependency): jose and the engine-free vocabulary only.",
            },
            {
              group: [
                "../constructs",
                "../constructs/*",
                "../credentials",
                "../credentials/*",
                "../config",
                "../config/*",
                "../check",
                "../check/*",
                "../inventory/manifest",
                "../index",
              ],
              message:
                "verify/ sits below constructs/: import the vocabulary, errors and the manifest schema only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/credentials/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../constructs", "../constructs/*", "../inventory", "../inventory/*"],
              message: "credentials/ sits below constructs/ and inventory/: import downward only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/inventory/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/constructs/*", "../constructs"],
              message:
                "inventory/ reads the declared model, never the construct classes: import downward only (suppressions come from policy/suppression-registry).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/check/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/constructs",
                "**/constructs/*",
                "**/credentials",
                "**/credentials/*",
                "**/config",
                "**/config/*",
                "cdktf",
                "cdktf/*",
                "@cdktf/provider-*",
              ],
              message:
                "check/ reads Terraform, not the library's constructs: it must not import constructs/, credentials/, config/, cdktf or the provider bindings.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
