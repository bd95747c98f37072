import { Aspects, TerraformStack, TerraformOutput } from "cdktf";
import { Construct, IConstruct, Node } from "constructs";
import { Application } from "@cdktf/provider-azuread/lib/application";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { BoundCredential, ClientCredential } from "../credentials/credential";
import { checkCredentialList } from "../credentials/credential-list";
import { describeValue, fail, plainText } from "../errors";
import { trackMachineClient } from "../inventory/manifest";
import { MachineClientModel } from "../model";
import { DelegatedScopeGrant } from "./delegated-grant";
import { deployingPrincipalObjectId } from "./deployer";
import { AssignedRole, IApi, ScopeGrant, rolesAssignedBy } from "./grant";
import { assignmentId, legacyAssignmentId } from "./assignment-id";
import { MAX_PERMISSIONS_PER_CLIENT, MAX_RESOURCE_APIS_PER_CLIENT } from "../limits";
import { ScopeVocabulary } from "../vocabulary/scope-vocabulary";
import { registerPolicySubject } from "./org-policy";
import { checkDisplayName, checkOwners, futurePath } from "./validate";

/** Properties of a {@link MachineClient}. */
export interface MachineClientProps {
  /** The app registration's display name. */
  readonly displayName: string;
  /**
   * The application permissions the client holds, as grants from `api.grant(scope)`. Non-empty,
   * no duplicates. Nothing else is granted: the client gets exactly these roles in its tokens.
   */
  readonly access: readonly ScopeGrant[];
  /**
   * The credential(s) the client authenticates with, e.g. `ClientSecret.rotating()`. A list
   * serves migrations (e.g. secret → federated); at most one secret credential.
   */
  readonly credential: ClientCredential | readonly ClientCredential[];
  /**
   * Object ids of the app registration's and service principal's owners.
   * @default the principal that runs `terraform apply` (`azuread_client_config`)
   */
  readonly owners?: string[];
  /**
   * Synthesizes the app registration and service principal with `lifecycle.prevent_destroy`, so
   * that a refactor that would recreate them (and change the client id every consumer holds)
   * fails the plan instead. Rename constructs with `moveTo` (see the README); set `false` only to
   * delete the client on purpose.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A machine client (OAuth 2.0 client credentials): a single-tenant app registration with no
 * redirect URIs and no public client, its service principal, one app role assignment per grant
 * (two while the granted permission's rename is in transition: the old role's assignment stays),
 * and its credential. Assignments are addressed by the API and the role id, so changes of letter
 * case or description never replace them (see docs/changing-a-vocabulary.md).
 */
export class MachineClient extends Construct {
  /** The client's app registration. */
  public readonly application: Application;
  /** The client's service principal. */
  public readonly servicePrincipal: ServicePrincipal;
  /** The client's grants, sorted by API and scope. */
  public readonly grants: readonly ScopeGrant[];
  /**
   * The app role assignments, keyed like {@link ScopeGrant.key} (`<api key>#<scope>`); during a
   * rename, the old name's assignment under the old scope.
   */
  public readonly assignments: ReadonlyMap<string, AppRoleAssignment>;
  /** The credentials as declared. */
  public readonly credentials: readonly ClientCredential[];
  /** The display name given in the props. */
  public readonly displayName: string;
  private readonly bound: readonly BoundCredential[];
  private readonly explicitOwners: readonly string[] | undefined;
  /** Deliveries added after construction (addSecretOutput), as recorded in the manifest. */
  private readonly addedDeliveries: string[] = [];

