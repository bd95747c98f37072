import { X509Certificate } from "node:crypto";
import { ApplicationCertificate } from "@cdktf/provider-azuread/lib/application-certificate";
import { fail } from "../errors";
import { readDate, readProps } from "../read-once";
import { CredentialModel } from "../model";
import { BoundCredential, ClientCredential, CredentialTarget } from "./credential";
import { registerCredentialClass } from "./minted";

/** Options of {@link ClientCertificate.fromPem}. */
export interface CertificateOptions {
  /**
   * When Entra stops accepting the certificate: an RFC 3339 timestamp (e.g.
   * `2027-03-31T00:00:00Z`) or a `Date`; in the future, within `maxValidityDays`, and no later
   * than the certificate's own expiry. Written as given: synthesis does not depend on the clock.
   */
  readonly endDate: string | Date;
  /**
   * The furthest `endDate` accepted, in days from now.
   * @default 365
   */
  readonly maxValidityDays?: number;
}

/** The default ceiling on a certificate credential's end date, in days from now. */
export const DEFAULT_MAX_CERTIFICATE_DAYS = 365;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * A certificate credential (`azuread_application_certificate`, `AsymmetricX509Cert`): the client
 * proves possession of the private key, which never leaves it. Only the public certificate is
 * accepted; a private key in the input is rejected so that it can never reach the synthesized JSON.
 */
export class ClientCertificate extends ClientCredential {
  /**
   * A certificate from its PEM text (`-----BEGIN CERTIFICATE-----`).
   * @default maxValidityDays 365
   */
  public static fromPem(pem: string, options: CertificateOptions): ClientCertificate {
    const where = "ClientCertificate.fromPem";
    const given: unknown = options;
    // Each option read once (a Date copied from one read of its time): the copy is what is
    // validated and synthesized. Missing options are reported by the validation.
    const o =
      typeof given === "object" && given !== null
        ? readProps(where, given, ["endDate", "maxValidityDays"], "options")
        : undefined;
    const copy =
      o === undefined
        ? undefined
        : Object.freeze({
            endDate: readDate(where, "options.endDate", o.endDate),
            maxValidityDays: o.maxValidityDays,
          });
    return new ClientCertificate(pem, copy as CertificateOptions | undefined);
  }

  /** The credential's kind. */
  public readonly kind = "certificate" as const;

  private constructor(
    private readonly pem: string,
    private readonly options: CertificateOptions | undefined,
  ) {
    super();
    Object.freeze(this);
  }

  /** The end date as written to the configuration (RFC 3339), once validated. */
  public get endDate(): string {
    const d = this.options?.endDate;
    return d instanceof Date ? d.toISOString().replace(/\.000Z$/, "Z") : (d as string);
  }

