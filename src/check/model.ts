/**
 * The module model the rules read: a module's resource instances and the relations between them,
 * each computed once — which credential belongs to which application (directly, or through its
 * service principal), which application is a machine client, which service principal is
 * Microsoft Graph's, which API each requested permission is on and what it is.
 */
import {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_APP_ID,
  GRAPH_DELEGATED_PERMISSION_IDS,
  GRAPH_IDENTIFIER_URI,
} from "./graph-ids";
import { Origin, Unknown, isUnknown } from "./expr";
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
import { CredentialFacts } from "./credential-facts";
import { RuleOptions } from "./types";

/** True, false, or unknown with the reason. */
export type Tri = true | false | Unknown;

/** One instance of a resource: a `for_each` key or `count` index with its bindings. */
export interface Instance {
  /** The resource block. */
  readonly block: TfBlock;
  /** The instance's address, e.g. `azuread_application_password.p["a"]`. */
  readonly address: string;
  /** `each` / `count` bindings of the instance (none where the collection is unknown). */
  readonly bindings: Bindings;
  /** Why the number of instances is unknown, when one instance stands for all. */
  readonly unknownIteration?: string;
}

/** A sub-block with the bindings of the dynamic block it came from, if any. */
export interface SubBlock {
  /** The sub-block's arguments. */
  readonly body: Record<string, unknown>;
  /** The bindings in force inside it (a dynamic block's iterator among them). */
  readonly bindings: Bindings;
  /** Why the block's count is unknown (a dynamic block over an unknown collection). */
  readonly unknownIteration?: string;
}

/** What a permission id expression is: a literal id, or a look-up by name in a permission map. */
export type PermissionRef =
  | { readonly id: string }
  | { readonly lookup: "Role" | "Scope"; readonly name: string; readonly graph: Tri };

/** A permission requested by an application (`required_resource_access` or `azuread_application_api_access`). */
export interface PermissionRequest {
  /** The resource that requests it. */
  readonly at: Instance;
  /** The requesting application's address, or "" when it is not declared in this module. */
  readonly client: string;
  /** Whether the API is Microsoft Graph (from `resource_app_id` / `api_client_id`). */
  readonly api: Tri;
  /** The declared type. */
  readonly declared: "Role" | "Scope" | Unknown;
  /** The permission id expression, resolved as far as it can be. */
  readonly perm: PermissionRef | Unknown;
  /** What the permission really is, where known. */
  readonly kind?: "Role" | "Scope" | "both";
  /** The permission's name, where known. */
  readonly name?: string;
  /** Whether the permission is Microsoft Graph's. */
  readonly graph: Tri;
  /** The declared type, or else the permission's own kind. */
  readonly effective: "Role" | "Scope" | Unknown;
  /** Why the block may not exist at all (a dynamic block over an unknown collection). */
  readonly unknownIteration?: string;
  /** A Graph id or name that Graph does not have (MCC002): nothing else is checked then. */
  readonly notInGraph?: { readonly message: string; readonly fix: string };
}

/** A list of permission ids (`role_ids` / `scope_ids` of `azuread_application_api_access`) that cannot be evaluated. */
export interface UnknownPermissionList {
  /** The resource. */
  readonly at: Instance;
  /** `role_ids` or `scope_ids`. */
  readonly attr: string;
  /** The kind the list holds. */
  readonly type: "Role" | "Scope";
  /** Whether the API is Microsoft Graph. */
  readonly api: Tri;
  /** Why the list is unknown. */
  readonly why: Unknown;
}

/** An `azuread_app_role_assignment`, as far as Microsoft Graph's permissions go. */
export interface RoleAssignment {
  /** The assignment. */
  readonly at: Instance;
  /** The principal's application, or the assignment's own address. */
  readonly who: string;
  /** Whether the resource service principal is Graph's (known). */
  readonly graphSp: boolean;
  /** Whether the assigned role is one of Microsoft Graph's. */
  readonly graph: Tri;
  /** The looked-up role name, when whether it is Graph's is not known. */
  readonly lookupName?: string;
  /** The assigned role, resolved as far as it can be. */
  readonly perm: PermissionRef | Unknown;
  /** The Graph application permission's name, when it is one. */
  readonly name?: string;
  /** A Graph role id or name that is not a Graph application permission. */
  readonly problem?: {
    readonly ruleId: "MCC002" | "MCC003";
    readonly message: string;
    readonly fix: string;
  };
}

