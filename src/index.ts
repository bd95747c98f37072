// The public surface of cdktf-machine-clients, in one screen. Re-exports only.
export {
  DESCRIBE_VALUE_MAX_LENGTH,
  MachineClientsError,
  NO_VALUE,
  describeValue,
  fail,
} from "./errors";
export * from "./limits";
export * from "./vocabulary";
export * from "./credentials/credential";
export * from "./credentials/client-secret";
export * from "./constructs/grant";
export * from "./constructs/protected-api";
export * from "./constructs/machine-client";
export * from "./model";
export * from "./identifier-uri";
export * from "./credentials/secret-delivery";
export * from "./credentials/federated-credential";
export * from "./credentials/client-certificate";
export * from "./policy";
export * from "./constructs/org-policy";
export * from "./constructs/suppressions";
export * from "./constructs/delegated-grant";
export * from "./constructs/machine-clients";
export * from "./config";
export * from "./graph";
export * from "./constructs/microsoft-graph";
export * from "./constructs/existing-api";
export * from "./inventory/manifest-schema";
export * from "./inventory/manifest";
