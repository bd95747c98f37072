import { ApplicationFederatedIdentityCredential } from "@cdktf/provider-azuread/lib/application-federated-identity-credential";
import { isToken } from "../tokens";
import { fail } from "../errors";
import { CredentialModel } from "../model";
import { BoundCredential, ClientCredential, CredentialTarget } from "./credential";
import { contentHash } from "./ids";
import { registerCredentialClass } from "./minted";
import { readList, readProps } from "../read-once";

/** The audience Entra expects in federated tokens unless told otherwise. */
export const DEFAULT_FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

/** The issuer of GitHub Actions OIDC tokens. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** Options of {@link FederatedCredential.githubActions}: give exactly one of `environment` and `ref`. */
export interface GitHubActionsOptions {
  /** The GitHub organization (or user) that owns the repository. */
  readonly organization: string;
  /** The repository name, without the organization. */
  readonly repository: string;
  /**
   * The deployment environment whose jobs may sign in (subject `repo:org/repo:environment:env`).
   * @default none: give `ref` instead
   */
  readonly environment?: string;
  /**
   * The full git ref whose jobs may sign in, e.g. `refs/heads/main` or `refs/tags/v1`
   * (subject `repo:org/repo:ref:<ref>`).
   * @default none: give `environment` instead
   */
  readonly ref?: string;
}

/** Options of {@link FederatedCredential.kubernetes}. */
export interface KubernetesOptions {
  /** The cluster's OIDC issuer URL (https), e.g. an AKS cluster's `oidc_issuer_url`. */
  readonly issuer: string;
  /** The service account's namespace. */
  readonly namespace: string;
  /** The service account's name. */
  readonly serviceAccount: string;
}

/** Options of {@link FederatedCredential.custom}. */
export interface CustomFederationOptions {
  /** The token issuer URL (https). */
  readonly issuer: string;
  /** The exact subject of the tokens to accept (no wildcards). */
  readonly subject: string;
  /**
   * The audiences to accept.
   * @default ["api://AzureADTokenExchange"]
   */
  readonly audiences?: readonly string[];
}

/**
 * A secretless credential: Entra accepts tokens from an external identity provider (GitHub
 * Actions, a Kubernetes cluster, …) for one exact subject, via an
 * `azuread_application_federated_identity_credential`. Microsoft's first choice for workloads
 * that can present such a token.
 */
export class FederatedCredential extends ClientCredential {
  /**
   * Jobs of one GitHub repository, pinned to one deployment environment or one git ref.
   * @default audiences ["api://AzureADTokenExchange"]
   */
  public static githubActions(options: GitHubActionsOptions): FederatedCredential {
    const o = readFactoryOptions("githubActions", options, [
      "organization",
      "repository",
      "environment",
      "ref",
    ]);
    const subject =
      o.environment !== undefined && o.ref === undefined
        ? `repo:${part(o.organization)}/${part(o.repository)}:environment:${part(o.environment)}`
        : o.ref !== undefined && o.environment === undefined
          ? `repo:${part(o.organization)}/${part(o.repository)}:ref:${part(o.ref)}`
          : undefined;
    return new FederatedCredential(
      "githubActions",
      GITHUB_ACTIONS_ISSUER,
      subject,
      [DEFAULT_FEDERATED_AUDIENCE],
      o,
    );
  }

  /**
   * One Kubernetes service account (subject `system:serviceaccount:<namespace>:<name>`).
   * @default audiences ["api://AzureADTokenExchange"]
   */
  public static kubernetes(options: KubernetesOptions): FederatedCredential {
    const o = readFactoryOptions("kubernetes", options, ["issuer", "namespace", "serviceAccount"]);
    return new FederatedCredential(
      "kubernetes",
      o.issuer,
      `system:serviceaccount:${part(o.namespace)}:${part(o.serviceAccount)}`,
      [DEFAULT_FEDERATED_AUDIENCE],
      o,
    );
  }

  /**
   * Any OIDC issuer and exact subject.
   * @default audiences ["api://AzureADTokenExchange"]
   */
  public static custom(options: CustomFederationOptions): FederatedCredential {
    const o = readFactoryOptions("custom", options, ["issuer", "subject", "audiences"]);
    const audiences = readList("FederatedCredential.custom", "options.audiences", o.audiences);
    return new FederatedCredential("custom", o.issuer, o.subject, audiences, o);
  }

