// The public surface of cdktf-machine-clients, in one screen. Re-exports only.
export * from "./errors";
export * from "./vocabulary";
export * from "./credentials/credential";
export * from "./credentials/client-secret";
export * from "./constructs/grant";
export * from "./constructs/protected-api";
export * from "./constructs/machine-client";
export * from "./model";
export * from "./inventory/manifest-schema";
export * from "./inventory/manifest";
export * from "./inventory/suppressions";
