/**
 * The checker's rules over one Terraform module, with the resource reference graph they need:
 * which credential belongs to which application (directly, or through its service principal),
 * which application is a machine client, which API a permission is on.
 */
import {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_APP_ID,
  GRAPH_DELEGATED_PERMISSION_IDS,
  GRAPH_IDENTIFIER_URI,
  TIER0_GRAPH_APPLICATION_PERMISSIONS,
} from "./graph-ids";
import { Node, Unknown, durationHours, isUnknown, parseRfc3339, rfc3339, walk } from "./expr";
import {
  Bindings,
  ModuleContext,
  ParsedExpression,
  Ref,
  TfBlock,
  address,
  asList,
  toNode,
} from "./module";

/** How serious a finding is; SARIF's levels. */
export type Severity = "error" | "warning" | "note";

/** One finding of `check`. */
export interface Finding {
  /** The rule's stable id, e.g. `MCC001`. */
  readonly ruleId: string;
  /** `error` and `warning` for definite findings; `note` where a value cannot be known statically. */
  readonly severity: Severity;
  /** The file, as given (relative to the working directory where the input was relative). */
  readonly file: string;
  /** The 1-based line of the resource block, where it could be located. */
  readonly line?: number;
  /** The resource's Terraform address, e.g. `azuread_application_password.ci`. */
  readonly address: string;
  /** What is wrong, with the values involved. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule's description, for `--help`, SARIF's `tool.driver.rules` and the README. */
export interface RuleInfo {
  /** The stable id, e.g. `MCC001`. */
  readonly id: string;
  /** A short PascalCase name. */
  readonly name: string;
  /** The severity of a definite finding (values that cannot be known give `note`). */
  readonly severity: Severity;
  /** What the rule finds and why it matters. */
  readonly description: string;
}

/** Every rule `check` applies. */
export const RULES: readonly RuleInfo[] = [
  {
    id: "MCC001",
    name: "DelegatedPermissionOnMachineClient",
    severity: "error",
    description:
      "A machine client (an app with a password or certificate, on the application or its service principal, no redirect URIs and no delegated scopes of its own to act on behalf of users) requests a delegated permission, which never applies to the client credentials flow.",
  },
  {
    id: "MCC002",
    name: "UnknownGraphPermission",
    severity: "error",
    description: "A Microsoft Graph permission id or name that is not in Microsoft Graph's tables.",
  },
  {
    id: "MCC003",
    name: "GraphPermissionKindMismatch",
    severity: "error",
    description:
      'A Microsoft Graph permission whose kind contradicts its declared type: a delegated id declared as "Role", or an application id declared as "Scope".',
  },
  {
    id: "MCC004",
    name: "CredentialWithoutEndDate",
    severity: "error",
    description:
      "A password with no end date: Entra gives it two years, beyond the policy maximum.",
  },
  {
    id: "MCC005",
    name: "CredentialEndDateTooFar",
    severity: "error",
    description: "A password or certificate valid for longer than the policy maximum.",
  },
  {
    id: "MCC006",
    name: "CredentialChangesEveryRun",
    severity: "error",
    description:
      "A credential argument built from timestamp(), plantimestamp() or uuid() that changes between two plans a minute apart: every argument forces replacement, so the credential is replaced on every apply.",
  },
  {
    id: "MCC007",
    name: "PasswordWithoutRotation",
    severity: "warning",
    description:
      "A password with no rotation trigger (rotate_when_changed, replace_triggered_by, or an argument that follows a changing resource), or whose trigger lifecycle ignore_changes discards: it is never replaced before it expires.",
  },
  {
    id: "MCC008",
    name: "PasswordRotationConstant",
    severity: "warning",
    description:
      "A password whose rotate_when_changed trigger is a constant, so it can never change.",
  },
  {
    id: "MCC009",
    name: "ApiAssignmentNotRequired",
    severity: "error",
    description:
      "The service principal of an API that exposes app roles to applications does not set app_role_assignment_required = true, so any app in the tenant can get tokens for it.",
  },
  {
    id: "MCC010",
    name: "AppRoleIdNotStable",
    severity: "error",
    description:
      "An app role id from random_uuid or uuid(): the id must never change, and Entra refuses to update or delete an enabled role.",
  },
  {
    id: "MCC011",
    name: "GraphTier0Permission",
    severity: "error",
    description:
      "A Microsoft Graph tier-0 application permission: it lets the app take over the tenant or read and send all mail and files. A warning, quoting it, where this library's machine-clients.json records a justification.",
  },
  {
    id: "MCC012",
    name: "AssignmentOfRetiredAppRole",
    severity: "error",
    description:
      "An app role assignment of a role that the API's application declares disabled (retired) or no longer declares: disabling a role does not revoke it, and an assignment of a removed role fails. Remove the assignments of a role before the role; across stacks, read from this library's machine-clients.json.",
  },
];

/** Options of the rules. */
export interface RuleOptions {
  /** Policy maximum for passwords, in days. */
  readonly maxSecretDays: number;
  /** Policy maximum for certificates, in days. */
  readonly maxCertificateDays: number;
  /** "Now", for literal end dates and as the first simulated plan time. */
  readonly now: Date;
  /**
   * Justified privileged grants declared beside the module (this library's machine-clients.json):
   * a Graph tier-0 permission granted with a recorded justification is reported as a warning that
   * quotes it, not as an error.
   * @default none
   */
  readonly justifiedGrants?: readonly JustifiedGrant[];
}

/** A privileged grant with its justification, as the library's manifest records it. */
export interface JustifiedGrant {
  /** The client's construct path (resources under it carry it in their `//` metadata). */
  readonly clientPath: string;
  /** The API's identifier URI. */
  readonly identifierUri: string;
  /** The permission. */
  readonly scope: string;
  /** Why the client holds it. */
  readonly justification: string;
}

const APP_TYPES = ["azuread_application", "azuread_application_registration"];
const SP_TYPE = "azuread_service_principal";
const PASSWORD_TYPES = ["azuread_application_password", "azuread_service_principal_password"];
const CERT_TYPES = ["azuread_application_certificate", "azuread_service_principal_certificate"];
const EVERY_RUN = ["timestamp", "plantimestamp", "uuid"];
/** Functions that return the plan (or apply) time, which the checker simulates. */
const PLAN_TIME = ["timestamp", "plantimestamp"];
const DAY_MS = 86_400_000;
/** A GUID in 8-4-4-4-12 form, any version. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Simulated plans: one every other day over the next two years from `now` (each change between
 * two of them is then located to the second).
 */
const SAMPLE_STEP_MS = 2 * DAY_MS;
const SAMPLES = 366;
/** Two plans this close together should give the same value, or the argument changes every apply. */
const CLOSE_MS = 60_000;
/** The pairs of close plans: one at every this many-th simulated plan (weekly). */
const CLOSE_EVERY = 4;
const CLOSE_PAIRS = Math.ceil(SAMPLES / CLOSE_EVERY);

/** An argument's values at simulated plan times. */
interface PlanTimeSeries {
  /** The plan times (ms), one every other day from `now`. */
  readonly times: readonly number[];
  /** The values at those times. */
  readonly values: readonly unknown[];
  /** The values as JSON, for comparison. */
  readonly keys: readonly string[];
  /** Whether the value differs between two plans a minute apart at most of the pairs tried (about weekly). */
  readonly everyRun: boolean;
  /** Whether the value changes at all over the two years. */
  readonly changes: boolean;
}
const MAX_INSTANCES = 100;
/** Arguments of a password that link it or steer Terraform, and so are no rotation trigger. */
const NOT_TRIGGERS = new Set([
  "application_id",
  "application_object_id",
  "service_principal_id",
  "rotate_when_changed",
  "count",
  "for_each",
  "depends_on",
  "lifecycle",
  "provider",
]);
const APPLICATION_NAMES = new Set(Object.values(GRAPH_APPLICATION_PERMISSION_IDS));
const DELEGATED_NAMES = new Set(Object.values(GRAPH_DELEGATED_PERMISSION_IDS));

/** One instance of a resource: a `for_each` key or `count` index with its bindings. */
interface Instance {
  readonly block: TfBlock;
  readonly address: string;
  readonly bindings: Bindings;
}

/** A sub-block with the bindings of the dynamic block it came from, if any. */
interface SubBlock {
  readonly body: Record<string, unknown>;
  readonly bindings: Bindings;
  /** Why the block's count is unknown (a dynamic block over an unknown collection). */
  readonly unknownIteration?: string;
}

type Tri = true | false | Unknown;

/** Runs every rule over one module. */
export function checkModule(mod: ModuleContext, options: RuleOptions): Finding[] {
  return new ModuleChecker(mod, options).run();
}

class ModuleChecker {
  private readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private readonly machineClientCache = new Map<string, Tri>();
  private readonly seriesCache = new Map<unknown, Map<Bindings, PlanTimeSeries | null>>();