  /** The credential's kind. */
  public readonly kind = "federated" as const;
  /** The token issuer. */
  public readonly issuer: string;
  /** The exact subject accepted. */
  public readonly subject: string;
  /** The accepted audiences. */
  public readonly audiences: readonly string[];

  private constructor(
    private readonly factory: "githubActions" | "kubernetes" | "custom",
    issuer: unknown,
    subject: unknown,
    audiences: unknown,
    private readonly options: Readonly<Record<string, unknown>>,
  ) {
    super();
    this.issuer = issuer as string;
    this.subject = subject as string;
    this.audiences = (
      audiences === undefined ? Object.freeze([DEFAULT_FEDERATED_AUDIENCE]) : audiences
    ) as readonly string[];
    Object.freeze(this);
  }

  /** {@inheritDoc ClientCredential.validate} */
  public validate(where: string): void {
    const at = `${where} › FederatedCredential.${this.factory}`;
    if (this.factory === "githubActions") this.validateGitHub(at);
    if (this.factory === "kubernetes") this.validateKubernetes(at);
    checkIssuer(at, this.issuer);
    checkSubject(at, this.subject);
    checkAudiences(at, this.audiences);
  }

  private validateGitHub(at: string): void {
    const { organization, repository, environment, ref } = this.options;
    for (const [name, value] of [
      ["organization", organization],
      ["repository", repository],
    ] as const) {
      if (isToken(value)) continue;
      if (typeof value !== "string" || !/^[A-Za-z0-9_.-]+$/.test(value)) {
        fail(
          "GITHUB_NAME_INVALID",
          at,
          `${name} must be a GitHub name: letters, digits, ".", "_" or "-" (no "/", no wildcards)`,
          value,
          'Use e.g. { organization: "contoso", repository: "billing" }.',
        );
      }
    }
    if ((environment === undefined) === (ref === undefined)) {
      fail(
        "GITHUB_SUBJECT_UNPINNED",
        at,
        "give exactly one of environment and ref, so that the subject pins the repository and the environment or the branch",
        { environment, ref },
        'Use e.g. environment: "production" or ref: "refs/heads/main".',
      );
    }
    if (environment !== undefined && !isToken(environment)) {
      if (typeof environment !== "string" || environment.trim() === "") {
        fail(
          "GITHUB_ENVIRONMENT_INVALID",
          at,
          "environment must be a non-empty environment name",
          environment,
          'Use e.g. environment: "production".',
        );
      }
    }
    if (ref !== undefined && !isToken(ref)) {
      if (typeof ref !== "string" || !/^refs\/(heads|tags)\/\S+$/.test(ref)) {
        fail(
          "GITHUB_REF_INVALID",
          at,
          'ref must be a full git ref, "refs/heads/<branch>" or "refs/tags/<tag>"',
          ref,
          'Use e.g. ref: "refs/heads/main".',
        );
      }
    }
  }

  private validateKubernetes(at: string): void {
    const { namespace, serviceAccount } = this.options;
    for (const [name, value] of [
      ["namespace", namespace],
      ["serviceAccount", serviceAccount],
    ] as const) {
      if (isToken(value)) continue;
      if (typeof value !== "string" || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) {
        fail(
          "KUBERNETES_NAME_INVALID",
          at,
          `${name} must be a non-empty Kubernetes name (lowercase letters, digits, "-" and "."; no wildcards)`,
          value,
          'Use e.g. { namespace: "billing", serviceAccount: "billing-sync" }.',
        );
      }
    }
  }

  /** {@inheritDoc ClientCredential.describe} */
  public describe(): CredentialModel {
    return {
      kind: this.kind,
      issuer: this.issuer,
      subject: this.subject,
      audiences: [...this.audiences],
    };
  }

  /** {@inheritDoc ClientCredential.bind} */
  public bind(target: CredentialTarget): BoundCredential {
    // The id comes from the issuer and subject, so that two federated credentials never collide
    // and reordering the credential list changes nothing.
    new ApplicationFederatedIdentityCredential(
      target.scope,
      federatedCredentialId(this.issuer, this.subject),
      {
        applicationId: target.applicationId,
        displayName: federatedDisplayName(this.factory, this.subject),
        description: `${this.subject} from ${this.issuer}`,
        issuer: this.issuer,
        subject: this.subject,
        audiences: [...this.audiences],
      },
    );
    return { kind: this.kind };
  }
}

