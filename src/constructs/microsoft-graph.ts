import { Construct, IConstruct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { fail } from "../errors";
import { readGuarded, readOwn } from "../read-once";
import {
  CheckGraphPermission,
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_CLIENT_ID,
  GRAPH_IDENTIFIER_URI,
  GRAPH_PERMISSIONS_SOURCE,
  GraphApplicationPermission,
  GraphJustificationError,
  GraphTier0Permission,
  checkGraphJustification,
  checkGraphPermission,
} from "../graph";
import { GrantOptions, IApi, ScopeGrant } from "./grant";
import { mintGraphGrant } from "./scope-grant";
import { sealProperties } from "./validate";
import {
  ServicePrincipalMode,
  ServicePrincipalRef,
  addRoleIdPrecondition,
  servicePrincipalOf,
} from "./service-principal-lookup";

/** Options of {@link MicrosoftGraph.configure}. */
export interface MicrosoftGraphOptions {
  /**
   * How the stack finds Microsoft Graph's service principal. `"lookup"` reads it with the
   * `azuread_service_principal` data source (every tenant that has used Microsoft 365 or Entra
   * has it). `"create-if-missing"` declares an `azuread_service_principal` resource for Graph's
   * client id with `use_existing = true` — it adopts the tenant's service principal, or creates
   * it where the tenant lacks one — and `prevent_destroy`, so that destroying the stack never
   * deletes Graph's service principal. Use it for new, empty tenants (e.g. test tenants).
   * @default "lookup"
   */
  readonly servicePrincipal?: ServicePrincipalMode;
}

const LOOKUP_ID = "MicrosoftGraphServicePrincipal";
const WHERE = "MicrosoftGraph";

/**
 * Microsoft Graph as an API that machine clients are granted application permissions on.
 *
 * `MicrosoftGraph.grant("User.Read.All")` accepts exactly Graph's application permissions (the
 * generated table of {@link GRAPH_APPLICATION_PERMISSION_IDS}): delegated-only names such as
 * `User.Read`, `offline_access` or `openid` fail to compile with a message naming the application
 * permission to use instead, and are rejected at run time with the same wording. Tier-0
 * permissions ({@link GRAPH_TIER0_PERMISSIONS}) need `{ justification }`.
 *
 * A {@link MachineClient} holding Graph grants gets `required_resource_access` for Graph's client
 * id, and one `azuread_app_role_assignment` per grant whose resource is Graph's service principal
 * — looked up once per stack — and whose role id comes from the static table. Each assignment
 * carries a plan-time precondition that the tenant's `app_role_ids[<name>]` equals that id.
 *
 * @example
 * new MachineClient(stack, "Directory", {
 *   displayName: "directory-sync",
 *   access: [MicrosoftGraph.grant("User.Read.All")],
 *   credential: ClientSecret.rotating(),
 * });
 */
export class MicrosoftGraph extends Construct implements IApi {
  /** Microsoft Graph's application (client) id, the same in every tenant. */
  public static readonly CLIENT_ID = GRAPH_CLIENT_ID;
  /** Microsoft Graph's identifier URI. */
  public static readonly IDENTIFIER_URI = GRAPH_IDENTIFIER_URI;
  /** The source file and snapshot date of the permission table. */
  public static readonly SOURCE = GRAPH_PERMISSIONS_SOURCE;

  /** The single Microsoft Graph API object that every Graph grant refers to. */
  public static readonly api: MicrosoftGraph = new MicrosoftGraph();

  /** Every Graph application permission name, sorted. */
  public static get permissions(): readonly GraphApplicationPermission[] {
    return Object.keys(GRAPH_APPLICATION_PERMISSION_IDS) as GraphApplicationPermission[];
  }

  /**
   * Grants one Microsoft Graph application permission, for a {@link MachineClient}'s `access`.
   * Only application permission names compile; delegated-only and unknown names are compile
   * errors naming the problem (and the application permission to use instead, or the name in
   * its right letter case, where there is one), and are rejected at run time with the same
   * wording. A tier-0 (privileged) permission compiles only with a `justification` (at least
   * 20 characters, checked at run time).
   * @throws MachineClientsError for a delegated-only or unknown name, or a tier-0 permission
   *   without a justification of at least 20 characters
   */
  public static grant<const S extends string, O extends GrantOptions = GrantOptions>(
    permission: S extends GraphTier0Permission
      ? [O] extends [{ readonly justification: string }]
        ? S
        : NoInfer<GraphJustificationError<S>>
      : CheckGraphPermission<S>,
    options?: O,
  ): ScopeGrant<S>;
  public static grant(permission: string, options: GrantOptions = {}): ScopeGrant {
    const where = `${WHERE}.grant`;
    const problem = checkGraphPermission(permission);
    if (problem) fail(problem.code, where, problem.problem, permission, problem.fix);
    // Read once: the value checked is the value the grant keeps.
    const given: unknown = readGuarded(where, "options.justification", () =>
      options === undefined || options === null ? undefined : readOwn(options, "justification"),
    );
    const justification = checkGraphJustification(permission, given);
    if (justification) {
      fail(justification.code, where, justification.problem, given, justification.fix);
    }
    return mintGraphGrant(MicrosoftGraph.api, permission, given as string | undefined);
  }

  /**
   * Sets how `scope`'s stack finds Microsoft Graph's service principal. Call it before the first
   * {@link MachineClient} with a Graph grant in the stack; without it, the stack looks the service
   * principal up (data source).
   * @returns the data source or resource that stands for Graph's service principal in the stack
   * @throws MachineClientsError when the stack already uses the other mode
   */
  public static configure(
    scope: IConstruct,
    options: MicrosoftGraphOptions = {},
  ): ServicePrincipalRef {
    const mode =
      readGuarded(
        `${WHERE}.configure`,
        "options.servicePrincipal",
        () => options.servicePrincipal,
      ) ?? "lookup";
    if (mode !== "lookup" && mode !== "create-if-missing") {
      fail(
        "GRAPH_SERVICE_PRINCIPAL_MODE_INVALID",
        `${WHERE}.configure`,
        'servicePrincipal must be "lookup" or "create-if-missing"',
        mode,
        'Use "create-if-missing" only for tenants without a Microsoft Graph service principal.',
      );
    }
    return servicePrincipalOf(scope, LOOKUP_ID, GRAPH_CLIENT_ID, mode, `${WHERE}.configure`);
  }

  /**
   * The stack's reference to Microsoft Graph's service principal (created on first use, as a
   * data source unless {@link MicrosoftGraph.configure} said otherwise).
   */
  public static servicePrincipalFor(scope: IConstruct): ServicePrincipalRef {
    return servicePrincipalOf(scope, LOOKUP_ID, GRAPH_CLIENT_ID, undefined, WHERE);
  }

  /** {@inheritDoc IApi.apiKey} */
  public readonly apiKey = GRAPH_IDENTIFIER_URI;
  /** {@inheritDoc IApi.identifierUri} */
  public readonly identifierUri = GRAPH_IDENTIFIER_URI;
  /** {@inheritDoc IApi.clientId} */
  public readonly clientId = GRAPH_CLIENT_ID;

  private constructor() {
    // A root construct of its own, outside every app: it stands for the tenant's Microsoft Graph
    // and synthesizes nothing; each stack gets its own service principal reference.
    super(undefined as unknown as Construct, "");
    // What every Graph grant is checked against: not reassignable, even through a cast.
    sealProperties(this, [
      "apiKey",
      "identifierUri",
      "clientId",
      "servicePrincipalObjectIdFor",
      "onAssignment",
    ]);
  }

  /** {@inheritDoc IApi.servicePrincipalObjectIdFor} */
  public servicePrincipalObjectIdFor(consumer: IConstruct): string {
    return MicrosoftGraph.servicePrincipalFor(consumer).objectId;
  }

  /** Adds the plan-time check that the tenant's Graph role id for the grant equals the static id. */
  public onAssignment(assignment: AppRoleAssignment, grant: ScopeGrant): void {
    addRoleIdPrecondition(
      assignment,
      MicrosoftGraph.servicePrincipalFor(assignment),
      grant.scope,
      grant.roleId,
      `Microsoft Graph in this tenant has no application permission "${grant.scope}" with app role id ${grant.roleId}, the id cdktf-machine-clients took from Microsoft's export of ${GRAPH_PERMISSIONS_SOURCE.snapshotDate}. Check the permission in the tenant (Graph service principal, appRoles) and regenerate the table (npm run generate:graph) if Microsoft changed it.`,
    );
  }
}

// The single Graph API object and the statics (grant, api, CLIENT_ID…) cannot be replaced.
Object.freeze(MicrosoftGraph);
Object.freeze(MicrosoftGraph.prototype);

export type { ServicePrincipalMode, ServicePrincipalRef } from "./service-principal-lookup";