  constructor(
    private readonly mod: ModuleContext,
    private readonly options: RuleOptions,
  ) {}

  /** The recorded justification of Graph permission `name` for the client owning `inst`. */
  private justificationOf(inst: Instance, name: string): string | undefined {
    const meta = (inst.block.body["//"] as { metadata?: { path?: unknown } } | undefined)?.metadata;
    const resourcePath = typeof meta?.path === "string" ? meta.path : undefined;
    if (!resourcePath) return undefined;
    return this.options.justifiedGrants?.find(
      (g) =>
        resourcePath.startsWith(`${g.clientPath}/`) &&
        g.identifierUri === GRAPH_IDENTIFIER_URI &&
        g.scope.toLowerCase() === name.toLowerCase(),
    )?.justification;
  }

  /** Reports MCC011: an error, or a warning quoting the justification the program recorded. */
  private reportTier0(inst: Instance, what: string, tier0: string): void {
    const justification = this.justificationOf(inst, tier0);
    if (justification === undefined) {
      this.report(
        inst,
        "MCC011",
        "error",
        what,
        "Grant the narrowest permission that does the job (e.g. a .Read or .OwnedBy variant, or Sites.Selected), and keep tier-0 permissions out of pipelines.",
      );
    } else {
      this.report(
        inst,
        "MCC011",
        "warning",
        `${what} Justified in machine-clients.json: ${JSON.stringify(justification)}.`,
        "Review the justification with the permission's owner regularly, and move to a narrower permission when one does the job.",
      );
    }
  }

  public run(): Finding[] {
    for (const r of this.mod.resources) {
      for (const inst of this.instances(r)) this.checkResource(inst);
    }
    return this.findings;
  }

