import { Construct, IConstruct } from "constructs";
import { Application } from "@cdktf/provider-azuread/lib/application";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { fail } from "../errors";
import { ScopeDefinitions, ScopeVocabulary } from "../vocabulary";
import { deployingPrincipalObjectId } from "./deployer";
import { GrantOptions, IApi, ScopeGrant } from "./grant";
import { checkDisplayName, checkOwners, futurePath, isToken } from "./validate";

/** Properties of a {@link ProtectedApi}. */
export interface ProtectedApiProps<D extends ScopeDefinitions> {
  /** The app registration's display name. */
  readonly displayName: string;
  /**
   * The API's identifier URI (application ID URI): `api://…` or `https://…` (a verified domain of
   * the tenant), no spaces, no trailing slash. Clients request tokens for `<identifierUri>/.default`.
   */
  readonly identifierUri: string;
  /** The API's closed vocabulary of application permissions; each becomes an app role. */
  readonly vocabulary: ScopeVocabulary<D>;
  /**
   * Object ids of the app registration's and service principal's owners.
   * @default the principal that runs `terraform apply` (`azuread_client_config`)
   */
  readonly owners?: string[];
}

/**
 * An API protected by Entra ID that accepts only the application permissions of its vocabulary.
 *
 * Synthesizes an `azuread_application` with one app role per vocabulary entry (application members
 * only, enabled, deterministic id), `identifier_uris = [identifierUri]`, access token version 2,
 * single tenant and no delegated scopes; and its `azuread_service_principal` with
 * `app_role_assignment_required = true`, so that only clients assigned a role get tokens.
 */
export class ProtectedApi<D extends ScopeDefinitions = ScopeDefinitions>
  extends Construct
  implements IApi
{
  /** The API's app registration. */
  public readonly application: Application;
  /** The API's service principal (enterprise application). */
  public readonly servicePrincipal: ServicePrincipal;
  /** The API's vocabulary. */
  public readonly vocabulary: ScopeVocabulary<D>;
  /** The API's identifier URI. */
  public readonly identifierUri: string;
  /** The display name given in the props. */
  public readonly displayName: string;

  public constructor(scope: Construct, id: string, props: ProtectedApiProps<D>) {
    validateProps(futurePath(scope, id), props as unknown as ProtectedApiProps<ScopeDefinitions>);
    super(scope, id);
    this.vocabulary = props.vocabulary;
    this.identifierUri = props.identifierUri;
    this.displayName = props.displayName;
    const owners = props.owners ?? [deployingPrincipalObjectId(this)];

    this.application = new Application(this, "Application", {
      displayName: props.displayName,
      signInAudience: "AzureADMyOrg",
      identifierUris: [props.identifierUri],
      owners,
      api: { requestedAccessTokenVersion: 2 },
      appRole: props.vocabulary.scopes.map((s) => ({
        id: s.roleId,
        value: s.value,
        displayName: s.displayName,
        description: s.description,
        allowedMemberTypes: ["Application"],
        enabled: true,
      })),
    });
    this.servicePrincipal = new ServicePrincipal(this, "ServicePrincipal", {
      clientId: this.application.clientId,
      appRoleAssignmentRequired: true,
      owners,
    });
  }

  /** {@inheritdoc IApi.apiKey} */
  public get apiKey(): string {
    // The identifier URI is unique in a tenant and survives construct renames, so assignment
    // addresses derived from it do too.
    return isToken(this.identifierUri) ? this.node.path : this.identifierUri;
  }

  // Read once: every client refers to them, and in cdktf each read of a resource attribute
  // creates a new token with a recorded stack trace (time and memory per client at scale).
  private clientIdToken?: string;
  private servicePrincipalObjectIdToken?: string;

  /** The API's application (client) id, as a token. */
  public get clientId(): string {
    return (this.clientIdToken ??= this.application.clientId);
  }

  /** The object id of the API's service principal, as a token. */
  public get servicePrincipalObjectId(): string {
    return (this.servicePrincipalObjectIdToken ??= this.servicePrincipal.objectId);
  }

  /** {@inheritdoc IApi.servicePrincipalObjectIdFor} */
  public servicePrincipalObjectIdFor(_consumer: IConstruct): string {
    return this.servicePrincipalObjectId;
  }

  /** The token request scope for this API: `<identifierUri>/.default`. */
  public get defaultScope(): string {
    return `${this.identifierUri}/.default`;
  }

  /**
   * Grants one application permission of this API's vocabulary, for a {@link MachineClient}'s
   * `access`. Only the vocabulary's keys compile; anything else is also rejected at run time.
   */
  public grant<S extends keyof D & string>(scope: S, options: GrantOptions = {}): ScopeGrant<S> {
    const entry = this.vocabulary.get(scope, `${this.node.path}.grant`);
    return new ScopeGrant(this, entry.value as S, entry.roleId, entry.privileged, options);
  }
}

function validateProps(where: string, props: ProtectedApiProps<ScopeDefinitions>): void {
  if (typeof props !== "object" || props === null) {
    fail(
      "PROPS_MISSING",
      where,
      "ProtectedApi needs props",
      props,
      "Pass { displayName, identifierUri, vocabulary }.",
    );
  }
  checkDisplayName(where, props.displayName);
  checkIdentifierUri(where, props.identifierUri);
  if (!(props.vocabulary instanceof ScopeVocabulary)) {
    fail(
      "VOCABULARY_INVALID",
      where,
      "vocabulary must be made by ScopeVocabulary.define",
      props.vocabulary,
      "Pass ScopeVocabulary.define({ ... }).",
    );
  }
  checkOwners(where, props.owners);
}

/** Validates an identifier URI: `api://…` or `https://…`, no whitespace, no trailing slash. */
export function checkIdentifierUri(where: string, uri: unknown): void {
  if (isToken(uri)) return;
  const fix = 'Use e.g. "api://contoso.example/orders" or "https://api.contoso.example/orders".';
  if (typeof uri !== "string" || uri.length === 0) {
    fail("IDENTIFIER_URI_INVALID", where, "identifierUri must be a non-empty string", uri, fix);
  }
  if (/\s/.test(uri))
    fail("IDENTIFIER_URI_INVALID", where, "identifierUri must not contain whitespace", uri, fix);
  if (!/^(api|https):\/\/[^/]/.test(uri)) {
    fail(
      "IDENTIFIER_URI_INVALID",
      where,
      'identifierUri must start with "api://" or "https://" followed by a host or id',
      uri,
      fix,
    );
  }
  if (uri.endsWith("/")) {
    fail(
      "IDENTIFIER_URI_INVALID",
      where,
      'identifierUri must not end with "/" (the token scope appends "/.default")',
      uri,
      `Use ${JSON.stringify(uri.replace(/\/+$/, ""))}.`,
    );
  }
  if (/[*?#]/.test(uri)) {
    fail(
      "IDENTIFIER_URI_INVALID",
      where,
      'identifierUri must not contain "*", "?" or "#" (wildcards, queries and fragments)',
      uri,
      fix,
    );
  }
  if (/\/\.default$/i.test(uri)) {
    fail(
      "IDENTIFIER_URI_INVALID",
      where,
      'identifierUri must not end with "/.default"; that suffix belongs to the token request',
      uri,
      `Use ${JSON.stringify(uri.replace(/\/\.default$/i, ""))}.`,
    );
  }
  if (/[^\x21-\x7E]/.test(uri)) {
    fail("IDENTIFIER_URI_INVALID", where, "identifierUri must be ASCII", uri, fix);
  }
}
