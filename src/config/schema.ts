import { z } from "zod";
import { MAX_DISPLAY_NAME_LENGTH } from "../limits";

/**
 * The schema of a machine-client config file (YAML or JSON), checked with zod before any rule of
 * the library. Only structure and types are checked here; scopes, APIs, justifications, credentials
 * and duplicates are checked against the program's APIs afterwards.
 */

/** A construct id for a client: a letter, then letters, digits, `-` or `_`; at most 64 characters. */
export const CLIENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const grantSchema = z.strictObject({
  api: z.string().min(1),
  scope: z.string().min(1),
  justification: z.string().optional(),
});

const days = z.number().int().positive().optional();

/** `delivery: output`, or `delivery: { type: output, outputName: <name> }`. */
const deliverySchema = z.union([
  z.literal("output"),
  z.strictObject({ type: z.literal("output"), outputName: z.string().optional() }),
]);

// Structure and types only: the values are checked by the credentials' own validate().
const secretSchema = z.strictObject({
  type: z.literal("secret"),
  rotationDays: days,
  validityDays: days,
  slots: z.number().optional(),
  scheduleKey: z.string().optional(),
  delivery: deliverySchema.optional(),
});

const githubActionsSchema = z.strictObject({
  type: z.literal("githubActions"),
  organization: z.string(),
  repository: z.string(),
  environment: z.string().optional(),
  ref: z.string().optional(),
});

const kubernetesSchema = z.strictObject({
  type: z.literal("kubernetes"),
  issuer: z.string(),
  namespace: z.string(),
  serviceAccount: z.string(),
});

const federatedSchema = z.strictObject({
  type: z.literal("federated"),
  issuer: z.string(),
  subject: z.string(),
  audiences: z.array(z.string()).optional(),
});

// A certificate is read from a PEM file next to the config file: never inline, so that a private
// key pasted into the config file cannot happen.
const certificateSchema = z.strictObject({
  type: z.literal("certificate"),
  pemFile: z.string().min(1),
  endDate: z.string(),
  maxValidityDays: days,
});

/** One credential of a client entry, by its `type`. */
export const credentialEntrySchema = z.discriminatedUnion("type", [
  secretSchema,
  githubActionsSchema,
  kubernetesSchema,
  federatedSchema,
  certificateSchema,
]);

const suppressionSchema = z.strictObject({
  id: z.string().min(1),
  reason: z.string(),
});

/** One client entry of a config file. */
export const clientEntrySchema = z.strictObject({
  name: z.string().regex(CLIENT_NAME_PATTERN),
  displayName: z.string().min(1).max(MAX_DISPLAY_NAME_LENGTH).optional(),
  owners: z.array(z.string()).min(1).optional(),
  access: z.array(grantSchema).min(1),
  credential: z.union([credentialEntrySchema, z.array(credentialEntrySchema).min(1)]),
  suppressions: z.array(suppressionSchema).min(1).optional(),
});

/** The top level of a config file: a non-empty list of clients. */
export const configFileSchema = z.strictObject({
  clients: z.array(z.unknown()).min(1),
});

/** A client entry as declared in a config file. */
export type ClientEntry = z.infer<typeof clientEntrySchema>;

/** One credential as declared in a config file. */
export type CredentialEntry = z.infer<typeof credentialEntrySchema>;

/** The fix shown for a schema problem, by the name of the field at fault. */
export const FIELD_FIXES: Readonly<Record<string, string>> = Object.freeze({
  clients: "Write a top-level `clients:` list with one entry per machine client.",
  name: "Name the client with a letter, then letters, digits, - or _ (at most 64), e.g. billing-sync; it becomes the construct id.",
  displayName: `Write the app's display name (1 to ${MAX_DISPLAY_NAME_LENGTH} characters: Entra's limit for single-tenant apps), or leave it out to use the name.`,
  owners:
    "List the owners' object ids (UUIDs), or leave owners out to make the deploying principal the owner.",
  access:
    "List the grants as { api: <key of the apis option>, scope: <permission> }, at least one.",
  api: "Name one of the APIs passed in the apis option.",
  scope: "Name a permission of the API's vocabulary, e.g. orders.read.",
  justification:
    "Write why the client needs the permission as text (20 characters or more for privileged scopes).",
  credential:
    "Write credential: { type: secret, rotationDays: 30, validityDays: 60 } (or githubActions, kubernetes, federated, certificate), or a list of them for a migration.",
  type: "Use type: secret, githubActions, kubernetes, federated or certificate.",
  rotationDays: "Use a whole number of days, at least 1, e.g. rotationDays: 30.",
  validityDays: "Use a whole number of days, at least 1, e.g. validityDays: 60.",
  slots: "Leave slots out: a secret always rotates in two slots (slots: 1 was removed in 0.2).",
  scheduleKey:
    "Leave scheduleKey out (the client's construct path), or give the old path as text when renaming the client.",
  delivery:
    "Use delivery: output, or delivery: { type: output, outputName: <name> } (Key Vault delivery is TypeScript-only).",
  "delivery.type":
    "Use delivery: output (Key Vault delivery is TypeScript-only: SecretDelivery.keyVault from cdktf-machine-clients/azurerm).",
  outputName: "Name the Terraform output, e.g. outputName: billing_sync_client_secret.",
  organization: "Name the GitHub organization (or user), e.g. organization: contoso.",
  repository: "Name the repository without the organization, e.g. repository: billing.",
  environment: "Name the deployment environment, e.g. environment: production.",
  ref: "Give the full git ref, e.g. ref: refs/heads/main.",
  issuer: "Give the token issuer's https URL, e.g. the AKS cluster's OIDC issuer URL.",
  namespace: "Name the service account's namespace, e.g. namespace: billing.",
  serviceAccount: "Name the service account, e.g. serviceAccount: billing-sync.",
  subject: "Give the exact subject of the tokens to accept (no wildcards).",
  audiences: "Leave audiences out, or list one audience, e.g. [api://AzureADTokenExchange].",
  pemFile:
    "Give the path of the certificate's PEM file (public certificate only), relative to the config file, e.g. pemFile: certs/billing-sync.pem.",
  endDate: 'Write an RFC 3339 timestamp in quotes, e.g. endDate: "2027-03-31T00:00:00Z".',
  maxValidityDays: "Use a whole number of days, at least 1, e.g. maxValidityDays: 180.",
  suppressions: "List suppressions as { id: <rule id>, reason: <why, 10 characters or more> }.",
  id: "Name an org policy rule id, e.g. MC-MAX-GRANTS.",
  reason: "Say why breaking the rule is acceptable here, 10 characters or more.",
});