  private report(
    inst: Instance,
    ruleId: string,
    severity: Severity,
    message: string,
    fix: string,
  ): void {
    const key = `${ruleId}|${inst.address}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({
      ruleId,
      severity,
      file: inst.block.file,
      ...(inst.block.line !== undefined ? { line: inst.block.line } : {}),
      address: inst.address,
      message,
      fix,
    });
  }

  private note(inst: Instance, ruleId: string, what: string, why: Unknown): void {
    this.report(
      inst,
      ruleId,
      "note",
      `${what} cannot be known statically (${why.why}), so ${ruleId} was not checked here.`,
      "Review it by hand; where the value comes from a variable, a default lets the check evaluate it.",
    );
  }

  /** The resource's instances: one per known for_each key / count index, or one with unknowns. */
  private instances(block: TfBlock): Instance[] {
    const base = address(block);
    const b = block.body;
    if (b.count !== undefined) {
      const n = this.mod.eval(b.count);
      if (typeof n === "number" && Number.isFinite(n)) {
        const count = Math.min(Math.max(0, Math.floor(n)), MAX_INSTANCES);
        return Array.from({ length: count }, (_, i) => ({
          block,
          address: `${base}[${i}]`,
          bindings: new Map([["count", { index: i }]]),
        }));
      }
      return [{ block, address: base, bindings: new Map() }];
    }
    if (b.for_each !== undefined) {
      const coll = this.mod.eval(b.for_each);
      const entries = entriesOf(coll);
      if (entries) {
        return entries.slice(0, MAX_INSTANCES).map(([key, value]) => ({
          block,
          address: `${base}[${JSON.stringify(key)}]`,
          bindings: new Map([["each", { key, value }]]),
        }));
      }
    }
    return [{ block, address: base, bindings: new Map() }];
  }

  /** Static and dynamic sub-blocks named `name` of a body. */
  private blocks(body: Record<string, unknown>, name: string, bindings: Bindings): SubBlock[] {
    const out: SubBlock[] = asList(body[name]).map((b) => ({ body: b, bindings }));
    for (const dyn of asList(body.dynamic)) {
      for (const spec of asList(dyn[name])) {
        const iterator = iteratorName(spec.iterator) ?? name;
        const content = asList(spec.content)[0] ?? {};
        const coll = this.mod.eval(spec.for_each, bindings);
        const entries = entriesOf(coll);
        if (entries) {
          for (const [key, value] of entries) {
            out.push({ body: content, bindings: new Map(bindings).set(iterator, { key, value }) });
          }
        } else {
          const why = isUnknown(coll) ? coll.why : "its for_each is not a collection";
          out.push({
            body: content,
            bindings: new Map(bindings).set(
              iterator,
              new Unknown(`dynamic "${name}" block over ${why}`),
            ),
            unknownIteration: why,
          });
        }
      }
    }
    return out;
  }

  private checkResource(inst: Instance): void {
    const t = inst.block.type;
    if (t === "azuread_application") this.checkApplication(inst);
    else if (t === "azuread_application_api_access") this.checkApiAccess(inst);
    else if (t === "azuread_application_app_role") this.checkAppRoleResource(inst);
    else if (t === SP_TYPE) this.checkServicePrincipal(inst);
    else if (t === "azuread_app_role_assignment") this.checkAppRoleAssignment(inst);
    else if (t === "azuread_service_principal_delegated_permission_grant") this.checkGrant(inst);
    if (PASSWORD_TYPES.includes(t) || CERT_TYPES.includes(t)) this.checkCredential(inst);
  }

  // ---- the reference graph ----

  private appsReferencedBy(raw: unknown): string[] {
    return this.mod
      .refs(raw)
      .filter((r) => r.kind === "resource" && APP_TYPES.includes(r.type))
      .map((r) => `${r.type}.${r.name}`);
  }

  private spsReferencedBy(raw: unknown): string[] {
    return this.mod
      .refs(raw)
      .filter((r) => r.kind === "resource" && r.type === SP_TYPE)
      .map((r) => `${r.type}.${r.name}`);
  }

  /** The applications a resource's application reference points at (new and old names). */
  private appsOf(body: Record<string, unknown>): string[] {
    return this.appsReferencedBy(body.application_id ?? body.application_object_id);
  }

  /** The application of a service principal (client_id, or the older application_id). */
  private appOfSp(spAddr: string): string[] {
    const sp = this.mod.block(spAddr);
    return sp ? this.appsReferencedBy(sp.body.client_id ?? sp.body.application_id) : [];
  }

  /** The credentials (passwords and certificates) of an application, directly or on its SP. */
  private credentialsOf(appAddr: string): TfBlock[] {
    const out: TfBlock[] = [];
    for (const r of this.mod.resourcesOf(...PASSWORD_TYPES, ...CERT_TYPES)) {
      if (r.type.startsWith("azuread_application_")) {
        if (this.appsOf(r.body).includes(appAddr)) out.push(r);
      } else if (
        this.spsReferencedBy(r.body.service_principal_id).some((sp) =>
          this.appOfSp(sp).includes(appAddr),
        )
      ) {
        out.push(r);
      }
    }
    return out;
  }

  /** Whether the application has redirect URIs: true, false, or unknown with the reason. */
  private hasRedirectUris(appAddr: string): Tri {
    const app = this.mod.block(appAddr);
    let unknown: Unknown | undefined;
    const consider = (v: unknown): boolean => {
      if (isUnknown(v)) {
        unknown ??= v;
        return false;
      }
      return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null;
    };
    if (app && app.type === "azuread_application") {
      // azuread v1 kept redirect URIs in reply_urls.
      if (app.body.reply_urls !== undefined && consider(this.mod.eval(app.body.reply_urls))) {
        return true;
      }
      for (const kind of ["web", "single_page_application", "public_client"]) {
        for (const sub of this.blocks(app.body, kind, new Map())) {
          if (sub.body.redirect_uris === undefined) continue;
          if (consider(this.mod.eval(sub.body.redirect_uris, sub.bindings))) return true;
        }
      }
    }
    for (const r of this.mod.resourcesOf("azuread_application_redirect_uris")) {
      if (!this.appsOf(r.body).includes(appAddr)) continue;
      if (consider(this.mod.eval(r.body.redirect_uris))) return true;
    }
    return unknown ?? false;
  }

  /**
   * Whether an application exposes delegated permission scopes (`api { oauth2_permission_scope }`
   * or `azuread_application_permission_scope`): true, false, or unknown with the reason.
   */
  private exposesScopes(appAddr: string): Tri {
    const app = this.mod.block(appAddr);
    let unknown: Unknown | undefined;
    if (app && app.type === "azuread_application") {
      for (const api of this.blocks(app.body, "api", new Map())) {
        if (api.unknownIteration !== undefined) {
          unknown ??= new Unknown(`a dynamic "api" block over ${api.unknownIteration}`);
          continue;
        }
        for (const scope of this.blocks(api.body, "oauth2_permission_scope", api.bindings)) {
          if (scope.unknownIteration === undefined) return true;
          unknown ??= new Unknown(
            `a dynamic "oauth2_permission_scope" block over ${scope.unknownIteration}`,
          );
        }
      }
    }
    for (const r of this.mod.resourcesOf("azuread_application_permission_scope")) {
      if (this.appsOf(r.body).includes(appAddr)) return true;
    }
    return unknown ?? false;
  }

  /** Whether an application is a machine client: a password or certificate and no redirect URIs. */
  private isMachineClient(appAddr: string): Tri {
    const cached = this.machineClientCache.get(appAddr);
    if (cached !== undefined) return cached;
    let result: Tri;
    const app = this.mod.block(appAddr);
    // fallback_public_client_enabled, or azuread v1's public_client = true / type = "native".
    const publicClient = app
      ? this.mod.eval(app.body.fallback_public_client_enabled) === true ||
        this.mod.eval(app.body.public_client) === true ||
        this.mod.eval(app.body.type) === "native"
      : false;
    const exposes = this.exposesScopes(appAddr);
    if (this.credentialsOf(appAddr).length === 0) result = false;
    // A public client (device code, ROPC) signs users in: delegated permissions are its job.
    else if (publicClient === true) result = false;
    // An API that exposes delegated scopes is called on behalf of users, and may call further
    // APIs on their behalf (the on-behalf-of flow): its secret serves delegated permissions.
    else if (exposes === true) result = false;
    else if (isUnknown(exposes)) result = exposes;
    else {
      const redirects = this.hasRedirectUris(appAddr);
      result = redirects === true ? false : redirects === false ? true : redirects;
    }
    this.machineClientCache.set(appAddr, result);
    return result;
  }

  /** Whether a resource_app_id / api_client_id is Microsoft Graph's. */
  private isGraphApi(raw: unknown, bindings: Bindings): Tri {
    const v = this.mod.eval(raw, bindings);
    if (typeof v === "string") return v.toLowerCase() === GRAPH_APP_ID;
    for (const ref of this.mod.refs(raw)) {
      if (ref.kind === "data" && ref.type === "azuread_application_published_app_ids") {
        const key = pathKey(this.mod, ref.path, 1, bindings);
        if (ref.path[0] === "result" && key === "MicrosoftGraph") return true;
      }
      if (ref.type === SP_TYPE && this.isGraphSp(ref) === true) return true;
    }
    // The client id of an application declared here, or of a service principal that is not
    // Graph's, is some other API.
    const refs = this.mod.refs(raw);
    if (
      refs.length > 0 &&
      refs.every(
        (r) =>
          (r.kind === "resource" && APP_TYPES.includes(r.type)) ||
          (r.type === SP_TYPE && this.isGraphSp(r) === false),
      )
    ) {
      return false;
    }
    return isUnknown(v) ? v : false;
  }

  /** Whether a reference to a service principal (resource or data source) is Microsoft Graph's. */
  private isGraphSp(ref: Ref): Tri {
    const sp = this.mod.target(ref);
    if (!sp || sp.type !== SP_TYPE) return new Unknown(`${ref.type}.${ref.name} is not declared`);
    const id = sp.body.client_id ?? sp.body.application_id;
    if (id !== undefined) return this.isGraphApi(id, new Map());
    const name = this.mod.eval(sp.body.display_name);
    if (typeof name === "string") return name === "Microsoft Graph";
    return isUnknown(name) ? name : false;
  }

  /**
   * What a permission id expression is: a literal GUID, or a look-up by name in a service
   * principal's `app_role_ids` / `oauth2_permission_scope_ids` map.
   */
  private permissionOf(
    raw: unknown,
    bindings: Bindings,
  ):
    | { readonly id: string }
    | { readonly lookup: "Role" | "Scope"; readonly name: string; readonly graph: Tri }
    | Unknown {
    const v = this.mod.eval(raw, bindings);
    if (typeof v === "string") return { id: v.toLowerCase() };
    for (const ref of this.mod.refs(raw)) {
      const map = ref.path[0];
      if (map !== "app_role_ids" && map !== "oauth2_permission_scope_ids") continue;
      const name = pathKey(this.mod, ref.path, 1, bindings);
      if (typeof name !== "string")
        return new Unknown(
          `the permission name in ${ref.kind === "data" ? "data." : ""}${ref.type}.${ref.name}.${map}[…] is not known`,
        );
      return {
        lookup: map === "app_role_ids" ? "Role" : "Scope",
        name,
        graph: ref.type === SP_TYPE ? this.isGraphSp(ref) : false,
      };
    }
    return isUnknown(v) ? v : new Unknown(`the permission id is ${JSON.stringify(v)}`);
  }

  // ---- permissions requested by an application ----

  private checkApplication(inst: Instance): void {
    const app = inst.block;
    const appAddr = address(app);
    for (const rra of this.blocks(app.body, "required_resource_access", inst.bindings)) {
      for (const ra of this.blocks(rra.body, "resource_access", rra.bindings)) {
        this.checkPermission(
          inst,
          appAddr,
          rra.body.resource_app_id,
          ra.bindings,
          ra.body.id,
          ra.body.type,
          ra.unknownIteration ?? rra.unknownIteration,
        );
      }
    }
    for (const role of this.blocks(app.body, "app_role", inst.bindings)) {
      this.checkRoleId(inst, role.body.id, "app_role.id");
    }
  }

  private checkApiAccess(inst: Instance): void {
    const b = inst.block.body;
    const apps = this.appsOf(b);
    for (const [attr, type] of [
      ["role_ids", "Role"],
      ["scope_ids", "Scope"],
    ] as const) {
      if (b[attr] === undefined) continue;
      const node = toNode(b[attr]);
      // A written list: check each element as an expression of its own.
      let ids: unknown[];
      if (node.t === "list") ids = node.items.map(nodeRaw);
      else {
        const list = this.mod.eval(b[attr], inst.bindings);
        if (!Array.isArray(list)) {
          const why = isUnknown(list) ? list : new Unknown(`${attr} is ${JSON.stringify(list)}`);
          if (this.isGraphApi(b.api_client_id, inst.bindings) !== false || type === "Scope") {
            this.note(inst, type === "Role" ? "MCC011" : "MCC001", attr, why);
          }
          continue;
        }
        ids = list.map((v) => (isUnknown(v) ? new ParsedExpression(opaque(v)) : v));
      }
      for (const id of ids) {
        for (const appAddr of apps.length ? apps : [""]) {
          this.checkPermission(inst, appAddr, b.api_client_id, inst.bindings, id, type);
        }
      }
    }
  }

  /** Checks one requested permission: rules MCC001, MCC002, MCC003, MCC011. */
  private checkPermission(
    inst: Instance,
    appAddr: string,
    apiRaw: unknown,
    bindings: Bindings,
    idRaw: unknown,
    typeRaw: unknown,
    /** Why the block may not exist at all (a dynamic block over an unknown collection). */
    unknownIteration?: string,
  ): void {
    const typeVal = this.mod.eval(typeRaw, bindings);
    const declared: "Role" | "Scope" | Unknown =
      typeVal === "Role" || typeVal === "Scope"
        ? typeVal
        : isUnknown(typeVal)
          ? typeVal
          : new Unknown(`type is ${JSON.stringify(typeVal)}`);
    const perm = this.permissionOf(idRaw, bindings);
    const api = this.isGraphApi(apiRaw, bindings);

    // What the permission really is, as far as can be known.
    let kind: "Role" | "Scope" | "both" | undefined;
    let name: string | undefined;
    let graph: Tri = api;
    if (!isUnknown(perm) && "id" in perm) {
      const app = GRAPH_APPLICATION_PERMISSION_IDS[perm.id];
      const del = GRAPH_DELEGATED_PERMISSION_IDS[perm.id];
      if (app !== undefined || del !== undefined) {
        graph = true; // Graph's ids are GUIDs: unique whatever resource_app_id says.
        kind =
          app !== undefined && del !== undefined ? "both" : app !== undefined ? "Role" : "Scope";
        name = app ?? del;
      } else if (api === true) {
        this.report(
          inst,
          "MCC002",
          "error",
          `Microsoft Graph permission id ${perm.id} is in neither Graph's application nor its delegated permission table.`,
          "Use the id of an existing Graph permission (see Microsoft Graph's permissions reference), or look it up by name with data.azuread_service_principal's app_role_ids.",
        );
        return;
      }
    } else if (!isUnknown(perm)) {
      kind = perm.lookup;
      name = perm.name;
      graph = perm.graph;
      if (graph === true) {
        const names = perm.lookup === "Role" ? APPLICATION_NAMES : DELEGATED_NAMES;
        // Terraform map look-ups are case-sensitive, like the names in the map.
        if (!names.has(perm.name)) {
          this.report(
            inst,
            "MCC002",
            "error",
            `Microsoft Graph has no ${perm.lookup === "Role" ? "application" : "delegated"} permission named "${perm.name}".`,
            "Check the permission's name in Microsoft Graph's permissions reference.",
          );
          return;
        }
      }
    } else if (api !== false) {
      this.note(
        inst,
        api === true && declared === "Role" ? "MCC011" : "MCC002",
        "A requested permission's id",
        perm,
      );
    }

    // MCC003: the declared type contradicts the permission's kind.
    if (!isUnknown(declared) && kind !== undefined && kind !== "both" && kind !== declared) {
      const lookupMap = kind === "Role" ? "app_role_ids" : "oauth2_permission_scope_ids";
      this.report(
        inst,
        "MCC003",
        "error",
        `${graph === true ? "Microsoft Graph permission" : "Permission"} ${name ?? "(unnamed)"} is ${kind === "Role" ? "an application permission" : "a delegated permission"} but is declared with type = "${declared}".`,
        `Declare it with type = "${kind}", or use the matching permission (${lookupMap}).`,
      );
    }

    // MCC001: delegated permission on a machine client.
    const effective: "Role" | "Scope" | Unknown = !isUnknown(declared)
      ? declared
      : kind === "Role" || kind === "Scope"
        ? kind
        : declared;
    if (appAddr && (effective === "Scope" || isUnknown(effective))) {
      const mc = this.isMachineClient(appAddr);
      if (effective === "Scope" && mc === true && unknownIteration !== undefined) {
        // The block comes from a dynamic block over an unknown collection: maybe none at all.
        this.note(
          inst,
          "MCC001",
          `Whether ${appAddr} (a machine client) requests any delegated permission`,
          new Unknown(`a dynamic block over ${unknownIteration}`),
        );
      } else if (effective === "Scope" && mc === true) {
        this.report(
          inst,
          "MCC001",
          "error",
          `${appAddr} is a machine client (it holds a password or certificate and has no redirect URIs) but requests delegated permission ${name ?? describeId(perm)}; delegated permissions never apply to the client credentials flow.`,
          'Request the application permission (an app role, type = "Role") that the client needs instead, and remove the delegated one.',
        );
      } else if (effective === "Scope" && isUnknown(mc)) {
        this.note(inst, "MCC001", `Whether ${appAddr} is a machine client`, mc);
      } else if (isUnknown(effective) && mc !== false) {
        this.note(inst, "MCC001", "A requested permission's type", effective);
      }
    }

    // MCC011: Graph tier-0 application permission.
    if (graph === true && (effective === "Role" || kind === "Role") && name !== undefined) {
      const tier0 = TIER0_GRAPH_APPLICATION_PERMISSIONS.find(
        (t) => t.toLowerCase() === name!.toLowerCase(),
      );
      if (tier0 && (kind === "Role" || kind === "both") && effective !== "Scope") {
        this.reportTier0(
          inst,
          `${appAddr || address(inst.block)} requests Microsoft Graph tier-0 application permission ${tier0}.`,
          tier0,
        );
      }
    }
  }

  // ---- app roles ----

  private checkAppRoleResource(inst: Instance): void {
    this.checkRoleId(inst, inst.block.body.role_id, "role_id");
  }

  private checkRoleId(inst: Instance, raw: unknown, attr: string): void {
    if (raw === undefined) return;
    const random = this.mod
      .refs(raw)
      .find((r) => r.kind === "resource" && r.type === "random_uuid");
    const calls = this.mod.calls(raw);
    if (random || calls.has("uuid")) {
      this.report(
        inst,
        "MCC010",
        "error",
        `${attr} comes from ${random ? `random_uuid.${random.name}` : "uuid()"}: an app role id must never change, and assignments point at it.`,
        'Use a fixed UUID written in the configuration, or one derived from the role\'s value (e.g. uuidv5("url", "<identifier uri>/<value>")).',
      );
    }
  }

  /** Whether the application exposes app roles to applications: true, false, or unknown. */
  private exposesAppRoles(appAddr: string): Tri {
    const app = this.mod.block(appAddr);
    let unknown: Unknown | undefined;
    const consider = (types: unknown, unknownIteration: string | undefined): boolean => {
      if (isUnknown(types)) {
        unknown ??= types;
        return false;
      }
      const forApps = Array.isArray(types) && types.includes("Application");
      if (forApps && unknownIteration) {
        unknown ??= new Unknown(`the app roles come from a dynamic block over ${unknownIteration}`);
        return false;
      }
      return forApps;
    };
    if (app && app.type === "azuread_application") {
      for (const role of this.blocks(app.body, "app_role", new Map())) {
        if (
          consider(
            this.mod.eval(role.body.allowed_member_types, role.bindings),
            role.unknownIteration,
          )
        ) {
          return true;
        }
      }
    }
    for (const r of this.mod.resourcesOf("azuread_application_app_role")) {
      if (!this.appsOf(r.body).includes(appAddr)) continue;
      if (consider(this.mod.eval(r.body.allowed_member_types), undefined)) return true;
    }
    return unknown ?? false;
  }

  private checkServicePrincipal(inst: Instance): void {
    const b = inst.block.body;
    const apps = this.appsReferencedBy(b.client_id ?? b.application_id);
    for (const appAddr of apps) {
      const exposes = this.exposesAppRoles(appAddr);
      if (exposes === false) continue;
      const required =
        b.app_role_assignment_required === undefined
          ? false
          : this.mod.eval(b.app_role_assignment_required, inst.bindings);
      if (required === true) continue;
      if (isUnknown(required)) {
        this.note(inst, "MCC009", "app_role_assignment_required", required);
      } else if (isUnknown(exposes)) {
        this.note(inst, "MCC009", `Whether ${appAddr} exposes app roles to applications`, exposes);
      } else {
        this.report(
          inst,
          "MCC009",
          "error",
          `${appAddr} exposes app roles to applications, but its service principal does not set app_role_assignment_required = true (got ${JSON.stringify(required ?? null)}), so any app in the tenant can get a token for it.`,
          "Set app_role_assignment_required = true on the API's service principal.",
        );
      }
    }
  }

  /**
   * MCC012: an assignment of a literal role id on an API whose application is in this module,
   * and which declares that role disabled or not at all.
   */
  private checkAssignedRoleDeclared(inst: Instance): void {
    const b = inst.block.body;
    const roleId = this.mod.eval(b.app_role_id, inst.bindings);
    if (typeof roleId !== "string" || !GUID.test(roleId)) return;
    for (const sp of this.spsReferencedBy(b.resource_object_id)) {
      for (const appAddr of this.appOfSp(sp)) {
        const roles = this.declaredRoles(appAddr);
        if (roles === undefined) continue;
        const role = roles.find((r) => r.id === roleId.toLowerCase());
        if (!role) {
          this.report(
            inst,
            "MCC012",
            "error",
            `${address(inst.block)} assigns app role id ${roleId}, which ${appAddr} does not declare: the role was removed (or the id is wrong), so the assignment fails.`,
            "Remove the assignment (and every other one of the role, in every stack) before removing the role; or declare the role again.",
          );
        } else if (role.enabled === false) {
          this.report(
            inst,
            "MCC012",
            "error",
            `${address(inst.block)} assigns app role ${role.value ? `"${role.value}" ` : ""}(${roleId}), which ${appAddr} declares disabled (retired): disabling a role does not revoke it, so the client keeps it in its tokens while this assignment exists.`,
            "Remove the assignment; remove the role only once no stack assigns it.",
          );
        }
      }
    }
  }

  /**
   * The app roles an application declares (its `app_role` blocks and `azuread_application_app_role`
   * resources): id, value and enabled; `undefined` when any of them cannot be known statically.
   */
  private declaredRoles(
    appAddr: string,
  ): { id: string; value?: string; enabled: boolean }[] | undefined {
    const app = this.mod.block(appAddr);
    if (!app || app.type !== "azuread_application") return undefined;
    const out: { id: string; value?: string; enabled: boolean }[] = [];
    const read = (body: Record<string, unknown>, bindings: Bindings, idKey: string): boolean => {
      const id = this.mod.eval(body[idKey], bindings);
      const enabled = body.enabled === undefined ? true : this.mod.eval(body.enabled, bindings);
      const value = body.value === undefined ? undefined : this.mod.eval(body.value, bindings);
      if (typeof id !== "string" || typeof enabled !== "boolean") return false;
      out.push({
        id: id.toLowerCase(),
        enabled,
        ...(typeof value === "string" ? { value } : {}),
      });
      return true;
    };
    for (const role of this.blocks(app.body, "app_role", new Map())) {
      if (role.unknownIteration || !read(role.body, role.bindings, "id")) return undefined;
    }
    for (const r of this.mod.resourcesOf("azuread_application_app_role")) {
      if (!this.appsOf(r.body).includes(appAddr)) continue;
      if (r.body.count !== undefined || r.body.for_each !== undefined) return undefined;
      if (!read(r.body, new Map(), "role_id")) return undefined;
    }
    return out;
  }

  private checkAppRoleAssignment(inst: Instance): void {
    this.checkAssignedRoleDeclared(inst);
    const b = inst.block.body;
    const graphSp = this.mod
      .refs(b.resource_object_id)
      .some((r) => r.type === SP_TYPE && this.isGraphSp(r) === true);
    const perm = this.permissionOf(this.eachSource(b.app_role_id, inst), inst.bindings);
    const principalApps = this.spsReferencedBy(b.principal_object_id).flatMap((sp) =>
      this.appOfSp(sp),
    );
    const who = principalApps[0] ?? address(inst.block);
    if (isUnknown(perm)) {
      if (graphSp) this.note(inst, "MCC011", "app_role_id", perm);
      return;
    }
    let name: string | undefined;
    if ("id" in perm) {
      if (!graphSp && GRAPH_APPLICATION_PERMISSION_IDS[perm.id] === undefined) return;
      name = GRAPH_APPLICATION_PERMISSION_IDS[perm.id];
      if (name === undefined) {
        const delegated = GRAPH_DELEGATED_PERMISSION_IDS[perm.id];
        this.report(
          inst,
          delegated ? "MCC003" : "MCC002",
          "error",
          delegated
            ? `app_role_id ${perm.id} is Microsoft Graph's delegated permission ${delegated}, not an app role.`
            : `app_role_id ${perm.id} is not a Microsoft Graph application permission.`,
          'Assign the id of a Graph application permission (data.azuread_service_principal\'s app_role_ids["<name>"]).',
        );
        return;
      }
    } else {
      if (perm.graph !== true && !graphSp) return;
      if (perm.lookup === "Scope") {
        this.report(
          inst,
          "MCC003",
          "error",
          `app_role_id looks up delegated permission ${perm.name} (oauth2_permission_scope_ids): an app role assignment needs an app role.`,
          'Use app_role_ids["<name>"] instead.',
        );
        return;
      }
      name = perm.name;
      if (!APPLICATION_NAMES.has(name)) {
        this.report(
          inst,
          "MCC002",
          "error",
          `Microsoft Graph has no application permission named "${name}".`,
          "Check the permission's name in Microsoft Graph's permissions reference.",
        );
        return;
      }
    }
    const tier0 = TIER0_GRAPH_APPLICATION_PERMISSIONS.find(
      (t) => t.toLowerCase() === name!.toLowerCase(),
    );
    if (tier0) {
      this.reportTier0(
        inst,
        `${who} is assigned Microsoft Graph tier-0 application permission ${tier0}.`,
        tier0,
      );
    }
  }

  private checkGrant(inst: Instance): void {
    const b = inst.block.body;
    for (const sp of this.spsReferencedBy(b.service_principal_object_id)) {
      for (const appAddr of this.appOfSp(sp)) {
        const mc = this.isMachineClient(appAddr);
        if (mc === true) {
          this.report(
            inst,
            "MCC001",
            "error",
            `${appAddr} is a machine client but is granted delegated permissions (${describe(this.mod.eval(b.claim_values, inst.bindings))}); delegated permissions never apply to the client credentials flow.`,
            "Remove the delegated permission grant and assign application permissions (azuread_app_role_assignment) instead.",
          );
        } else if (isUnknown(mc)) {
          this.note(inst, "MCC001", `Whether ${appAddr} is a machine client`, mc);
        }
      }
    }
  }

  // ---- credentials ----

  private checkCredential(inst: Instance): void {
    const b = inst.block.body;
    const isPassword = PASSWORD_TYPES.includes(inst.block.type);
    const noun = isPassword ? "password" : "certificate";
    const max = isPassword ? this.options.maxSecretDays : this.options.maxCertificateDays;

    // MCC006: arguments that change on every run force a replacement on every apply.
    const ignored = ignoredChanges(b);
    for (const attr of ["end_date", "start_date", "rotate_when_changed", "end_date_relative"]) {
      // lifecycle { ignore_changes = [attr] } keeps the first value: no replacement.
      if (b[attr] === undefined || ignored === "all" || ignored.has(attr)) continue;
      const fn = EVERY_RUN.find((f) => this.mod.calls(b[attr]).has(f));
      // A value keyed on a calendar period of the plan time (floor(unix / period)) stays the same
      // between plans close together: a rotation trigger, not a replacement on every apply.
      if (fn && this.planTimeSeries(b[attr], inst.bindings)?.everyRun !== false) {
        this.report(
          inst,
          "MCC006",
          "error",
          `${attr} is built from ${fn}(), which changes on every run; every argument of a ${noun} forces a new one, so it is replaced on every apply.`,
          'Compute it from a time_rotating resource instead, e.g. end_date = timeadd(time_rotating.x.id, "1440h") with rotate_when_changed = { rotation = time_rotating.x.id }.',
        );
      }
    }

    // MCC004 / MCC005: the end date.
    // null (written, or a variable's default) leaves the argument unset.
    const unset = (raw: unknown): boolean =>
      raw === undefined || raw === null || this.mod.eval(raw, inst.bindings) === null;
    if (unset(b.end_date) && unset(b.end_date_relative)) {
      if (isPassword) {
        this.report(
          inst,
          "MCC004",
          "error",
          `The password has no end_date, so Entra makes it valid for two years, beyond the policy maximum of ${max} days.`,
          `Set end_date, e.g. timeadd(time_rotating.x.id, "${max * 24}h"), within ${max} days.`,
        );
      } else {
        this.note(
          inst,
          "MCC005",
          "The certificate's end date (taken from the certificate itself)",
          new Unknown("no end_date is set"),
        );
      }
    } else {
      const validity = this.validityDays(b, inst.bindings);
      const days = typeof validity === "object" && !isUnknown(validity) ? validity.days : validity;
      const when =
        typeof validity === "object" && !isUnknown(validity)
          ? ` when planned at ${rfc3339(validity.planTime)} (the worst case over plans in the next two years)`
          : "";
      if (isUnknown(days)) {
        // MCC006 already reports an end date that changes on every run, unless ignore_changes
        // keeps its first value: then nothing else would mention it.
        const endIgnored = ignored === "all" || ignored.has("end_date");
        if (endIgnored || !EVERY_RUN.some((f) => this.mod.calls(b.end_date).has(f))) {
          this.note(inst, "MCC005", "The end date", days);
        }
      } else if (days > max) {
        this.report(
          inst,
          "MCC005",
          "error",
          `The ${noun} is valid for ${formatDays(days)} days${when}, beyond the policy maximum of ${max} days.`,
          `Use an end date at most ${max} days away (and rotate before then).`,
        );
      }
    }

    // MCC007 / MCC008: the rotation trigger (passwords only; certificates rotate with their value).
    if (!isPassword) return;
    // Every argument forces a new password, so one that follows a changing resource (end_date =
    // timeadd(time_rotating.x.id, …), value = random_password.x.result) rotates it as well.
    // An argument in lifecycle { ignore_changes } keeps its first value, so it rotates nothing.
    const follows = Object.keys(b).some(
      (attr) =>
        !NOT_TRIGGERS.has(attr) &&
        ignored !== "all" &&
        !ignored.has(attr) &&
        (this.mod
          .refs(b[attr])
          .some(
            (r) =>
              r.kind === "resource" && !r.type.startsWith("azuread_") && !this.isConstantRef(r),
          ) ||
          this.isPeriodic(b[attr], inst.bindings) ||
          this.changesEveryRun(b[attr], inst.bindings)),
    );
    if (follows) return;
    // lifecycle { replace_triggered_by = [time_rotating.x.id] } replaces it like a trigger does.
    const replacedBy = asList(b.lifecycle).some((lc) =>
      this.mod
        .refs(lc.replace_triggered_by)
        .some(
          (r) => r.kind === "resource" && !r.type.startsWith("azuread_") && !this.isConstantRef(r),
        ),
    );
    if (replacedBy) return;
    const trigger = b.rotate_when_changed;
    if (trigger !== undefined && (ignored === "all" || ignored.has("rotate_when_changed"))) {
      this.report(
        inst,
        "MCC007",
        "warning",
        "rotate_when_changed is listed in lifecycle ignore_changes, so its changes are ignored and the password is never replaced before it expires.",
        "Remove rotate_when_changed (and end_date) from ignore_changes, so that the time_rotating trigger replaces the password.",
      );
      return;
    }
    if (trigger === undefined) {
      this.report(
        inst,
        "MCC007",
        "warning",
        "The password has no rotate_when_changed trigger, so it is never replaced before it expires.",
        "Add rotate_when_changed = { rotation = time_rotating.x.id } with a time_rotating resource shorter than the validity.",
      );
      return;
    }
    if (EVERY_RUN.some((f) => this.mod.calls(trigger).has(f))) {
      const series = this.planTimeSeries(trigger, inst.bindings);
      // Unknown or changing on every apply: MCC006 said it; a calendar period: a real trigger.
      if (!series || series.everyRun || series.changes) return;
      this.report(
        inst,
        "MCC008",
        "warning",
        `rotate_when_changed depends on the plan time but stays ${describe(series.values[0])} over every plan in the next two years, so it never triggers a rotation.`,
        "Key it on a shorter calendar period of the plan time, or refer to a time_rotating resource: rotate_when_changed = { rotation = time_rotating.x.id }.",
      );
      return;
    }
    const refs = this.mod.refs(trigger).filter((r) => !this.isConstantRef(r));
    if (refs.length > 0) return;
    const usesVar = usesVariables(this.mod, trigger);
    if (usesVar) {
      this.note(
        inst,
        "MCC008",
        "Whether rotate_when_changed ever changes",
        new Unknown(`it depends only on ${usesVar}, which changes only when someone sets it`),
      );
      return;
    }
    const value = this.mod.eval(trigger, inst.bindings);
    // Constant references (a time_static) are unknown until apply but never change; anything
    // else unknown (an unknown for_each's each.value) may.
    const unknownPart = this.mod.refs(trigger).length === 0 ? findUnknown(value) : undefined;
    if (unknownPart) {
      this.note(inst, "MCC008", "rotate_when_changed", unknownPart);
      return;
    }
    this.report(
      inst,
      "MCC008",
      "warning",
      `rotate_when_changed is a constant (${describe(value)}), so it never triggers a rotation.`,
      "Refer to a time_rotating resource: rotate_when_changed = { rotation = time_rotating.x.id }.",
    );
  }

  /**
   * The expression `each.value` stands for: the element written in the resource's `for_each`
   * object (directly or through a local), so that a look-up such as
   * `data.azuread_service_principal.x.app_role_ids["Name"]` is still recognised; otherwise `raw`.
   */
  private eachSource(raw: unknown, inst: Instance): unknown {
    const node = toNode(raw);
    const each = inst.bindings.get("each") as { key?: unknown } | undefined;
    if (
      node.t !== "trav" ||
      node.root !== "each" ||
      node.path.length !== 1 ||
      node.path[0] !== "value" ||
      !each ||
      typeof each.key !== "string"
    ) {
      return raw;
    }
    let fe = inst.block.body.for_each;
    const feNode = toNode(fe);
    if (feNode.t === "trav" && feNode.root === "local" && feNode.path.length === 1) {
      const name = feNode.path[0];
      if (typeof name === "string") fe = this.mod.local(name);
    }
    if (typeof fe !== "object" || fe === null || Array.isArray(fe)) return raw;
    if (fe instanceof ParsedExpression) return raw;
    const element = (fe as Record<string, unknown>)[each.key];
    return element === undefined ? raw : element;
  }

  /**
   * A time_static or random_* whose triggers / keepers are absent, or refer only to Entra objects
   * (whose ids never change) and constants, never changes.
   */
  private isConstantRef(ref: Ref): boolean {
    const b = this.mod.target(ref);
    if (!b) return false;
    const keys =
      ref.type === "time_static"
        ? b.body.triggers
        : ref.type.startsWith("random_")
          ? b.body.keepers
          : false;
    if (keys === false) return false;
    if (keys === undefined) return true;
    if (usesVariables(this.mod, keys) !== undefined) return false;
    if (EVERY_RUN.some((f) => this.mod.calls(keys).has(f))) return false;
    return this.mod
      .refs(keys)
      .every(
        (r) =>
          r.kind === "resource" &&
          r.type.startsWith("azuread_") &&
          ["id", "object_id", "client_id", "application_id"].includes(String(r.path[0])),
      );
  }

  /**
   * An argument's values at simulated plan times (see {@link PlanTimeSeries}); undefined when it
   * does not use the plan time or cannot be evaluated at every one.
   */
  private planTimeSeries(raw: unknown, bindings: Bindings): PlanTimeSeries | undefined {
    const calls = this.mod.calls(raw);
    if (!PLAN_TIME.some((f) => calls.has(f))) return undefined;
    const cached = this.seriesCache.get(raw)?.get(bindings);
    if (cached !== undefined) return cached ?? undefined;
    const series = this.simulate(raw, bindings);
    let byBindings = this.seriesCache.get(raw);
    if (!byBindings) this.seriesCache.set(raw, (byBindings = new Map()));
    byBindings.set(bindings, series ?? null);
    return series;
  }

  private simulate(raw: unknown, bindings: Bindings): PlanTimeSeries | undefined {
    const node = toNode(raw);
    const base = this.options.now.getTime();
    const times: number[] = [];
    const values: unknown[] = [];
    const keys: string[] = [];
    let changedSoon = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const t = base + i * SAMPLE_STEP_MS;
      const v = this.mod.evalNode(node, bindings, t);
      if (findUnknown(v)) return undefined;
      const key = JSON.stringify(v);
      if (i % CLOSE_EVERY === 0) {
        const soon = this.mod.evalNode(node, bindings, t + CLOSE_MS);
        if (findUnknown(soon)) return undefined;
        if (JSON.stringify(soon) !== key) changedSoon++;
      }
      times.push(t);
      values.push(v);
      keys.push(key);
    }
    return {
      times,
      values,
      keys,
      everyRun: changedSoon * 2 > CLOSE_PAIRS,
      changes: changedSoon > 0 || keys.some((k) => k !== keys[0]),
    };
  }

  /** Whether an argument follows a calendar period of the plan time (changes, but not every apply). */
  /**
   * Whether a value changes on every run (MCC006 reports it): it replaces the password on every
   * apply, so "never replaced" (MCC007) would contradict it.
   */
  private changesEveryRun(raw: unknown, bindings: Bindings): boolean {
    if (!EVERY_RUN.some((f) => this.mod.calls(raw).has(f))) return false;
    return this.planTimeSeries(raw, bindings)?.everyRun !== false;
  }

  private isPeriodic(raw: unknown, bindings: Bindings): boolean {
    const series = this.planTimeSeries(raw, bindings);
    return series !== undefined && !series.everyRun && series.changes;
  }

  /**
   * The worst-case validity of an end date computed from the plan time: the largest end date −
   * plan time over the simulated plans, each jump of the end date located to the second (the
   * validity is largest just after one).
   */
  private planTimeValidity(
    raw: unknown,
    bindings: Bindings,
  ): { days: number; planTime: number } | Unknown | undefined {
    const series = this.planTimeSeries(raw, bindings);
    if (!series) return undefined;
    const node = toNode(raw);
    const endAt = (i: number): number | Unknown => {
      const end = parseRfc3339(series.values[i]);
      return end ?? new Unknown(`end_date ${JSON.stringify(series.values[i])} is not a date`);
    };
    let worst = { days: -Infinity, planTime: series.times[0] };
    const consider = (end: number, t: number): void => {
      const days = (end - t) / DAY_MS;
      if (days > worst.days) worst = { days, planTime: t };
    };
    for (let i = 0; i < series.times.length; i++) {
      const end = endAt(i);
      if (isUnknown(end)) return end;
      consider(end, series.times[i]);
      if (i === 0 || series.keys[i] === series.keys[i - 1]) continue;
      // The end date jumped between the previous plan and this one: find the first second of it.
      let lo = series.times[i - 1];
      let hi = series.times[i];
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2);
        const v = this.mod.evalNode(node, bindings, mid);
        if (JSON.stringify(v) === series.keys[i - 1]) lo = mid;
        else hi = mid;
      }
      const first = parseRfc3339(this.mod.evalNode(node, bindings, hi));
      if (first !== undefined) consider(first, hi);
    }
    return worst;
  }

  /** How many days from creation the credential's end date lies, or why that cannot be known. */
  private validityDays(
    b: Record<string, unknown>,
    bindings: Bindings,
  ): number | Unknown | { days: number; planTime: number } {
    if (b.end_date_relative !== undefined && b.end_date_relative !== null) {
      const rel = this.mod.eval(b.end_date_relative, bindings);
      if (isUnknown(rel)) return rel;
      const h = durationHours(String(rel));
      return h === undefined
        ? new Unknown(`end_date_relative ${JSON.stringify(rel)} is not a duration`)
        : h / 24;
    }
    const v = this.mod.eval(b.end_date, bindings);
    if (typeof v === "string") {
      const t = Date.parse(v);
      if (Number.isNaN(t)) return new Unknown(`end_date ${JSON.stringify(v)} is not a date`);
      return (t - this.options.now.getTime()) / 86_400_000;
    }
    // Computed from the plan time: simulate plans and take the worst case.
    const simulated = this.planTimeValidity(b.end_date, bindings);
    if (simulated !== undefined) return simulated;
    const node = toNode(b.end_date);
    // timeadd(<base>, "<duration>"): the validity is the duration from the base.
    if (node.t === "call" && node.name === "timeadd" && node.args.length === 2) {
      const dur = this.mod.evalNode(node.args[1], bindings);
      if (isUnknown(dur)) return dur;
      const h = durationHours(String(dur));
      if (h === undefined)
        return new Unknown(`timeadd's duration ${JSON.stringify(dur)} is not a duration`);
      return h / 24 + this.offsetDays(node.args[0]);
    }
    // time_rotating.x.rotation_rfc3339 / time_offset.x.rfc3339: the rotation period or offset.
    if (node.t === "trav") {
      const days = this.timeResourceDays(node.root, node.path);
      if (days !== undefined) return days;
    }
    return isUnknown(v) ? v : new Unknown(`end_date is ${JSON.stringify(v)}`);
  }

  /** Days a base time lies ahead of creation (a time_offset's offset; otherwise 0). */
  private offsetDays(base: Node): number {
    if (base.t !== "trav" || base.root !== "time_offset") return 0;
    return this.timeResourceDays(base.root, base.path) ?? 0;
  }

  private timeResourceDays(type: string, path: readonly (string | Node)[]): number | undefined {
    const name = path[0];
    if (typeof name !== "string") return undefined;
    const attr = path.find((p, i) => i > 0 && typeof p === "string");
    const r = this.mod.block(`${type}.${name}`);
    if (!r) return undefined;
    const n = (k: string): number => {
      const v = this.mod.eval(r.body[k]);
      return typeof v === "number" ? v : 0;
    };
    if (type === "time_rotating" && attr === "rotation_rfc3339") {
      return (
        n("rotation_days") +
        n("rotation_months") * 31 +
        n("rotation_years") * 366 +
        n("rotation_hours") / 24 +
        n("rotation_minutes") / 1440
      );
    }
    if (
      (type === "tls_self_signed_cert" || type === "tls_locally_signed_cert") &&
      attr === "validity_end_time"
    ) {
      return n("validity_period_hours") / 24;
    }
    if (type === "time_offset" && (attr === "rfc3339" || attr === "id")) {
      return (
        n("offset_days") +
        n("offset_months") * 31 +
        n("offset_years") * 366 +
        n("offset_hours") / 24 +
        n("offset_minutes") / 1440 +
        n("offset_seconds") / 86400
      );
    }
    return undefined;
  }
}