  public constructor(scope: Construct, id: string, props: MachineClientProps) {
    const { grants, credentials } = validateProps(futurePath(scope, id), props);
    super(scope, id);
    registerPolicySubject(this);
    this.displayName = props.displayName;
    this.credentials = credentials;
    this.grants = grants;
    this.explicitOwners = props.owners ? Object.freeze([...props.owners]) : undefined;
    const owners = props.owners ? [...props.owners] : [deployingPrincipalObjectId(this)];
    const lifecycle = { preventDestroy: props.preventDestroy ?? true };

    this.application = new Application(this, "Application", {
      lifecycle,
      displayName: props.displayName,
      signInAudience: "AzureADMyOrg",
      fallbackPublicClientEnabled: false,
      owners,
      requiredResourceAccess: groupByApi(grants).map(([api, apiGrants]) => ({
        resourceAppId: api.clientId,
        resourceAccess: apiGrants.flatMap((g) =>
          rolesAssignedBy(g).map((r) => ({ id: r.roleId, type: "Role" })),
        ),
      })),
    });
    this.servicePrincipal = new ServicePrincipal(this, "ServicePrincipal", {
      clientId: this.application.clientId,
      owners,
      lifecycle,
    });
    const assignments = new Map<string, AppRoleAssignment>();
    const legacyIds: [AppRoleAssignment, string][] = [];
    const principalObjectId = this.servicePrincipal.objectId; // one token for all assignments
    for (const grant of grants) {
      const resourceObjectId = grant.api.servicePrincipalObjectIdFor(this);
      for (const role of rolesAssignedBy(grant)) {
        const assignment = new AppRoleAssignment(this, assignmentId(grant.api, role.roleId), {
          appRoleId: role.roleId,
          principalObjectId,
          resourceObjectId,
        });
        assignments.set(`${grant.api.apiKey}#${role.scope}`, assignment);
        legacyIds.push([assignment, legacyAssignmentId(grant.api, role.scope)]);
        grant.api.onAssignment?.(assignment, role.transitional ? roleGrant(grant, role) : grant);
      }
    }
    this.assignments = assignments;
    addLegacyMoves(this, legacyIds);
    this.bound = credentials.map((c) =>
      c.bind({
        scope: this,
        applicationId: this.application.id,
        displayName: props.displayName,
        clientId: this.application.clientId,
      }),
    );
    // Lists the client in its stack's machine-clients.json on every synth.
    trackMachineClient(this);
  }

  /** The client's application (client) id, as a token: what the client sends as `client_id`. */
  public get clientId(): string {
    return this.application.clientId;
  }

  /** The object id of the client's service principal, as a token. */
  public get servicePrincipalObjectId(): string {
    return this.servicePrincipal.objectId;
  }

  /** The APIs the client holds grants on, in grant order. */
  public get apis(): readonly IApi[] {
    return groupByApi(this.grants).map(([api]) => api);
  }

  /**
   * The `scope` parameter of the client's token request for `api`: `<identifierUri>/.default`.
   * The granted permissions arrive in the token's `roles` claim.
   * @throws MachineClientsError when the client holds no grant on `api`
   */
  public tokenScopeFor(api: IApi): string {
    if (!this.grants.some((g) => g.api === api)) {
      fail(
        "NO_GRANT_ON_API",
        this.node.path,
        "the client holds no grant on this API, so its token would carry no roles",
        api?.apiKey ?? api,
        "Add a grant on the API to access, or request a token for an API the client is granted.",
      );
    }
    return `${api.identifierUri}/.default`;
  }

  /**
   * The client secret's value, as a token for the caller to route (e.g. to a key vault): the
   * newest of the two slots, chosen by a Terraform conditional on the passwords' periods as
   * recorded in state. It is never written to an output unless {@link MachineClient.addSecretOutput} is called
   * or the secret has a delivery.
   * @throws MachineClientsError when the client's credential is not a secret
   */
  public get secretValue(): string {
    const secret = this.bound.find((b) => b.secretValue !== undefined);
    if (secret?.secretValue === undefined) {
      fail(
        "NO_SECRET",
        this.node.path,
        "the client holds no secret credential, so there is no secret value",
        this.bound.map((b) => b.kind),
        "Use ClientSecret.rotating() to give the client a secret.",
      );
    }
    return secret.secretValue;
  }

  /** The client as declared, for policy checks and the inventory. */
  public toModel(): MachineClientModel {
    return {
      path: this.node.path,
      displayName: this.displayName,
      owners: this.explicitOwners ?? [],
      explicitOwners: this.explicitOwners !== undefined,
      grants: this.grants.map((g) => g.toModel()),
      credentials: this.credentials.map((c, i) => {
        const offset = this.bound[i].rotationOffsetMinutes;
        return offset === undefined
          ? c.describe()
          : { ...c.describe(), rotationOffsetMinutes: offset };
      }),
      ...(this.addedDeliveries.length > 0 ? { deliveries: [...this.addedDeliveries] } : {}),
    };
  }

