import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { DataAzureadServicePrincipal } from "@cdktf/provider-azuread/lib/data-azuread-service-principal";
import { describeValue, fail } from "../errors";
import { isGraphIdentity } from "../graph";
import { classifyIdentifierUri } from "../identifier-uri";
import { CheckJustifiedGrant, ScopeDefinitions, ScopeVocabulary, isUuid } from "../vocabulary";
import { GrantOptions, IApi, ScopeGrant } from "./grant";
import { mintFromVocabulary } from "./scope-grant";
import { registerApiPolicySubject } from "./org-policy";
import { API_IDENTITY, checkIdentifierUri } from "./protected-api";
import { addRoleIdPrecondition, servicePrincipalOf } from "./service-principal-lookup";
import { isToken } from "../tokens";
import { ApiModel } from "../model";
import { trackApi } from "../inventory/manifest";
import { apiModel } from "./api-model";
import { checkApiIdentity, takeApiIdentity } from "./api-identity";
import { futurePath, sealProperties } from "./validate";
import { startConstruction, undoConstruction } from "./atomic";
import { readGuarded, readObject } from "../read-once";

/** Properties of {@link ExistingApi.fromClientId}. */
export interface ExistingApiProps<D extends ScopeDefinitions> {
  /** The API's application (client) id, as registered in the tenant. */
  readonly clientId: string;
  /**
   * The API's identifier URI (application ID URI), as registered; clients request
   * `<identifierUri>/.default`. Checked against Entra's rules (an error), and against Microsoft's
   * secure patterns and the org policy's `verifiedDomains` and `tenantId` (org policy findings
   * `MC-IDENTIFIER-URI-*`, which a suppression with a reason can accept for a legacy URI).
   */
  readonly identifierUri: string;
  /**
   * The API's application permissions, adopting the real app role ids: every entry must declare
   * `id` (copy it from the API's app registration, `appRoles[].id`). Each id is verified against
   * the tenant at plan time.
   */
  readonly vocabulary: ScopeVocabulary<D>;
  /**
   * True when the API's application is registered in another tenant — one of Microsoft's APIs
   * (Exchange Online, SharePoint, Azure Service Management, …) or another organization's
   * multi-tenant API — so that only its service principal is in this tenant. Its identifier URI
   * then follows its home tenant's domains and restrictions, not this tenant's: the org policy
   * rules `MC-IDENTIFIER-URI-*` do not apply, and a registered URI that ends with `/` (such as
   * `https://management.core.windows.net/`) is accepted.
   * @default true for Microsoft's first-party client ids (`0000000x-0000-0000-c000-000000000000`,
   *   `0000000x-0000-0ff1-ce00-000000000000`), false for any other
   */
  readonly otherTenant?: boolean;
}

/** Client ids of Microsoft's first-party applications (Graph, Exchange Online, SharePoint, …). */
const FIRST_PARTY_CLIENT_ID = /^0000000[0-9a-f]-0000-(0000-c000|0ff1-ce00)-000000000000$/i;

/**
 * An API registered in another stack or by another team: clients are granted its application
 * permissions like those of a {@link ProtectedApi}, but nothing about the API itself is declared.
 *
 * Its service principal is read with the `azuread_service_principal` data source (by client id);
 * each app role assignment made from its grants carries a plan-time precondition that the
 * tenant's `app_role_ids[<value>]` equals the vocabulary's id, so a wrong or stale id fails
 * `terraform plan` with a message naming the permission.
 *
 * @example
 * const payments = ExistingApi.fromClientId(stack, "Payments", {
 *   clientId: "6f1c…",
 *   identifierUri: "api://6f1c…",
 *   vocabulary: ScopeVocabulary.define({
 *     "payments.read": { description: "Read payments", id: "0b6c…" },
 *   }),
 * });
 * payments.grant("payments.read");
 */