/** The attributes a resource's `lifecycle { ignore_changes }` lists, or "all". */
function ignoredChanges(body: Record<string, unknown>): Set<string> | "all" {
  const out = new Set<string>();
  for (const lc of asList(body.lifecycle)) {
    const ic = lc.ignore_changes;
    const names = (Array.isArray(ic) ? ic : [ic]).map((x) =>
      typeof x === "string" ? x.replace(/^\$\{\s*|\s*\}$/g, "") : "",
    );
    if (names.includes("all")) return "all";
    names.forEach((n) => out.add(n));
  }
  return out;
}

/** `for_each` collections as [key, value] entries: lists and sets key by value, maps by key. */
function entriesOf(coll: unknown): [string | number, unknown][] | undefined {
  if (isUnknown(coll)) return undefined;
  if (Array.isArray(coll)) {
    if (coll.some(isUnknown)) return undefined;
    return coll.map((v, i) => [typeof v === "string" ? v : i, v]);
  }
  if (typeof coll === "object" && coll !== null) return Object.entries(coll);
  return undefined;
}

/** A dynamic block's `iterator = name` (hcl2json gives `"${name}"`). */
function iteratorName(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const m = /^\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/.exec(raw);
  return m ? m[1] : raw;
}

/** A literal key in a reference path (`result["MicrosoftGraph"]`, `app_role_ids[each.value]`). */
function pathKey(
  mod: ModuleContext,
  path: readonly (string | Node)[],
  i: number,
  bindings: Bindings,
): unknown {
  const step = path[i];
  if (step === undefined) return undefined;
  return typeof step === "string" ? step : mod.evalNode(step, bindings);
}