/**
 * The options of a federated credential factory, each read once (a missing object reads as
 * empty, reported by the credential's validation).
 */
function readFactoryOptions<K extends string>(
  factory: string,
  options: unknown,
  keys: readonly K[],
): { readonly [P in K]: unknown } {
  const where = `FederatedCredential.${factory}`;
  return readProps(
    where,
    typeof options === "object" && options !== null ? options : {},
    keys,
    "options",
  );
}

/** A part of a subject: the text given, or "" for anything else (rejected by validation). */
function part(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The construct id of a federated credential: from its issuer and subject, never from order. */
export function federatedCredentialId(issuer: string, subject: string): string {
  return `Federated-${contentHash(`${issuer}\n${subject}`)}`;
}

/** Entra's federated credential names: at most 120 characters, letters, digits, "-" and "_". */
function federatedDisplayName(factory: string, subject: string): string {
  const readable = `${factory}-${subject}`.replace(/[^A-Za-z0-9_-]+/g, "-");
  if (isToken(subject) || readable.length > 120) {
    return `${factory}-${contentHash(subject)}`;
  }
  return readable;
}

function checkIssuer(at: string, issuer: unknown): void {
  if (isToken(issuer)) return;
  const fix = 'Use the issuer\'s https URL, e.g. "https://token.actions.githubusercontent.com".';
  if (typeof issuer !== "string" || issuer.length === 0) {
    fail("FEDERATED_ISSUER_INVALID", at, "issuer must be an https URL", issuer, fix);
  }
  let url: URL | undefined;
  try {
    url = new URL(issuer);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== "https:" || url.hostname === "") {
    fail("FEDERATED_ISSUER_NOT_HTTPS", at, "issuer must be an https URL", issuer, fix);
  }
  if (/[*?]/.test(issuer)) {
    fail("FEDERATED_WILDCARD", at, "issuer must not contain wildcards", issuer, fix);
  }
}

function checkSubject(at: string, subject: unknown): void {
  if (isToken(subject)) return;
  if (typeof subject !== "string" || subject.trim().length === 0) {
    fail(
      "FEDERATED_SUBJECT_INVALID",
      at,
      "subject must be a non-empty string",
      subject,
      "Give the exact subject of the tokens to accept.",
    );
  }
  if (/[*?]/.test(subject)) {
    fail(
      "FEDERATED_WILDCARD",
      at,
      "subject must not contain wildcards: Entra matches it exactly, and a pattern would trust more workloads than intended",
      subject,
      "Give one exact subject per credential; add a credential per workload.",
    );
  }
  if (subject.length > 600) {
    fail(
      "FEDERATED_SUBJECT_INVALID",
      at,
      `subject is ${subject.length} characters; Entra allows at most 600`,
      subject,
      "Shorten it.",
    );
  }
}

function checkAudiences(at: string, audiences: unknown): void {
  if (isToken(audiences)) return;
  if (!Array.isArray(audiences) || audiences.length !== 1) {
    fail(
      "FEDERATED_AUDIENCES_INVALID",
      at,
      "audiences must hold exactly one audience (Entra accepts one per credential)",
      audiences,
      `Use ["${DEFAULT_FEDERATED_AUDIENCE}"] or leave audiences out.`,
    );
  }
  for (const audience of audiences) {
    if (isToken(audience)) continue;
    if (typeof audience !== "string" || audience.trim() === "" || /[*?]/.test(audience)) {
      fail(
        "FEDERATED_AUDIENCES_INVALID",
        at,
        "each audience must be a non-empty string without wildcards",
        audience,
        `Use "${DEFAULT_FEDERATED_AUDIENCE}" unless the issuer needs another.`,
      );
    }
  }
}

// Only this class's own factories make credentials a client accepts; its statics and methods
// cannot be replaced.
registerCredentialClass(FederatedCredential);
Object.freeze(FederatedCredential);
Object.freeze(FederatedCredential.prototype);
