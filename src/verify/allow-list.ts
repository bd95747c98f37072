import { describeValue, fail, plainText } from "../errors";
import { MANIFEST_SCHEMA_VERSION } from "../inventory/manifest-schema";
import { isUuid as isGuid } from "../vocabulary/role-id";

/** Options of {@link ClientAllowList.fromManifest}. */
export interface ManifestAllowListOptions {
  /**
   * The API whose callers are listed: its identifier URI (the grants' `identifierUri`) or its key
   * in the manifest (the grants' `api`).
   */
  readonly api: string;
  /**
   * The client id of each client that the manifest grants a permission on the API, keyed by the
   * client's display name (or construct path) in the manifest. Client ids exist only once
   * `terraform apply` has created the applications, so they are not in the manifest; take them
   * from a Terraform output (`billing.clientId`) or your deployment's configuration.
   */
  readonly clientIds: Readonly<Record<string, string>>;
}

const KEY = Symbol("cdktf-machine-clients.ClientAllowList");
const WHERE = "ClientAllowList";

/**
 * The client applications allowed to call an API, optionally each with the roles it may hold.
 * A caller whose client id is not listed is refused (403 `CLIENT_NOT_ALLOWED`); a role in a
 * listed client's token that the list does not grant it is ignored and reported, never granted.
 * Frozen; made by {@link ClientAllowList.of} or {@link ClientAllowList.fromManifest}.
 */
export class ClientAllowList {
  /**
   * Allows the given client ids, with any role of the API's vocabulary.
   * @throws MachineClientsError when an id is not a GUID or the list is empty
   */
  public static of(clientIds: readonly string[]): ClientAllowList {
    const where = `${WHERE}.of`;
    const ids: unknown = clientIds;
    if (!Array.isArray(ids) || ids.length === 0) {
      fail(
        "ALLOW_LIST_INVALID",
        where,
        "expects a non-empty array of client ids",
        ids,
        'Write ClientAllowList.of(["<client id>"]).',
      );
    }
    const entries = new Map<string, ReadonlySet<string> | null>();
    for (const id of [...ids]) entries.set(clientIdOf(id, where), null);
    return new ClientAllowList(KEY, entries);
  }

  /**
   * Reads the clients that a synthesized `machine-clients.json` grants a permission on `api`, and
   * the roles it grants each: the API then refuses every other client, and ignores a role that
   * infrastructure as code did not grant (e.g. one assigned by hand in the portal).
   * @param manifests the content of one or more `machine-clients.json` files (JSON text or parsed)
   * @throws MachineClientsError when a manifest is not a version-1 manifest, a granted client has no
   * client id in `clientIds`, or `clientIds` names a client the manifests do not grant on `api`
   */
  public static fromManifest(
    manifests: unknown,
    options: ManifestAllowListOptions,
  ): ClientAllowList {
    const where = `${WHERE}.fromManifest`;
    if (typeof options !== "object" || options === null) {
      fail(
        "ALLOW_LIST_INVALID",
        where,
        "options must be an object",
        options,
        "Pass { api, clientIds }.",
      );
    }
    const api: unknown = options.api;
    const clientIds: unknown = options.clientIds;
    if (typeof api !== "string" || api.length === 0) {
      fail(
        "ALLOW_LIST_INVALID",
        where,
        "api must be the API's identifier URI",
        api,
        'Write e.g. api: "api://contoso.example/orders".',
      );
    }
    if (typeof clientIds !== "object" || clientIds === null || Array.isArray(clientIds)) {
      fail(
        "ALLOW_LIST_INVALID",
        where,
        "clientIds must map client display names to client ids",
        clientIds,
        'Write e.g. clientIds: { "billing-sync": "<client id>" }.',
      );
    }
    const names = new Map<string, string>();
    for (const [name, id] of Object.entries(clientIds)) names.set(name, clientIdOf(id, where));

    const list: unknown[] = Array.isArray(manifests) ? [...manifests] : [manifests];
    const entries = new Map<string, Set<string>>();
    const used = new Set<string>();
    for (const raw of list) {
      for (const client of readManifest(raw, where)) {
        const roles = client.grants
          .filter((g) => g.api === api || g.identifierUri === api)
          .map((g) => g.scope);
        if (roles.length === 0) continue;
        const name = names.has(client.displayName) ? client.displayName : client.path;
        const id = names.get(name);
        if (id === undefined) {
          fail(
            "ALLOW_LIST_CLIENT_ID_MISSING",
            where,
            `the manifest grants ${describeValue(client.displayName)} (${plainText(client.path)}) ${roles.map((r) => describeValue(r)).join(", ")} on ${plainText(api)}, but clientIds has no id for it`,
            client.displayName,
            `Add ${describeValue(client.displayName)}: "<its client id>" to clientIds.`,
          );
        }
        used.add(name);
        const granted = entries.get(id) ?? new Set<string>();
        for (const role of roles) granted.add(role);
        entries.set(id, granted);
      }
    }
    for (const name of names.keys()) {
      if (!used.has(name)) {
        fail(
          "ALLOW_LIST_CLIENT_UNKNOWN",
          where,
          `clientIds names ${describeValue(name)}, which no manifest grants a permission on ${plainText(api)}`,
          name,
          "Remove it, or grant the client a permission on the API and synthesize again.",
        );
      }
    }
    if (entries.size === 0) {
      fail(
        "ALLOW_LIST_EMPTY",
        where,
        `no client in the manifests is granted a permission on ${api}`,
        api,
        "Check the API's identifier URI, and that the manifests are of the stacks that declare its clients.",
      );
    }
    return new ClientAllowList(KEY, entries);
  }

