import { z } from "zod";

/**
 * The schema of a machine-client config file (YAML or JSON), checked with zod before any rule of
 * the library. Only structure and types are checked here; scopes, APIs, justifications, durations
 * and duplicates are checked against the program's APIs afterwards.
 */

/** A construct id for a client: a letter, then letters, digits, `-` or `_`; at most 64 characters. */
export const CLIENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const grantSchema = z.strictObject({
  api: z.string().min(1),
  scope: z.string().min(1),
  justification: z.string().optional(),
});

const secretSchema = z.strictObject({
  type: z.literal("secret"),
  rotationDays: z.number().int().positive().optional(),
  validityDays: z.number().int().positive().optional(),
});

const suppressionSchema = z.strictObject({
  id: z.string().min(1),
  reason: z.string(),
});

/** One client entry of a config file. */
export const clientEntrySchema = z.strictObject({
  name: z.string().regex(CLIENT_NAME_PATTERN),
  displayName: z.string().min(1).max(256).optional(),
  owners: z.array(z.string()).min(1).optional(),
  access: z.array(grantSchema).min(1),
  credential: secretSchema,
  suppressions: z.array(suppressionSchema).min(1).optional(),
});

/** The top level of a config file: a non-empty list of clients. */
export const configFileSchema = z.strictObject({
  clients: z.array(z.unknown()).min(1),
});

/** A client entry as declared in a config file. */
export type ClientEntry = z.infer<typeof clientEntrySchema>;

/** The fix shown for a schema problem, by the name of the field at fault. */
export const FIELD_FIXES: Readonly<Record<string, string>> = Object.freeze({
  clients: "Write a top-level `clients:` list with one entry per machine client.",
  name: "Name the client with a letter, then letters, digits, - or _ (at most 64), e.g. billing-sync; it becomes the construct id.",
  displayName:
    "Write the app's display name (1 to 256 characters), or leave it out to use the name.",
  owners:
    "List the owners' object ids (UUIDs), or leave owners out to make the deploying principal the owner.",
  access:
    "List the grants as { api: <key of the apis option>, scope: <permission> }, at least one.",
  api: "Name one of the APIs passed in the apis option.",
  scope: "Name a permission of the API's vocabulary, e.g. orders.read.",
  justification:
    "Write why the client needs the permission as text (20 characters or more for privileged scopes).",
  credential: "Write credential: { type: secret, rotationDays: 30, validityDays: 60 }.",
  type: "Use type: secret (the credential kinds this version supports).",
  rotationDays: "Use a whole number of days, at least 1, e.g. rotationDays: 30.",
  validityDays: "Use a whole number of days, at least 1, e.g. validityDays: 60.",
  suppressions: "List suppressions as { id: <rule id>, reason: <why, 10 characters or more> }.",
  id: "Name an org policy rule id, e.g. MC-MAX-GRANTS.",
  reason: "Say why breaking the rule is acceptable here, 10 characters or more.",
});