export class ExistingApi<D extends ScopeDefinitions = ScopeDefinitions>
  extends Construct
  implements IApi
{
  /**
   * Declares an API registered elsewhere, by its application (client) id.
   * @throws MachineClientsError when the client id is not a UUID, the identifier URI is invalid,
   *   or a vocabulary entry has no `id`
   */
  public static fromClientId<D extends ScopeDefinitions>(
    scope: Construct,
    id: string,
    props: ExistingApiProps<D>,
  ): ExistingApi<D> {
    return new ExistingApi(scope, id, props);
  }

  /** The API's application (client) id. */
  public readonly clientId: string;
  /** The API's identifier URI. */
  public readonly identifierUri: string;
  /** The API's vocabulary (with the adopted role ids). */
  public readonly vocabulary: ScopeVocabulary<D>;
  /** The data source that reads the API's service principal, in this construct's stack. */
  public readonly servicePrincipal: DataAzureadServicePrincipal;

  private constructor(scope: Construct, id: string, props: ExistingApiProps<D>) {
    const where = futurePath(scope, id);
    // The props are read once, into a frozen copy that is validated and then synthesized.
    const p = readObject(
      where,
      props,
      ["clientId", "identifierUri", "vocabulary", "otherTenant"],
      "props",
      {
        code: "PROPS_MISSING",
        problem: "ExistingApi.fromClientId needs props",
        fix: "Pass { clientId, identifierUri, vocabulary }.",
      },
    ) as unknown as ExistingApiProps<D>;
    readGuarded(where, "props", () =>
      validateProps(where, p as unknown as ExistingApiProps<ScopeDefinitions>),
    );
    checkApiIdentity(scope, where, "existing", p.identifierUri, p.clientId);
    const start = startConstruction(scope, id, where);
    super(scope, id);
    try {
      this.clientId = p.clientId;
      this.identifierUri = p.identifierUri;
      this.vocabulary = p.vocabulary;
      this.servicePrincipal = new DataAzureadServicePrincipal(this, "ServicePrincipal", {
        clientId: p.clientId,
      });
      trackApi(this);
      // Checked by the API rules (MC-IDENTIFIER-URI-*), with the model fixed at construction.
      if (!isOtherTenant(p)) registerApiPolicySubject(this, this.toApiModel());
      // What grants and clients read of the API: fixed from here on, even through a cast.
      sealProperties(this, API_IDENTITY);
      if (isToken(p.clientId) || isToken(p.identifierUri)) checkResolvedIdentity(this);
      // Last: a failed construction leaves its identity free.
      takeApiIdentity(this, "existing", p.identifierUri, p.clientId);
    } catch (e) {
      undoConstruction(start, id, where, e);
    }
  }

  /** The API as this program knows it (its copy of the vocabulary), for the inventory. */
  public toApiModel(): ApiModel {
    return apiModel(
      this.node.path,
      "existing",
      this.identifierUri,
      isToken(this.identifierUri) ? "token" : "literal",
      this.vocabulary,
      isToken(this.clientId) ? undefined : this.clientId,
    );
  }

  /** {@inheritDoc IApi.apiKey} */
  public get apiKey(): string {
    return isToken(this.identifierUri) ? this.node.path : this.identifierUri;
  }

  /** The token request scope for this API: `<identifierUri>/.default`. */
  public get defaultScope(): string {
    return `${this.identifierUri}/.default`;
  }

  /** {@inheritDoc IApi.servicePrincipalObjectIdFor} */
  public servicePrincipalObjectIdFor(consumer: IConstruct): string {
    return this.servicePrincipalIn(consumer).objectId;
  }

  /** Adds the plan-time check that the tenant's role id for the grant's value is the declared id. */
  public onAssignment(assignment: AppRoleAssignment, grant: ScopeGrant): void {
    addRoleIdPrecondition(
      assignment,
      this.servicePrincipalIn(assignment),
      grant.scope,
      grant.roleId,
      `The API ${this.identifierUri} (client id ${this.clientId}) has no app role "${grant.scope}" with id ${grant.roleId}, the id declared in ${this.node.path}'s vocabulary. Copy the role's id from the API's app registration (appRoles) into the vocabulary, or ask the API's owners whether the role was renamed or removed.`,
    );
  }

  /**
   * Grants one application permission of this API's vocabulary, for a {@link MachineClient}'s
   * `access`. Only the vocabulary's keys compile; a retired entry, or the old value of a renamed
   * one, fails to compile with a message naming the replacement. Everything is also rejected at
   * run time, with the same wording. A value declared `privileged` compiles only with a
   * `justification` (at least 20 characters, checked at run time).
   * @throws MachineClientsError for a value outside the vocabulary, or a privileged permission
   *   without a justification of at least 20 characters
   */
  public grant<const S extends string, O extends GrantOptions = GrantOptions>(
    scope: CheckJustifiedGrant<D, S, O>,
    options?: O,
  ): ScopeGrant<S>;
  public grant(scope: string, options: GrantOptions = {}): ScopeGrant {
    return mintFromVocabulary(this, this.vocabulary, scope, options, `${this.node.path}.grant`);
  }

  /** The service principal data source in `consumer`'s stack (this one, or a stack-level copy). */
  private servicePrincipalIn(consumer: IConstruct): DataAzureadServicePrincipal {
    if (TerraformStack.of(consumer) === TerraformStack.of(this)) return this.servicePrincipal;
    return servicePrincipalOf(
      consumer,
      `ExistingApiServicePrincipal-${isToken(this.clientId) ? this.clientId : this.clientId.toLowerCase()}`,
      this.clientId,
      "lookup",
      this.node.path,
    ) as DataAzureadServicePrincipal;
  }
}

