/**
 * Config-file credentials to credential objects, without the parsers (no yaml, no zod): the
 * entries have already passed the schema. Each credential is then checked by its own
 * `validate(where)`, as for TypeScript callers, so the rules and their wording live in one place.
 */
import { dirname, resolve } from "node:path";
import { ClientCertificate } from "../credentials/client-certificate";
import { ClientSecret } from "../credentials/client-secret";
import { ClientCredential } from "../credentials/credential";
import { FederatedCredential } from "../credentials/federated-credential";
import { SecretDelivery } from "../credentials/secret-delivery";
import { escapeText, fail } from "../errors";
import { decodeUtf8, FileReadError, formatSize, readRegularFile } from "../files";
import type { CredentialEntry } from "./schema";

/**
 * The credential a config-file entry declares. A certificate's `pemFile` is read relative to the
 * config file's directory.
 * @param where the entry's path in the file, for error messages
 * @param configFile the config file's path as given (resolved from the working directory)
 * @throws MachineClientsError when a certificate's PEM file cannot be read
 */
export function credentialOf(
  entry: CredentialEntry,
  where: string,
  configFile: string,
): ClientCredential {
  switch (entry.type) {
    case "secret":
      return ClientSecret.rotating({
        rotationDays: entry.rotationDays,
        validityDays: entry.validityDays,
        ...(entry.slots !== undefined ? { slots: entry.slots as 2 } : {}),
        scheduleKey: entry.scheduleKey,
        delivery:
          entry.delivery === undefined
            ? undefined
            : SecretDelivery.output(
                entry.delivery === "output" || entry.delivery.outputName === undefined
                  ? {}
                  : { outputName: entry.delivery.outputName },
              ),
      });
    case "githubActions":
      return FederatedCredential.githubActions({
        organization: entry.organization,
        repository: entry.repository,
        environment: entry.environment,
        ref: entry.ref,
      });
    case "kubernetes":
      return FederatedCredential.kubernetes({
        issuer: entry.issuer,
        namespace: entry.namespace,
        serviceAccount: entry.serviceAccount,
      });
    case "federated":
      return FederatedCredential.custom({
        issuer: entry.issuer,
        subject: entry.subject,
        ...(entry.audiences !== undefined ? { audiences: entry.audiences } : {}),
      });
    case "certificate":
      return ClientCertificate.fromPem(readPem(entry.pemFile, where, configFile), {
        endDate: entry.endDate,
        ...(entry.maxValidityDays !== undefined ? { maxValidityDays: entry.maxValidityDays } : {}),
      });
  }
}

/** The largest PEM file read: a certificate chain is a few KiB. */
export const MAX_PEM_FILE_SIZE = 64 * 1024;

function readPem(pemFile: string, where: string, configFile: string): string {
  const path = resolve(dirname(String(configFile)), pemFile);
  const shown = escapeText(path, 300);
  const fix = "Give the path of the public certificate's PEM file relative to the config file.";
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, MAX_PEM_FILE_SIZE);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    const { reason, detail } = e.failure;
    if (reason === "not-regular") {
      fail(
        "CONFIG_PEM_FILE_NOT_REGULAR",
        `${where}.pemFile`,
        `the certificate's PEM file is not a regular file (${detail}: ${shown})`,
        pemFile,
        fix,
      );
    }
    if (reason === "too-large") {
      fail(
        "CONFIG_PEM_FILE_TOO_LARGE",
        `${where}.pemFile`,
        `the certificate's PEM file is larger than ${formatSize(MAX_PEM_FILE_SIZE)} (${detail}, looked at ${shown})`,
        pemFile,
        "Give the PEM file of the public certificate alone (a certificate is a few KiB).",
      );
    }
    fail(
      "CONFIG_PEM_FILE_UNREADABLE",
      `${where}.pemFile`,
      `the certificate's PEM file cannot be read (${escapeText(detail, 200)}, looked at ${shown})`,
      pemFile,
      fix,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    fail(
      "CONFIG_PEM_FILE_UNREADABLE",
      `${where}.pemFile`,
      `the certificate's PEM file is not text (${decoded.problem}, looked at ${shown})`,
      pemFile,
      fix,
    );
  }
  return decoded.text;
}

/** The field of a config-file credential that a credential error code is about, for its line. */
export const CREDENTIAL_CODE_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  SECRET_ROTATION_INVALID: "rotationDays",
  SECRET_ROTATION_NOT_BEFORE_EXPIRY: "rotationDays",
  SECRET_VALIDITY_INVALID: "validityDays",
  SECRET_VALIDITY_TOO_LONG: "validityDays",
  SECRET_TWO_SLOT_VALIDITY_TOO_SHORT: "validityDays",
  SECRET_SLOTS_REMOVED: "slots",
  SECRET_SCHEDULE_KEY_INVALID: "scheduleKey",
  SECRET_OUTPUT_NAME_INVALID: "delivery",
  GITHUB_ENVIRONMENT_INVALID: "environment",
  GITHUB_REF_INVALID: "ref",
  FEDERATED_ISSUER_INVALID: "issuer",
  FEDERATED_ISSUER_NOT_HTTPS: "issuer",
  FEDERATED_SUBJECT_INVALID: "subject",
  FEDERATED_AUDIENCES_INVALID: "audiences",
  CERTIFICATE_PEM_INVALID: "pemFile",
  CERTIFICATE_HAS_PRIVATE_KEY: "pemFile",
  CONFIG_PEM_FILE_UNREADABLE: "pemFile",
  CONFIG_PEM_FILE_NOT_REGULAR: "pemFile",
  CONFIG_PEM_FILE_TOO_LARGE: "pemFile",
  CERTIFICATE_END_DATE_INVALID: "endDate",
  CERTIFICATE_END_DATE_PAST: "endDate",
  CERTIFICATE_END_DATE_TOO_FAR: "endDate",
  CERTIFICATE_END_DATE_AFTER_EXPIRY: "endDate",
  CERTIFICATE_MAX_VALIDITY_INVALID: "maxValidityDays",
});
