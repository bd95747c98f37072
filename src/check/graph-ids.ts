/**
 * Microsoft Graph facts the checker needs, all from the library's own generated table
 * (scripts/generate-graph.js → src/graph/permissions.generated.ts) and src/graph/: the
 * application and delegated permissions by id, Graph's client id and the tier-0 list.
 */
import {
  GRAPH_APPLICATION_PERMISSION_IDS as APPLICATION_ID_BY_NAME,
  GRAPH_DELEGATED_PERMISSION_IDS,
} from "../graph/permissions.generated";

export { GRAPH_DELEGATED_PERMISSION_IDS };

/** Microsoft Graph application permissions (app roles): id → value. */
export const GRAPH_APPLICATION_PERMISSION_IDS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(APPLICATION_ID_BY_NAME).map(([name, id]) => [id, name])),
);

// Graph's client id and its tier-0 permissions have one home, src/graph/; the checker uses the same.
export {
  GRAPH_CLIENT_ID as GRAPH_APP_ID,
  GRAPH_IDENTIFIER_URI,
  GRAPH_TIER0_PERMISSIONS as TIER0_GRAPH_APPLICATION_PERMISSIONS,
} from "../graph";