/** An `azuread_service_principal_delegated_permission_grant` to an application declared here. */
export interface DelegatedGrant {
  /** The grant. */
  readonly at: Instance;
  /** The application whose service principal is granted. */
  readonly client: string;
  /** Whether that application is a machine client. */
  readonly machineClient: Tri;
}

export const APP_TYPES = ["azuread_application", "azuread_application_registration"];
export const SP_TYPE = "azuread_service_principal";
export const PASSWORD_TYPES = [
  "azuread_application_password",
  "azuread_service_principal_password",
];
export const CERT_TYPES = [
  "azuread_application_certificate",
  "azuread_service_principal_certificate",
];
const MAX_INSTANCES = 100;
const APPLICATION_NAMES = new Set(Object.values(GRAPH_APPLICATION_PERMISSION_IDS));
const DELEGATED_NAMES = new Set(Object.values(GRAPH_DELEGATED_PERMISSION_IDS));

/** The model of one module, built once and read by every rule. */
export class CheckModel {
  /** Every resource instance, in declaration order. */
  public readonly instances: readonly Instance[];
  /** Time and rotation facts of passwords and certificates. */
  public readonly credentials: CredentialFacts;
  private readonly byType = new Map<string, Instance[]>();
  private readonly cache = new Map<string, unknown>();
  private readonly resolving = new Set<string>();

  constructor(
    /** The module. */
    public readonly mod: ModuleContext,
    /** The rules' options. */
    public readonly options: RuleOptions,
  ) {
    const instances: Instance[] = [];
    for (const r of mod.resources) {
      for (const inst of this.expand(r)) {
        instances.push(inst);
        let list = this.byType.get(r.type);
        if (!list) this.byType.set(r.type, (list = []));
        list.push(inst);
      }
    }
    this.instances = instances;
    this.credentials = new CredentialFacts(this);
  }

  /** Instances of resources of the given types. */
  public instancesOf(...types: string[]): readonly Instance[] {
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    return this.instances.filter((i) => types.includes(i.block.type));
  }

