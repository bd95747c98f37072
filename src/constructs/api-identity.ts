import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { describeValue, fail } from "../errors";
import { GRAPH_CLIENT_ID, GRAPH_IDENTIFIER_URI } from "../graph";
import { isToken } from "../tokens";

/**
 * One identifier URI, one API; one client id, one API. Entra compares identifier URIs ignoring
 * letter case (and a trailing slash names the same resource), and a client id is an application:
 * two API constructs with the same one would put both APIs' role ids under one
 * `resource_app_id`. Checked per app (the construct tree's root), across stacks; Microsoft
 * Graph's URI and client id are taken by `MicrosoftGraph`.
 *
 * One pairing is allowed: a `ProtectedApi` and an `ExistingApi` copy of it in another stack (a
 * client stack of another team, whose copy the org policy's MC-RETIRED-PERMISSION compares with
 * the API's own vocabulary); a client granted on both is refused by `MachineClient`.
 */
const TAKEN = new WeakMap<IConstruct, Map<string, Taker[]>>();

/** An API construct that holds an identifier URI or client id. */
interface Taker {
  readonly path: string;
  readonly kind: ApiKind;
  readonly stack: IConstruct | undefined;
}

/** The kinds of API constructs. */
export type ApiKind = "protected" | "existing" | "graph";

/** The key an identifier URI is compared by: lower case, without trailing slashes. */
export function identifierUriKey(uri: string): string {
  return uri.toLowerCase().replace(/\/+$/, "");
}

/** One literal identity of an API: its comparison key (`uri:…`, `client:…`), label and value. */
export interface Identity {
  readonly key: string;
  readonly label: string;
  readonly value: string;
}

/** The literal identifier URI and client id of an API, as compared (tokens are skipped). */
export function identitiesOf(identifierUri: unknown, clientId: unknown): Identity[] {
  const ids: Identity[] = [];
  if (typeof identifierUri === "string" && !isToken(identifierUri)) {
    ids.push({
      key: `uri:${identifierUriKey(identifierUri)}`,
      label: "identifier URI",
      value: identifierUri,
    });
  }
  if (typeof clientId === "string" && !isToken(clientId)) {
    ids.push({ key: `client:${clientId.toLowerCase()}`, label: "client id", value: clientId });
  }
  return ids;
}

const GRAPH: Taker = { path: "MicrosoftGraph", kind: "graph", stack: undefined };

function takenIn(root: IConstruct): Map<string, Taker[]> {
  let taken = TAKEN.get(root);
  if (!taken) {
    taken = new Map([
      [`uri:${identifierUriKey(GRAPH_IDENTIFIER_URI)}`, [GRAPH]],
      [`client:${GRAPH_CLIENT_ID}`, [GRAPH]],
    ]);
    TAKEN.set(root, taken);
  }
  return taken;
}

function stackOf(scope: IConstruct): IConstruct | undefined {
  try {
    return TerraformStack.of(scope);
  } catch {
    return undefined;
  }
}

/** True when `a` and `b` may share an identifier: an API and its copy in another stack. */
function mayShare(a: Taker, b: Taker): boolean {
  return a.kind !== b.kind && a.kind !== "graph" && b.kind !== "graph" && a.stack !== b.stack;
}

/**
 * Checks that no other API of `scope`'s app has the identifier URI or the client id (literals
 * only: a token is unique by construction).
 * @param where the new API's path, for the message
 * @throws MachineClientsError naming both construct paths
 */
export function checkApiIdentity(
  scope: IConstruct,
  where: string,
  kind: ApiKind,
  identifierUri: unknown,
  clientId: unknown,
): void {
  const taken = takenIn(scope.node.root);
  const self: Taker = { path: where, kind, stack: stackOf(scope) };
  for (const id of identitiesOf(identifierUri, clientId)) {
    const found = (taken.get(id.key) ?? []).find((t) => !mayShare(t, self));
    if (found === undefined) continue;
    const other = found.path;
    if (found === GRAPH) {
      fail(
        "API_IS_MICROSOFT_GRAPH",
        where,
        `${id.label} ${describeValue(id.value)} is Microsoft Graph's`,
        id.value,
        'Grant Graph permissions with MicrosoftGraph.grant("<application permission>"); it needs no API construct.',
      );
    }
    fail(
      id.key.startsWith("uri:") ? "IDENTIFIER_URI_DUPLICATE" : "CLIENT_ID_DUPLICATE",
      where,
      `${id.label} ${describeValue(id.value)} is already the ${id.label} of ${other} (compared ignoring letter case${id.key.startsWith("uri:") ? " and a trailing slash, as Entra does" : ""}); two API constructs for one API would put both vocabularies' role ids under one application`,
      id.value,
      `Declare the API once (${other}) and grant its permissions from that construct, or give this API its own ${id.label}.`,
    );
  }
}

/** Records the API's identifier URI and client id as taken (once it is constructed). */
export function takeApiIdentity(
  api: IConstruct,
  kind: ApiKind,
  identifierUri: unknown,
  clientId: unknown,
): void {
  const taken = takenIn(api.node.root);
  const self: Taker = { path: api.node.path, kind, stack: stackOf(api) };
  for (const id of identitiesOf(identifierUri, clientId)) {
    taken.set(id.key, [...(taken.get(id.key) ?? []), self]);
  }
}