  /** {@inheritDoc ClientCredential.validate} */
  public validate(where: string): void {
    const at = `${where} › ClientCertificate.fromPem`;
    const pem: unknown = this.pem;
    if (typeof pem !== "string" || pem.trim() === "") {
      fail(
        "CERTIFICATE_PEM_INVALID",
        at,
        "pem must be the certificate's PEM text",
        typeof pem === "string" ? pem : typeof pem,
        'Pass the text of a "-----BEGIN CERTIFICATE-----" block.',
      );
    }
    // Never echo the input: it may hold a private key.
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
      fail(
        "CERTIFICATE_HAS_PRIVATE_KEY",
        at,
        "the PEM holds a private key, which must never reach the Terraform configuration",
        "a PRIVATE KEY block (not shown)",
        "Pass only the public certificate (the CERTIFICATE block); keep the key with the client.",
      );
    }
    const blocks = pem.match(/-----BEGIN ([A-Z0-9 ]+)-----/g) ?? [];
    if (blocks.length !== 1 || blocks[0] !== "-----BEGIN CERTIFICATE-----") {
      fail(
        "CERTIFICATE_PEM_INVALID",
        at,
        "pem must hold exactly one CERTIFICATE block",
        blocks,
        'Pass the text of one "-----BEGIN CERTIFICATE-----" … "-----END CERTIFICATE-----" block.',
      );
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      fail(
        "CERTIFICATE_PEM_INVALID",
        at,
        `pem is not a valid X.509 certificate (${(e as Error).message})`,
        "the given PEM block",
        "Export the certificate again, e.g. openssl x509 -in cert.pem -outform PEM.",
      );
    }
    const options: unknown = this.options;
    const raw = (options as CertificateOptions | undefined)?.endDate;
    if (
      !(raw instanceof Date && !Number.isNaN(raw.getTime())) &&
      !(typeof raw === "string" && RFC3339.test(raw) && !Number.isNaN(Date.parse(raw)))
    ) {
      fail(
        "CERTIFICATE_END_DATE_INVALID",
        at,
        "endDate must be an RFC 3339 timestamp or a Date",
        raw,
        'Use e.g. endDate: "2027-03-31T00:00:00Z".',
      );
    }
    const maxDays = this.options?.maxValidityDays ?? DEFAULT_MAX_CERTIFICATE_DAYS;
    if (!Number.isInteger(maxDays) || maxDays < 1) {
      fail(
        "CERTIFICATE_MAX_VALIDITY_INVALID",
        at,
        "maxValidityDays must be a whole number of days, at least 1",
        maxDays,
        `Leave it out (${DEFAULT_MAX_CERTIFICATE_DAYS}) or use e.g. maxValidityDays: 180.`,
      );
    }
    const end = raw instanceof Date ? raw.getTime() : Date.parse(raw);
    const now = Date.now();
    if (end <= now) {
      fail(
        "CERTIFICATE_END_DATE_PAST",
        at,
        "endDate is in the past",
        this.endDate,
        "Use a future end date, and a new certificate if this one has expired.",
      );
    }
    if (end > now + maxDays * DAY_MS) {
      fail(
        "CERTIFICATE_END_DATE_TOO_FAR",
        at,
        `endDate is more than ${maxDays} days away`,
        this.endDate,
        `Use an end date within ${maxDays} days, or raise maxValidityDays if policy allows.`,
      );
    }
    if (end > Date.parse(cert.validTo)) {
      fail(
        "CERTIFICATE_END_DATE_AFTER_EXPIRY",
        at,
        `endDate is after the certificate expires (${new Date(cert.validTo).toISOString()})`,
        this.endDate,
        "Use an end date no later than the certificate's notAfter.",
      );
    }
  }

  /** The certificate's SHA-256 fingerprint (upper-case hex, colon-separated). */
  public get fingerprint(): string {
    return new X509Certificate(this.pem).fingerprint256;
  }

  /** {@inheritDoc ClientCredential.describe} */
  public describe(): CredentialModel {
    return {
      kind: this.kind,
      endDate: this.endDate,
      fingerprint: this.fingerprint,
    };
  }

  /** {@inheritDoc ClientCredential.bind} */
  public bind(target: CredentialTarget): BoundCredential {
    const fingerprint = this.fingerprint;
    new ApplicationCertificate(target.scope, certificateCredentialId(fingerprint), {
      applicationId: target.applicationId,
      type: "AsymmetricX509Cert",
      encoding: "pem",
      value: new X509Certificate(this.pem).toString(),
      endDate: this.endDate,
    });
    return { kind: this.kind, endDate: this.endDate };
  }
}

// Only this class's own factories make credentials a client accepts; its statics and methods
// cannot be replaced.
registerCredentialClass(ClientCertificate);
Object.freeze(ClientCertificate);
Object.freeze(ClientCertificate.prototype);
/** The construct id of a certificate credential: from its SHA-256 fingerprint, never from order. */
export function certificateCredentialId(fingerprint: string): string {
  return `Certificate-${fingerprint.replace(/:/g, "").slice(0, 16)}`;
}