  private memo<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const v = compute();
    this.cache.set(key, v);
    return v;
  }

  /** The resource's instances: one per known for_each key / count index, or one with unknowns. */
  private expand(block: TfBlock): Instance[] {
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
      // A collection known only in shape (a for expression over a variable without default):
      // one instance stands for all, with what every element holds.
      if (isUnknown(coll) && coll.element) {
        return [
          {
            block,
            address: base,
            bindings: new Map([["each", { key: coll.element.key, value: coll.element.value }]]),
            unknownIteration: coll.why,
          },
        ];
      }
    }
    return [{ block, address: base, bindings: new Map() }];
  }

  /** Static and dynamic sub-blocks named `name` of a body. */
  public blocks(body: Record<string, unknown>, name: string, bindings: Bindings): SubBlock[] {
    const out: SubBlock[] = asList(body[name]).map((b) => ({ body: b, bindings }));
    for (const dyn of asList(body.dynamic)) {
      for (const spec of asList(dyn[name])) {
        const iterator = iteratorName(spec.iterator) ?? name;
        const content = asList(spec.content)[0] ?? {};
        const coll = this.mod.eval(spec.for_each, bindings);
        // A dynamic block iterates a list whose elements are unknown element by element (e.g. a
        // for expression of Graph app_role_ids look-ups): each iteration keeps what it knows.
        const entries = entriesOf(coll, true);
        if (entries) {
          for (const [key, value] of entries) {
            out.push({ body: content, bindings: new Map(bindings).set(iterator, { key, value }) });
          }
        } else {
          const why = isUnknown(coll) ? coll.why : "its for_each is not a collection";
          // Over a collection known only in shape, the iterator holds what every element holds.
          const iteration =
            isUnknown(coll) && coll.element
              ? { key: coll.element.key, value: coll.element.value }
              : new Unknown(`dynamic "${name}" block over ${why}`);
          out.push({
            body: content,
            bindings: new Map(bindings).set(iterator, iteration),
            unknownIteration: why,
          });
        }
      }
    }
    return out;
  }

  // ---- the reference graph ----

  /** The applications an expression refers to. */
  public appsReferencedBy(raw: unknown): string[] {
    return this.mod
      .refs(raw)
      .filter((r) => r.kind === "resource" && APP_TYPES.includes(r.type))
      .map((r) => `${r.type}.${r.name}`);
  }

  /** The service principals (resources) an expression refers to. */
  public spsReferencedBy(raw: unknown): string[] {
    return this.mod
      .refs(raw)
      .filter((r) => r.kind === "resource" && r.type === SP_TYPE)
      .map((r) => `${r.type}.${r.name}`);
  }

  /** The applications a resource's application reference points at (new and old names). */
  public appsOf(body: Record<string, unknown>): string[] {
    return this.appsReferencedBy(body.application_id ?? body.application_object_id);
  }

  /** The application of a service principal (client_id, or the older application_id). */
  public appOfSp(spAddr: string): string[] {
    return this.memo(`appOfSp|${spAddr}`, () => {
      const sp = this.mod.block(spAddr);
      return sp ? this.appsReferencedBy(sp.body.client_id ?? sp.body.application_id) : [];
    });
  }

  /** The credentials (passwords and certificates) of each application, directly or on its SP. */
  private get credentialIndex(): Map<string, TfBlock[]> {
    return this.memo("credentialIndex", () => {
      const index = new Map<string, TfBlock[]>();
      const add = (app: string, r: TfBlock): void => {
        const list = index.get(app) ?? [];
        if (!list.includes(r)) list.push(r);
        index.set(app, list);
      };
      for (const r of this.mod.resourcesOf(...PASSWORD_TYPES, ...CERT_TYPES)) {
        if (r.type.startsWith("azuread_application_")) {
          for (const app of this.appsOf(r.body)) add(app, r);
        } else {
          for (const sp of this.spsReferencedBy(r.body.service_principal_id)) {
            for (const app of this.appOfSp(sp)) add(app, r);
          }
        }
      }
      return index;
    });
  }

  /** The credentials (passwords and certificates) of an application, directly or on its SP. */
  public credentialsOf(appAddr: string): readonly TfBlock[] {
    return this.credentialIndex.get(appAddr) ?? [];
  }

  /** Resources of a type that refer to an application (by application_id). */
  private byApplication(type: string): Map<string, TfBlock[]> {
    return this.memo(`byApplication|${type}`, () => {
      const index = new Map<string, TfBlock[]>();
      for (const r of this.mod.resourcesOf(type)) {
        for (const app of this.appsOf(r.body)) index.set(app, [...(index.get(app) ?? []), r]);
      }
      return index;
    });
  }

  /** Whether the application has redirect URIs: true, false, or unknown with the reason. */
  public hasRedirectUris(appAddr: string): Tri {
    return this.memo(`redirects|${appAddr}`, () => {
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
      for (const r of this.byApplication("azuread_application_redirect_uris").get(appAddr) ?? []) {
        if (consider(this.mod.eval(r.body.redirect_uris))) return true;
      }
      return unknown ?? false;
    });
  }

  /**
   * Whether an application exposes delegated permission scopes (`api { oauth2_permission_scope }`
   * or `azuread_application_permission_scope`): true, false, or unknown with the reason.
   */
  public exposesScopes(appAddr: string): Tri {
    return this.memo(`scopes|${appAddr}`, () => {
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
      if (this.byApplication("azuread_application_permission_scope").has(appAddr)) return true;
      return unknown ?? false;
    });
  }

  /** Whether an application is a machine client: a password or certificate and no redirect URIs. */
  public isMachineClient(appAddr: string): Tri {
    return this.memo(`mc|${appAddr}`, (): Tri => {
      const app = this.mod.block(appAddr);
      // fallback_public_client_enabled, or azuread v1's public_client = true / type = "native".
      const publicClient = app
        ? this.mod.eval(app.body.fallback_public_client_enabled) === true ||
          this.mod.eval(app.body.public_client) === true ||
          this.mod.eval(app.body.type) === "native"
        : false;
      const exposes = this.exposesScopes(appAddr);
      const held = this.credentialsOf(appAddr).length > 0;
      const orphan = held ? undefined : this.orphanCredential;
      if (!held && !orphan) return false;
      // A public client (device code, ROPC) signs users in: delegated permissions are its job.
      if (publicClient === true) return false;
      // An API that exposes delegated scopes is called on behalf of users, and may call further
      // APIs on their behalf (the on-behalf-of flow): its secret serves delegated permissions.
      if (exposes === true) return false;
      if (isUnknown(exposes)) return exposes;
      const redirects = this.hasRedirectUris(appAddr);
      if (redirects === true) return false;
      if (isUnknown(redirects)) return redirects;
      // No credential of its own, but one in this module whose application is not known.
      return orphan ?? true;
    });
  }

  /**
   * A password or certificate of this module whose application cannot be known (its
   * application_id comes from outside): it may belong to any application of the module.
   */
  private get orphanCredential(): Unknown | undefined {
    return this.memo("orphan", () => {
      for (const r of this.mod.resourcesOf(...PASSWORD_TYPES, ...CERT_TYPES)) {
        const raw = r.type.startsWith("azuread_application_")
          ? (r.body.application_id ?? r.body.application_object_id)
          : r.body.service_principal_id;
        if (raw === undefined) continue;
        const linked = r.type.startsWith("azuread_application_")
          ? this.appsOf(r.body)
          : this.spsReferencedBy(raw);
        if (linked.length > 0 || this.mod.refs(raw).length > 0) continue;
        const v = this.mod.eval(raw);
        if (isUnknown(v)) {
          return new Unknown(`${address(r)} may hold its credential, and ${v.why}`);
        }
      }
      return undefined;
    });
  }

  /**
   * Whether a resource_app_id / api_client_id (or a service principal's client_id) is Microsoft
   * Graph's: its id, `data.azuread_application_published_app_ids`'s `MicrosoftGraph`, or the
   * client id of Graph's service principal. `direct` leaves out service principals recognised
   * only by their use (which is itself computed from this).
   */
  public isGraphApi(raw: unknown, bindings: Bindings, direct = false): Tri {
    const v = this.mod.eval(raw, bindings);
    if (typeof v === "string") return v.toLowerCase() === GRAPH_APP_ID;
    if (isUnknown(v) && v.origin && isPublishedGraphId(v.origin)) return true;
    const refs = this.mod.refs(raw, bindings);
    for (const ref of refs) {
      if (ref.kind === "data" && ref.type === "azuread_application_published_app_ids") {
        const key = pathKey(this.mod, ref.path, 1, bindings);
        if (ref.path[0] === "result" && key === "MicrosoftGraph") return true;
      }
      if (ref.type === SP_TYPE && this.isGraphSp(ref, direct) === true) return true;
    }
    // The client id of an application declared here, or of a service principal that is not
    // Graph's, is some other API.
    if (
      refs.length > 0 &&
      refs.every(
        (r) =>
          (r.kind === "resource" && APP_TYPES.includes(r.type)) ||
          (r.type === SP_TYPE && this.isGraphSp(r, direct) === false),
      )
    ) {
      return false;
    }
    return isUnknown(v) ? v : false;
  }

  /**
   * Whether a service principal (resource or data source) is Microsoft Graph's: by its
   * client_id / application_id, its display name, or — when it declares neither — by its use:
   * its permission maps looked up inside a required_resource_access (or an
   * azuread_application_api_access) whose API is Graph.
   */
  public isGraphSp(ref: Pick<Ref, "kind" | "type" | "name">, direct = false): Tri {
    const key = spKey(ref);
    if (this.resolving.has(key)) return new Unknown(`${key} refers to itself`);
    this.resolving.add(key);
    const found = this.memo(`graphSp|${key}`, (): Tri => {
      const sp = this.mod.target({ ...ref, path: [] });
      if (!sp || sp.type !== SP_TYPE) {
        return new Unknown(`${key} is not declared in this module`);
      }
      const id = sp.body.client_id ?? sp.body.application_id;
      if (id !== undefined) return this.isGraphApi(id, new Map(), true);
      const name = sp.body.display_name;
      if (name !== undefined) {
        const v = this.mod.eval(name);
        if (typeof v === "string") return v === "Microsoft Graph";
        if (isUnknown(v)) return v;
      }
      const objectId = sp.body.object_id;
      if (objectId !== undefined) {
        const v = this.mod.eval(objectId);
        return isUnknown(v)
          ? new Unknown(`${key} is found by object_id, and ${v.why}`)
          : new Unknown(`${key} is found by object_id ${JSON.stringify(v)}`);
      }
      return new Unknown(`${key} declares no client_id`);
    });
    this.resolving.delete(key);
    if (direct || !isUnknown(found)) return found;
    return this.graphSpsByUse.has(key) ? true : found;
  }

  /** Service principals whose permission maps are looked up for Graph's permissions. */
  private get graphSpsByUse(): ReadonlySet<string> {
    return this.memo("graphSpsByUse", () => {
      const out = new Set<string>();
      const mark = (idRaw: unknown, bindings: Bindings): void => {
        const v = this.mod.eval(idRaw, bindings);
        const origins = isUnknown(v) && v.origin ? [v.origin] : [];
        for (const o of [...origins, ...this.mod.refs(idRaw, bindings)]) {
          if (o.type === SP_TYPE && isPermissionMap(o.path[0])) out.add(spKey(o));
        }
      };
      for (const inst of this.instancesOf("azuread_application")) {
        for (const rra of this.blocks(inst.block.body, "required_resource_access", inst.bindings)) {
          if (this.isGraphApi(rra.body.resource_app_id, rra.bindings, true) !== true) continue;
          for (const ra of this.blocks(rra.body, "resource_access", rra.bindings)) {
            mark(ra.body.id, ra.bindings);
          }
        }
      }
      for (const inst of this.instancesOf("azuread_application_api_access")) {
        const b = inst.block.body;
        if (this.isGraphApi(b.api_client_id, inst.bindings, true) !== true) continue;
        for (const attr of ["role_ids", "scope_ids"]) {
          if (b[attr] !== undefined) mark(b[attr], inst.bindings);
        }
      }
      return out;
    });
  }

  /**
   * What a permission id expression is: a literal GUID, or a look-up by name in a service
   * principal's (or an application's) `app_role_ids` / `oauth2_permission_scope_ids` map —
   * written directly, or reaching the expression through locals, for expressions and iterators.
   */
  public permissionOf(raw: unknown, bindings: Bindings): PermissionRef | Unknown {
    const v = this.mod.eval(raw, bindings);
    if (typeof v === "string") return { id: v.toLowerCase() };
    if (isUnknown(v) && v.origin && isPermissionMap(v.origin.path[0])) {
      const o = v.origin;
      const name = o.path[1];
      if (typeof name !== "string") {
        return new Unknown(
          `the permission name in ${spKey(o)}.${String(o.path[0])}[…] is not known${isUnknown(name) ? ` (${name.why})` : ""}`,
        );
      }
      return {
        lookup: o.path[0] === "app_role_ids" ? "Role" : "Scope",
        name,
        graph: o.type === SP_TYPE ? this.isGraphSp(o) : false,
      };
    }
    for (const ref of this.mod.refs(raw, bindings)) {
      const map = ref.path[0];
      if (!isPermissionMap(map)) continue;
      const name = pathKey(this.mod, ref.path, 1, bindings);
      if (typeof name !== "string")
        return new Unknown(`the permission name in ${spKey(ref)}.${String(map)}[…] is not known`);
      return {
        lookup: map === "app_role_ids" ? "Role" : "Scope",
        name,
        graph: ref.type === SP_TYPE ? this.isGraphSp(ref) : false,
      };
    }
    return isUnknown(v) ? v : new Unknown(`the permission id is ${JSON.stringify(v)}`);
  }

  // ---- permissions ----

  /** Every permission requested by an application of the module (each computed once). */
  public get permissionRequests(): readonly PermissionRequest[] {
    return this.memo("requests", () => {
      const out: PermissionRequest[] = [];
      for (const inst of this.instancesOf("azuread_application")) {
        const appAddr = address(inst.block);
        for (const rra of this.blocks(inst.block.body, "required_resource_access", inst.bindings)) {
          for (const ra of this.blocks(rra.body, "resource_access", rra.bindings)) {
            out.push(
              this.request(
                inst,
                appAddr,
                rra.body.resource_app_id,
                ra.bindings,
                ra.body.id,
                ra.body.type,
                ra.unknownIteration ?? rra.unknownIteration,
              ),
            );
          }
        }
      }
      for (const inst of this.instancesOf("azuread_application_api_access")) {
        const b = inst.block.body;
        const apps = this.appsOf(b);
        for (const [attr, type] of [
          ["role_ids", "Role"],
          ["scope_ids", "Scope"],
        ] as const) {
          if (b[attr] === undefined) continue;
          const ids = this.idList(inst, attr);
          if (isUnknown(ids)) continue;
          for (const id of ids) {
            for (const appAddr of apps.length ? apps : [""]) {
              out.push(this.request(inst, appAddr, b.api_client_id, inst.bindings, id, type));
            }
          }
        }
      }
      return out;
    });
  }

  /** Lists of permission ids that cannot be evaluated (`azuread_application_api_access`). */
  public get unknownPermissionLists(): readonly UnknownPermissionList[] {
    return this.memo("unknownLists", () => {
      const out: UnknownPermissionList[] = [];
      for (const inst of this.instancesOf("azuread_application_api_access")) {
        const b = inst.block.body;
        for (const [attr, type] of [
          ["role_ids", "Role"],
          ["scope_ids", "Scope"],
        ] as const) {
          if (b[attr] === undefined) continue;
          const ids = this.idList(inst, attr);
          if (!isUnknown(ids)) continue;
          out.push({
            at: inst,
            attr,
            type,
            api: this.isGraphApi(b.api_client_id, inst.bindings),
            why: ids,
          });
        }
      }
      return out;
    });
  }

  /** The elements of a `role_ids` / `scope_ids` list, each as an expression of its own. */
  private idList(inst: Instance, attr: string): unknown[] | Unknown {
    const raw = inst.block.body[attr];
    const node = toNode(raw);
    // A written list: check each element as an expression of its own.
    if (node.t === "list") return node.items.map((n) => new ParsedExpression(n));
    const list = this.mod.eval(raw, inst.bindings);
    if (!Array.isArray(list)) {
      return isUnknown(list) ? list : new Unknown(`${attr} is ${JSON.stringify(list)}`);
    }
    return list.map((v) =>
      isUnknown(v) ? new ParsedExpression({ t: "opaque", what: v.why, children: [] }) : v,
    );
  }

  private request(
    at: Instance,
    client: string,
    apiRaw: unknown,
    bindings: Bindings,
    idRaw: unknown,
    typeRaw: unknown,
    unknownIteration?: string,
  ): PermissionRequest {
    const typeVal = this.mod.eval(typeRaw, bindings);
    const declared: "Role" | "Scope" | Unknown =
      typeVal === "Role" || typeVal === "Scope"
        ? typeVal
        : isUnknown(typeVal)
          ? typeVal
          : new Unknown(`type is ${JSON.stringify(typeVal)}`);
    const perm = this.permissionOf(idRaw, bindings);
    const api = this.isGraphApi(apiRaw, bindings);
    let kind: "Role" | "Scope" | "both" | undefined;
    let name: string | undefined;
    let graph: Tri = api;
    let notInGraph: PermissionRequest["notInGraph"];
    if (!isUnknown(perm) && "id" in perm) {
      const app = GRAPH_APPLICATION_PERMISSION_IDS[perm.id];
      const del = GRAPH_DELEGATED_PERMISSION_IDS[perm.id];
      if (app !== undefined || del !== undefined) {
        graph = true; // Graph's ids are GUIDs: unique whatever resource_app_id says.
        kind =
          app !== undefined && del !== undefined ? "both" : app !== undefined ? "Role" : "Scope";
        name = app ?? del;
      } else if (api === true) {
        notInGraph = {
          message: `Microsoft Graph permission id ${perm.id} is in neither Graph's application nor its delegated permission table.`,
          fix: "Use the id of an existing Graph permission (see Microsoft Graph's permissions reference), or look it up by name with data.azuread_service_principal's app_role_ids.",
        };
      }
    } else if (!isUnknown(perm)) {
      kind = perm.lookup;
      name = perm.name;
      // A look-up on a service principal that is not identified otherwise is Graph's when the
      // enclosing resource_app_id says so.
      graph = perm.graph === false ? false : api === true ? true : perm.graph;
      if (graph === true) {
        const names = perm.lookup === "Role" ? APPLICATION_NAMES : DELEGATED_NAMES;
        // Terraform map look-ups are case-sensitive, like the names in the map.
        if (!names.has(perm.name)) {
          notInGraph = {
            message: `Microsoft Graph has no ${perm.lookup === "Role" ? "application" : "delegated"} permission named "${perm.name}".`,
            fix: "Check the permission's name in Microsoft Graph's permissions reference.",
          };
        }
      }
    }
    const effective: "Role" | "Scope" | Unknown = !isUnknown(declared)
      ? declared
      : kind === "Role" || kind === "Scope"
        ? kind
        : declared;
    return {
      at,
      client,
      api,
      declared,
      perm,
      graph,
      effective,
      ...(kind !== undefined ? { kind } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(unknownIteration !== undefined ? { unknownIteration } : {}),
      ...(notInGraph ? { notInGraph } : {}),
    };
  }

  /** Every `azuread_app_role_assignment`, as far as Microsoft Graph's permissions go. */
  public get roleAssignments(): readonly RoleAssignment[] {
    return this.memo("assignments", () =>
      this.instancesOf("azuread_app_role_assignment").map((inst) => this.assignment(inst)),
    );
  }

  private assignment(at: Instance): RoleAssignment {
    const b = at.block.body;
    const resource = this.spGraph(b.resource_object_id, at.bindings);
    const perm = this.permissionOf(b.app_role_id, at.bindings);
    const principalApps = this.spsReferencedBy(b.principal_object_id).flatMap((sp) =>
      this.appOfSp(sp),
    );
    const who = principalApps[0] ?? address(at.block);
    const base = { at, who, graphSp: resource === true, perm };
    if (isUnknown(perm)) return { ...base, graph: resource };
    if ("id" in perm) {
      const name = GRAPH_APPLICATION_PERMISSION_IDS[perm.id];
      if (name !== undefined) return { ...base, graph: true, name };
      if (resource !== true) return { ...base, graph: resource };
      const delegated = GRAPH_DELEGATED_PERMISSION_IDS[perm.id];
      return {
        ...base,
        graph: true,
        problem: {
          ruleId: delegated ? "MCC003" : "MCC002",
          message: delegated
            ? `app_role_id ${perm.id} is Microsoft Graph's delegated permission ${delegated}, not an app role.`
            : `app_role_id ${perm.id} is not a Microsoft Graph application permission.`,
          fix: 'Assign the id of a Graph application permission (data.azuread_service_principal\'s app_role_ids["<name>"]).',
        },
      };
    }
    const graph: Tri =
      perm.graph === true || resource === true
        ? true
        : perm.graph === false || resource === false
          ? false
          : perm.graph;
    if (graph !== true) return { ...base, graph, lookupName: perm.name };
    if (perm.lookup === "Scope") {
      return {
        ...base,
        graph,
        problem: {
          ruleId: "MCC003",
          message: `app_role_id looks up delegated permission ${perm.name} (oauth2_permission_scope_ids): an app role assignment needs an app role.`,
          fix: 'Use app_role_ids["<name>"] instead.',
        },
      };
    }
    if (!APPLICATION_NAMES.has(perm.name)) {
      return {
        ...base,
        graph,
        problem: {
          ruleId: "MCC002",
          message: `Microsoft Graph has no application permission named "${perm.name}".`,
          fix: "Check the permission's name in Microsoft Graph's permissions reference.",
        },
      };
    }
    return { ...base, graph, name: perm.name };
  }

  /**
   * Whether a resource_object_id is Microsoft Graph's service principal: true when it refers to
   * one, false when it refers only to others (or to nothing declared as a reference), unknown
   * when it is a value from outside or a service principal that cannot be identified.
   */
  private spGraph(raw: unknown, bindings: Bindings): Tri {
    const sps = this.mod.refs(raw, bindings).filter((r) => r.type === SP_TYPE);
    let unknown: Unknown | undefined;
    for (const sp of sps) {
      const g = this.isGraphSp(sp);
      if (g === true) return true;
      if (isUnknown(g)) unknown ??= g;
    }
    if (unknown) return unknown;
    if (sps.length > 0) return false;
    const v = this.mod.eval(raw, bindings);
    return isUnknown(v) ? v : false;
  }

  /** Delegated permission grants to the service principals of applications declared here. */
  public get delegatedGrants(): readonly DelegatedGrant[] {
    return this.memo("grants", () => {
      const out: DelegatedGrant[] = [];
      for (const at of this.instancesOf("azuread_service_principal_delegated_permission_grant")) {
        for (const sp of this.spsReferencedBy(at.block.body.service_principal_object_id)) {
          for (const client of this.appOfSp(sp)) {
            out.push({ at, client, machineClient: this.isMachineClient(client) });
          }
        }
      }
      return out;
    });
  }

  /** The recorded justification of Graph permission `name` for the client owning `inst`. */
  public justificationOf(inst: Instance, name: string): string | undefined {
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

  // ---- app roles ----

  /**
   * Whether an application exposes an API that other apps get access tokens for: identifier URIs
   * (`identifier_uris`, `azuread_application_identifier_uri`) or delegated scopes. (App roles for
   * users alone are sign-in roles of a web app; roles for applications: {@link exposesAppRoles}.)
   * True, false, or unknown with the reason.
   */
  public exposesApi(appAddr: string): Tri {
    return this.memo(`api|${appAddr}`, (): Tri => {
      const app = this.mod.block(appAddr);
      let unknown: Unknown | undefined;
      if (app?.body.identifier_uris !== undefined) {
        const uris = this.mod.eval(app.body.identifier_uris);
        if (isUnknown(uris)) unknown ??= uris;
        else if (Array.isArray(uris) ? uris.length > 0 : uris !== null) return true;
      }
      if (this.byApplication("azuread_application_identifier_uri").has(appAddr)) return true;
      const scopes = this.exposesScopes(appAddr);
      if (scopes === true) return true;
      if (isUnknown(scopes)) unknown ??= scopes;
      return unknown ?? false;
    });
  }

  /** Whether the application exposes app roles to applications: true, false, or unknown. */
  public exposesAppRoles(appAddr: string): Tri {
    return this.memo(`appRoles|${appAddr}`, () => {
      const app = this.mod.block(appAddr);
      let unknown: Unknown | undefined;
      const consider = (types: unknown, unknownIteration: string | undefined): boolean => {
        if (isUnknown(types)) {
          unknown ??= types;
          return false;
        }
        const forApps = Array.isArray(types) && types.includes("Application");
        if (forApps && unknownIteration) {
          unknown ??= new Unknown(
            `the app roles come from a dynamic block over ${unknownIteration}`,
          );
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
      for (const r of this.byApplication("azuread_application_app_role").get(appAddr) ?? []) {
        if (consider(this.mod.eval(r.body.allowed_member_types), undefined)) return true;
      }
      return unknown ?? false;
    });
  }
}

/**
 * `for_each` collections as [key, value] entries: lists and sets key by value, maps by key.
 * @param unknownElements accept a list with unknown elements (a dynamic block iterates it by
 *   position; a resource's for_each needs every key known)
 */
export function entriesOf(
  coll: unknown,
  unknownElements = false,
): [string | number, unknown][] | undefined {
  if (isUnknown(coll)) return undefined;
  if (Array.isArray(coll)) {
    if (!unknownElements && coll.some(isUnknown)) return undefined;
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
export function pathKey(
  mod: ModuleContext,
  path: Ref["path"],
  i: number,
  bindings: Bindings,
): unknown {
  const step = path[i];
  if (step === undefined) return undefined;
  return typeof step === "string" ? step : mod.evalNode(step, bindings);
}

/** `data.x.y` or `x.y`, for messages and keys. */
function spKey(ref: Pick<Ref, "kind" | "type" | "name">): string {
  return ref.kind === "data" ? `data.${ref.type}.${ref.name}` : `${ref.type}.${ref.name}`;
}

function isPermissionMap(attr: unknown): boolean {
  return attr === "app_role_ids" || attr === "oauth2_permission_scope_ids";
}

/** `data.azuread_application_published_app_ids.<name>.result["MicrosoftGraph"]`. */
function isPublishedGraphId(o: Origin): boolean {
  return (
    o.kind === "data" &&
    o.type === "azuread_application_published_app_ids" &&
    o.path[0] === "result" &&
    o.path[1] === "MicrosoftGraph"
  );
}
