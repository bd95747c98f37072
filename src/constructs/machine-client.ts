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
import { IApi, ScopeGrant } from "./grant";
import { VerifiedGrant, grantModel, mintTransitionalGrant, verifyGrant } from "./scope-grant";
import { assignmentId, legacyAssignmentId } from "./assignment-id";
import { MAX_PERMISSIONS_PER_CLIENT, MAX_RESOURCE_APIS_PER_CLIENT } from "../limits";
import { registerPolicySubject } from "./org-policy";
import { identitiesOf } from "./api-identity";
import { checkDisplayName, checkOwners, futurePath } from "./validate";
import { startConstruction, undoConstruction } from "./atomic";
import { readGuarded, readList, readObject } from "../read-once";

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
   * fails the plan instead. Rename constructs with `moveTo` (see docs/vocabularies-and-grants.md); set `false` only to
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
  /** The grants as verified: what the client synthesizes, re-derived from the vocabularies. */
  private readonly verified: readonly VerifiedGrant[];
  private readonly explicitOwners: readonly string[] | undefined;
  /** Deliveries added after construction (addSecretOutput), as recorded in the manifest. */
  private readonly addedDeliveries: string[] = [];

  public constructor(scope: Construct, id: string, props: MachineClientProps) {
    const where = futurePath(scope, id);
    // The props are read once, into a frozen copy that is validated and then synthesized.
    const p = readMachineClientProps(where, props);
    const { grants, credentials } = validateProps(where, p);
    const start = startConstruction(scope, id, where);
    super(scope, id);
    try {
      this.verified = grants;
      this.displayName = p.displayName;
      this.credentials = credentials;
      this.grants = Object.freeze(grants.map((g) => g.grant));
      this.explicitOwners = p.owners ? Object.freeze([...p.owners]) : undefined;
      const owners = p.owners ? [...p.owners] : [deployingPrincipalObjectId(this)];
      const lifecycle = { preventDestroy: p.preventDestroy ?? true };

      this.application = new Application(this, "Application", {
        lifecycle,
        displayName: p.displayName,
        signInAudience: "AzureADMyOrg",
        fallbackPublicClientEnabled: false,
        owners,
        requiredResourceAccess: groupByApi(grants).map(([api, apiGrants]) => ({
          resourceAppId: api.clientId,
          resourceAccess: apiGrants.flatMap((g) =>
            g.roles.map((r) => ({ id: r.roleId, type: "Role" })),
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
        for (const role of grant.roles) {
          const assignment = new AppRoleAssignment(this, assignmentId(grant.api, role.roleId), {
            appRoleId: role.roleId,
            principalObjectId,
            resourceObjectId,
          });
          assignments.set(`${grant.api.apiKey}#${role.scope}`, assignment);
          legacyIds.push([assignment, legacyAssignmentId(grant.api, role.scope)]);
          grant.api.onAssignment?.(
            assignment,
            role.transitional ? mintTransitionalGrant(grant, role) : grant.grant,
          );
        }
      }
      this.assignments = assignments;
      this.bound = credentials.map((c) =>
        c.bind({
          scope: this,
          applicationId: this.application.id,
          displayName: p.displayName,
          clientId: this.application.clientId,
        }),
      );
      // Registered last, once nothing can fail: the org policy, the legacy moves, and the
      // stack's machine-clients.json (on every synth).
      registerPolicySubject(this);
      addLegacyMoves(this, legacyIds);
      trackMachineClient(this);
    } catch (e) {
      undoConstruction(start, id, where, e);
    }
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
      grants: this.verified.map(grantModel),
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
    const value = this.secretValue;
    startConstruction(this, id, `${this.node.path}.addSecretOutput`);
    const output = new TerraformOutput(this, id, {
      value,
      sensitive: true,
      description: `Client secret of ${this.displayName}`,
    });
    this.addedDeliveries.push("terraform-output");
    return output;
  }
}

/** The props of a MachineClient, each read once, lists copied (see `read-once.ts`). */
interface MachineClientSnapshot {
  readonly displayName: string;
  readonly access: unknown;
  readonly credential: unknown;
  readonly owners: readonly string[] | undefined;
  readonly preventDestroy: boolean | undefined;
}

function readMachineClientProps(where: string, props: MachineClientProps): MachineClientSnapshot {
  const p = readObject(
    where,
    props,
    ["displayName", "access", "credential", "owners", "preventDestroy"],
    "props",
    {
      code: "PROPS_MISSING",
      problem: "MachineClient needs props",
      fix: "Pass { displayName, access, credential }.",
    },
  );
  return Object.freeze({
    displayName: p.displayName as string,
    access: readList(where, "props.access", p.access),
    credential: readList(where, "props.credential", p.credential),
    owners: readList(where, "props.owners", p.owners) as readonly string[] | undefined,
    preventDestroy: p.preventDestroy as boolean | undefined,
  });
}

function validateProps(
  where: string,
  props: MachineClientSnapshot,
): { grants: readonly VerifiedGrant[]; credentials: readonly ClientCredential[] } {
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
  const verified: VerifiedGrant[] = [];
  access.forEach((grant: unknown, i) => {
    verified.push(readGuarded(where, `props.access[${i}]`, () => checkGrant(where, grant, seen)));
  });
  readGuarded(where, "props.access", () => {
    checkOneApiPerIdentity(where, verified);
    checkResourceAccessLimits(where, verified);
  });
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
  credentials.forEach((credential, i) =>
    readGuarded(
      where,
      Array.isArray(props.credential) ? `props.credential[${i}]` : "props.credential",
      () => checkCredential(where, credential),
    ),
  );
  readGuarded(where, "props.credential", () =>
    checkCredentialList(where, credentials as ClientCredential[]),
  );
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
    grants: Object.freeze(verified.sort((a, b) => compare(a.key, b.key))),
    credentials: Object.freeze(credentials as ClientCredential[]),
  };
}

/** One credential: made by a factory, and valid. */
function checkCredential(where: string, credential: unknown): void {
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

/**
 * One element of `access`: an application permission grant the library minted, not granted
 * before. What it synthesizes is re-derived from the vocabulary (or Graph's table).
 */
function checkGrant(where: string, grant: unknown, seen: Set<string>): VerifiedGrant {
  if (DelegatedScopeGrant.isDelegatedScopeGrant(grant)) {
    fail(
      "ACCESS_DELEGATED_GRANT",
      where,
      `${describeValue(grant.scope)} on ${plainText(grant.api.apiKey)} is a delegated scope (user sign-in only) and never applies to the client credentials flow`,
      grant.scope,
      "Grant an application permission with api.grant(scope); delegated grants belong to apps that sign users in.",
    );
  }
  const v = verifyGrant(grant, where);
  if (seen.has(v.key)) {
    fail(
      "ACCESS_DUPLICATE",
      where,
      `${describeValue(v.scope)} on ${plainText(v.api.apiKey)} is granted twice`,
      v.scope,
      "Grant each permission once.",
    );
  }
  seen.add(v.key);
  return v;
}

/**
 * Two API objects with the same identifier URI (ignoring case and a trailing slash) or the same
 * literal client id are one API to Entra (e.g. a `ProtectedApi` and an `ExistingApi` copy of it
 * in another stack): a client granted on both would list the API twice.
 */
function checkOneApiPerIdentity(where: string, grants: readonly VerifiedGrant[]): void {
  const seen = new Map<string, IApi>();
  for (const { api } of grants) {
    for (const { key, label } of identitiesOf(api.identifierUri, api.clientId)) {
      const other = seen.get(key);
      if (other !== undefined && other !== api) {
        const compared = key.slice(key.indexOf(":") + 1);
        fail(
          "ACCESS_SAME_API_TWICE",
          where,
          `${pathOf(api)} and ${pathOf(other)} are the same API to Entra (${label} ${describeValue(compared)})`,
          compared,
          "Grant the API's permissions from one construct: the API's own ProtectedApi where the client's stack can reference it, else its ExistingApi.",
        );
      }
      seen.set(key, api);
    }
  }
}

function pathOf(api: IApi): string {
  return plainText(api.node.path || api.apiKey);
}

/**
 * Entra's limits on `required_resource_access` (at most {@link MAX_RESOURCE_APIS_PER_CLIENT}
 * APIs and {@link MAX_PERMISSIONS_PER_CLIENT} permissions), and one assignment per API and role.
 */
function checkResourceAccessLimits(where: string, grants: readonly VerifiedGrant[]): void {
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
    for (const role of grant.roles) {
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

function groupByApi<G extends { readonly api: IApi }>(grants: readonly G[]): [IApi, G[]][] {
  const groups = new Map<string, [IApi, G[]]>();
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

// Its statics cannot be replaced (e.g. to skip a check for the whole process).
Object.freeze(MachineClient);
Object.freeze(MachineClient.prototype);