/** The first variable an expression uses (following locals), for messages. */
function usesVariables(mod: ModuleContext, raw: unknown): string | undefined {
  let found: string | undefined;
  walk(toNode(raw), (n) => {
    if (found || n.t !== "trav") return;
    if (n.root === "var" && typeof n.path[0] === "string") found = `var.${n.path[0]}`;
    if (n.root === "local" && typeof n.path[0] === "string") {
      found = usesVariables(mod, localRaw(mod, n.path[0]));
    }
  });
  return found;
}

function localRaw(mod: ModuleContext, name: string): unknown {
  return mod.local(name);
}

/** The first unknown inside a value (itself, or an element or member), if any. */
function findUnknown(v: unknown): Unknown | undefined {
  if (isUnknown(v)) return v;
  if (Array.isArray(v)) return v.map(findUnknown).find((u) => u !== undefined);
  if (typeof v === "object" && v !== null) {
    return Object.values(v)
      .map(findUnknown)
      .find((u) => u !== undefined);
  }
  return undefined;
}

/** An expression that evaluates to the given unknown (its reason kept). */
function opaque(u: Unknown): Node {
  return { t: "opaque", what: u.why, children: [] };
}

/** Turns an expression node back into a raw value the module can evaluate. */
function nodeRaw(n: Node): unknown {
  return new ParsedExpression(n);
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function describeId(perm: unknown): string {
  if (perm && typeof perm === "object" && "id" in perm) return String((perm as { id: string }).id);
  return "(id not known statically)";
}

function formatDays(d: number): string {
  return d >= 10 ? String(Math.round(d)) : String(Math.round(d * 10) / 10);
}