  /**
   * Publishes the client secret (the newest) as a `sensitive` Terraform output, for pipelines that
   * hand it on, and records the delivery (`terraform-output`) in `machine-clients.json`. Same as
   * `ClientSecret.rotating({ delivery: SecretDelivery.output() })`.
   * @param id the output's construct id
   * @default id "ClientSecret"
   */
  public addSecretOutput(id: string = "ClientSecret"): TerraformOutput {
    const output = new TerraformOutput(this, id, {
      value: this.secretValue,
      sensitive: true,
      description: `Client secret of ${this.displayName}`,
    });
    this.addedDeliveries.push("terraform-output");
    return output;
  }
}

function validateProps(
  where: string,
  props: MachineClientProps,
): { grants: readonly ScopeGrant[]; credentials: readonly ClientCredential[] } {
  if (typeof props !== "object" || props === null) {
    fail(
      "PROPS_MISSING",
      where,
      "MachineClient needs props",
      props,
      "Pass { displayName, access, credential }.",
    );
  }
  checkDisplayName(where, props.displayName);
  const access: unknown = props.access;
  if (!Array.isArray(access) || access.length === 0) {
    fail(
      "ACCESS_EMPTY",
      where,
      "access must be a non-empty list of grants",
      access,
      'Grant the permissions the client needs, e.g. access: [api.grant("orders.read")].',
    );
  }
  const seen = new Set<string>();
  for (const grant of access) {
    if (DelegatedScopeGrant.isDelegatedScopeGrant(grant)) {
      fail(
        "ACCESS_DELEGATED_GRANT",
        where,
        `${describeValue(grant.scope)} on ${plainText(grant.api.apiKey)} is a delegated scope (user sign-in only) and never applies to the client credentials flow`,
        grant.scope,
        "Grant an application permission with api.grant(scope); delegated grants belong to apps that sign users in.",
      );
    }
    if (!ScopeGrant.isScopeGrant(grant)) {
      fail(
        "ACCESS_NOT_A_GRANT",
        where,
        "access takes only grants made by api.grant(scope)",
        grant,
        `Replace ${describeValue(grant)} with api.grant(${typeof grant === "string" ? describeValue(grant) : '"<scope>"'}).`,
      );
    }
    if (seen.has(grant.key)) {
      fail(
        "ACCESS_DUPLICATE",
        where,
        `${describeValue(grant.scope)} on ${plainText(grant.api.apiKey)} is granted twice`,
        grant.scope,
        "Grant each permission once.",
      );
    }
    seen.add(grant.key);
  }
  checkResourceAccessLimits(where, access as ScopeGrant[]);
  const credentials: unknown[] = Array.isArray(props.credential)
    ? [...props.credential]
    : [props.credential];
  if (credentials.length === 0) {
    fail(
      "CREDENTIAL_MISSING",
      where,
      "credential must be a credential or a non-empty list of them",
      props.credential,
      "Use e.g. ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }).",
    );
  }
  for (const credential of credentials) {
    if (!ClientCredential.isClientCredential(credential)) {
      fail(
        "CREDENTIAL_INVALID",
        where,
        "credential must be made by a credential factory",
        credential,
        "Use e.g. ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }).",
      );
    }
    credential.validate(where);
  }
  checkCredentialList(where, credentials as ClientCredential[]);
  if (props.preventDestroy !== undefined && typeof props.preventDestroy !== "boolean") {
    fail(
      "PREVENT_DESTROY_INVALID",
      where,
      "preventDestroy must be true or false",
      props.preventDestroy,
      "Leave it out (true) or set false to allow deleting the client.",
    );
  }
  checkOwners(where, props.owners);
  return {
    grants: (access as ScopeGrant[]).slice().sort((a, b) => compare(a.key, b.key)),
    credentials: credentials as ClientCredential[],
  };
}

/**
 * Entra's limits on `required_resource_access` (at most {@link MAX_RESOURCE_APIS_PER_CLIENT}
 * APIs and {@link MAX_PERMISSIONS_PER_CLIENT} permissions), and one assignment per API and role.
 */
function checkResourceAccessLimits(where: string, grants: readonly ScopeGrant[]): void {
  const apis = groupByApi(grants);
  if (apis.length > MAX_RESOURCE_APIS_PER_CLIENT) {
    fail(
      "CLIENT_API_LIMIT",
      where,
      `the client holds grants on ${apis.length} APIs; Entra allows at most ${MAX_RESOURCE_APIS_PER_CLIENT} resource APIs in an app registration's required_resource_access`,
      apis.length,
      "Split the client into clients per job, each granted only the APIs that job calls.",
    );
  }
  const ids = new Map<string, string>();
  let permissions = 0;
  for (const grant of grants) {
    // A grant made before a vocabulary changed cannot exist (vocabularies are frozen), but a
    // ScopeGrant can be constructed by hand: re-check the lifecycle against the API's vocabulary.
    const vocabulary: unknown = (grant.api as { vocabulary?: unknown }).vocabulary;
    if (vocabulary instanceof ScopeVocabulary) vocabulary.grantable(grant.scope, where);
    for (const role of rolesAssignedBy(grant)) {
      permissions++;
      const id = assignmentId(grant.api, role.roleId);
      const other = ids.get(id);
      if (other !== undefined) {
        fail(
          "ACCESS_DUPLICATE_ROLE",
          where,
          `"${role.scope}" on ${grant.api.apiKey} and ${other} are the same app role (id ${role.roleId}) of the same API`,
          role.scope,
          "Grant each permission once; two APIs with the same identifier URI or client id are the same API to Entra.",
        );
      }
      ids.set(id, `"${role.scope}" on ${grant.api.apiKey}`);
    }
  }
  if (permissions > MAX_PERMISSIONS_PER_CLIENT) {
    fail(
      "CLIENT_PERMISSION_LIMIT",
      where,
      `the client holds ${permissions} permissions; Entra allows at most ${MAX_PERMISSIONS_PER_CLIENT} across all APIs in an app registration's required_resource_access`,
      permissions,
      "Split the client into clients per job, each with only the permissions that job needs.",
    );
  }
}

/** A grant standing for one of the roles another grant assigns (the old role of a rename). */
function roleGrant(grant: ScopeGrant, role: AssignedRole): ScopeGrant {
  return new ScopeGrant(grant.api, role.scope, role.roleId, grant.privileged, {
    ...(grant.justification !== undefined ? { justification: grant.justification } : {}),
  });
}

/** Context key that turns off the `moved` blocks from version 0.1's assignment addresses. */
export const LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY = "cdktf-machine-clients:legacyAssignmentMoves";

/** Per stack, the clients whose assignments get moves from 0.1's addresses at synth. */
const LEGACY_MOVES = new WeakMap<TerraformStack, Map<MachineClient, LegacyIds>>();
type LegacyIds = readonly (readonly [AppRoleAssignment, string])[];

/**
 * Tells Terraform that each assignment moved from the address version 0.1 gave it (a `moved`
 * block: a no-op where that address is not in the state), so that upgrading keeps existing
 * assignments instead of replacing them. Added at synth (one aspect per stack), and only to
 * assignments that the program did not move itself (`moveFromId`), unless the context key
 * {@link LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY} is `false`.
 */
function addLegacyMoves(client: MachineClient, legacyIds: LegacyIds): void {
  const stack = TerraformStack.of(client);
  let pending = LEGACY_MOVES.get(stack);
  if (!pending) {
    const clients = new Map<MachineClient, LegacyIds>();
    LEGACY_MOVES.set(stack, clients);
    Aspects.of(stack).add({
      visit(node: IConstruct): void {
        if (node !== stack) return;
        for (const [c, ids] of clients) moveFromLegacy(stack, c, ids);
      },
    });
    pending = clients;
  }
  pending.set(client, legacyIds);
}

function moveFromLegacy(stack: TerraformStack, client: MachineClient, legacyIds: LegacyIds) {
  if (client.node.tryGetContext(LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY) === false) return;
  // A value written like a role id could give an old id equal to a current one: moving a
  // declared resource is an error, so such a move is left out.
  const current = new Set(legacyIds.map(([a]) => a.node.id));
  for (const [assignment, legacyId] of legacyIds) {
    if (assignment.hasResourceMove() || current.has(legacyId)) continue;
    // The logical id the old construct id had under this client: the stack's own naming, asked
    // for a node that is not in the tree.
    const legacy = { scopes: [...client.node.scopes, { node: { id: legacyId } }] };
    const from = stack.getLogicalId(legacy as unknown as Node);
    assignment.moveFromId(`${assignment.terraformResourceType}.${from}`);
  }
}

function groupByApi(grants: readonly ScopeGrant[]): [IApi, ScopeGrant[]][] {
  const groups = new Map<string, [IApi, ScopeGrant[]]>();
  for (const g of grants) {
    const group = groups.get(g.api.apiKey) ?? [g.api, []];
    group[1].push(g);
    groups.set(g.api.apiKey, group);
  }
  return [...groups.values()];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
