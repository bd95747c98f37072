// The public surface of cdktf-machine-clients, in one screen. Re-exports only.
export * from "./errors";
export * from "./vocabulary";
export * from "./credentials/credential";
export * from "./credentials/client-secret";
export * from "./constructs/grant";
export * from "./constructs/protected-api";
export * from "./constructs/machine-client";
export * from "./model";
export * from "./credentials/secret-delivery";
export * from "./credentials/federated-credential";
export * from "./credentials/client-certificate";
export * from "./graph";
export * from "./constructs/microsoft-graph";
export type {
  ServicePrincipalMode,
  ServicePrincipalRef,
} from "./constructs/service-principal-lookup";
export * from "./constructs/existing-api";