  /** The allowed client ids, lower case, sorted. */
  public readonly clientIds: readonly string[];
  private readonly entries: ReadonlyMap<string, ReadonlySet<string> | null>;

  private constructor(key: symbol, entries: ReadonlyMap<string, ReadonlySet<string> | null>) {
    if (key !== KEY) throw new TypeError("use ClientAllowList.of or ClientAllowList.fromManifest");
    this.entries = new Map(
      [...entries].map(([id, roles]) => [id, roles === null ? null : new Set(roles)]),
    );
    this.clientIds = Object.freeze([...this.entries.keys()].sort());
    Object.freeze(this);
  }

  /** True when `clientId` is allowed. */
  public allows(clientId: string): boolean {
    return this.entries.has(String(clientId).toLowerCase());
  }

  /**
   * The roles the list grants `clientId`: `undefined` when the client is not allowed, `null` when
   * it may hold any role of the vocabulary.
   */
  public rolesOf(clientId: string): readonly string[] | null | undefined {
    const roles = this.entries.get(String(clientId).toLowerCase());
    return roles === undefined ? undefined : roles === null ? null : [...roles].sort();
  }
}

interface ManifestClientView {
  readonly displayName: string;
  readonly path: string;
  readonly grants: readonly { api: string; identifierUri: string; scope: string }[];
}

/** Reads what the allow-list needs from a manifest, checking its shape (it is a file: any content). */
function readManifest(raw: unknown, where: string): ManifestClientView[] {
  let manifest: unknown = raw;
  if (typeof raw === "string") {
    try {
      manifest = JSON.parse(raw);
    } catch (e) {
      fail(
        "MANIFEST_INVALID",
        where,
        `machine-clients.json is not JSON (${(e as Error).message})`,
        raw.slice(0, 40),
        "Pass the content of the file that cdktf synth wrote.",
      );
    }
  }
  const bad = (problem: string, value: unknown): never =>
    fail(
      "MANIFEST_INVALID",
      where,
      `not a machine-clients.json manifest: ${problem}`,
      value,
      "Pass the content of the machine-clients.json that cdktf synth wrote next to cdk.tf.json.",
    );
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    bad("expected an object", manifest);
  }
  const m = manifest as Record<string, unknown>;
  if (m.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    bad(`schemaVersion must be ${MANIFEST_SCHEMA_VERSION}`, m.schemaVersion);
  }
  if (!Array.isArray(m.clients)) bad("clients must be an array", m.clients);
  return (m.clients as unknown[]).map((c, i) => {
    if (typeof c !== "object" || c === null) bad(`clients[${i}] must be an object`, c);
    const client = c as Record<string, unknown>;
    if (typeof client.displayName !== "string") {
      bad(`clients[${i}].displayName must be a string`, client.displayName);
    }
    if (typeof client.path !== "string") bad(`clients[${i}].path must be a string`, client.path);
    if (!Array.isArray(client.grants)) bad(`clients[${i}].grants must be an array`, client.grants);
    const grants = (client.grants as unknown[]).map((g, j) => {
      const grant = (typeof g === "object" && g !== null ? g : {}) as Record<string, unknown>;
      for (const field of ["api", "identifierUri", "scope"]) {
        if (typeof grant[field] !== "string") {
          bad(`clients[${i}].grants[${j}].${field} must be a string`, grant[field]);
        }
      }
      return {
        api: grant.api as string,
        identifierUri: grant.identifierUri as string,
        scope: grant.scope as string,
      };
    });
    return { displayName: client.displayName as string, path: client.path as string, grants };
  });
}

function clientIdOf(id: unknown, where: string): string {
  if (!isGuid(id)) {
    fail(
      "CLIENT_ID_INVALID",
      where,
      "a client id must be a GUID (8-4-4-4-12 hexadecimal)",
      id,
      "Use the application (client) id of the client's app registration.",
    );
  }
  return id.toLowerCase();
}

// Its statics cannot be replaced.
Object.freeze(ClientAllowList);