function validateProps(where: string, props: ExistingApiProps<ScopeDefinitions>): void {
  if (!isToken(props.clientId) && !isUuid(props.clientId)) {
    fail(
      "CLIENT_ID_INVALID",
      where,
      "clientId must be the API's application (client) id, a UUID",
      props.clientId,
      "Copy the Application (client) ID from the API's app registration.",
    );
  }
  if (props.otherTenant !== undefined && typeof props.otherTenant !== "boolean") {
    fail(
      "OTHER_TENANT_INVALID",
      where,
      "otherTenant must be true or false",
      props.otherTenant,
      "Set otherTenant: true for an API registered in another tenant, or leave it out.",
    );
  }
  // A URI registered in another tenant may end with "/" (e.g. https://management.core.windows.net/),
  // whose token scope is then "<uri>/.default" with two slashes, as Microsoft documents.
  const uri = props.identifierUri;
  checkIdentifierUri(
    where,
    isOtherTenant(props) && typeof uri === "string" && uri.endsWith("/") && !uri.endsWith("//")
      ? uri.slice(0, -1)
      : uri,
    "Copy the Application ID URI from the API's app registration (Expose an API), as registered.",
  );
  if (!(props.vocabulary instanceof ScopeVocabulary)) {
    fail(
      "VOCABULARY_INVALID",
      where,
      "vocabulary must be made by ScopeVocabulary.define",
      props.vocabulary,
      "Pass ScopeVocabulary.define({ ... }) with the API's app roles and their ids.",
    );
  }
  for (const scope of props.vocabulary.scopes) {
    if (scope.roleIdSource !== "declared") {
      fail(
        "ROLE_ID_REQUIRED",
        `${where} › ${describeValue(scope.value)}`,
        `the vocabulary of an existing API must adopt the real app role ids, but ${describeValue(scope.value)} declares no id`,
        scope.value,
        `Add id: "<app role id>" to ${describeValue(scope.value)}, copied from the API's app registration (appRoles[].id); a derived id would not match the tenant.`,
      );
    }
    const old = scope.renamedFrom;
    if (old && old.roleIdSource !== "declared") {
      fail(
        "ROLE_ID_REQUIRED",
        `${where} › "${scope.value}"`,
        `the vocabulary of an existing API must adopt the real app role ids, but the old name "${old.value}" of "${scope.value}" declares no id`,
        old.value,
        `Write renamedFrom: { value: "${old.value}", id: "<app role id>" }, copied from the API's app registration (appRoles[].id).`,
      );
    }
  }
}

// Its statics cannot be replaced (e.g. to skip a check for the whole process).
Object.freeze(ExistingApi);
Object.freeze(ExistingApi.prototype);

/** Whether the API's application is registered in another tenant (see `otherTenant`). */
function isOtherTenant(
  props: Pick<ExistingApiProps<ScopeDefinitions>, "clientId" | "otherTenant">,
): boolean {
  return (
    props.otherTenant ??
    (typeof props.clientId === "string" && FIRST_PARTY_CLIENT_ID.test(props.clientId))
  );
}

/**
 * A client id or identifier URI given as a token gets, once it resolves at synth, the checks a
 * literal gets at construction: a token that resolves to a literal (a `Lazy` value) must be a GUID
 * and a URI Entra accepts, and never Microsoft Graph's identity, whose permissions come from
 * `MicrosoftGraph.grant` only (a vocabulary could otherwise assign a Graph delegated scope's id as
 * an app role). A Terraform reference stays unknown until plan, where each assignment's
 * precondition checks the role id against the tenant.
 */
function checkResolvedIdentity(api: IApi): void {
  api.node.addValidation({
    validate: () => {
      const resolve = (v: unknown): unknown =>
        Tokenization.resolve(v, {
          scope: api,
          resolver: new DefaultTokenResolver(new StringConcat()),
        });
      const literal = (v: unknown): v is string => typeof v === "string" && !v.includes("${");
      const clientId: unknown = resolve(api.clientId);
      const uri: unknown = resolve(api.identifierUri);
      const errors: string[] = [];
      const where = api.node.path;
      if (literal(clientId) && isGraphIdentity(clientId, undefined)) {
        errors.push(
          `${where}: clientId resolves to ${describeValue(clientId)}, Microsoft Graph's. Grant Graph permissions with MicrosoftGraph.grant("<application permission>"); it needs no API construct.`,
        );
      } else if (literal(clientId) && !isUuid(clientId)) {
        errors.push(
          `${where}: clientId resolves to ${describeValue(clientId)}, which is not a GUID. Pass the API's application (client) id.`,
        );
      }
      if (literal(uri)) {
        const found = classifyIdentifierUri(uri);
        if (isGraphIdentity(undefined, uri)) {
          errors.push(
            `${where}: identifierUri resolves to ${describeValue(uri)}, Microsoft Graph's. Grant Graph permissions with MicrosoftGraph.grant("<application permission>").`,
          );
        } else if (!found.ok && found.kind === "invalid" && !uri.endsWith("/")) {
          errors.push(`${where}: ${found.problem} (it resolves to ${describeValue(uri)}).`);
        }
      }
      return errors;
    },
  });
}
