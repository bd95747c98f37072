/**
 * Microsoft Graph facts the checker needs: Graph's client id, its permission tables (generated
 * from the CSV exports by scripts/generate-graph-ids.js) and the tier-0 application permissions.
 */
export {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_DELEGATED_PERMISSION_IDS,
} from "./graph-ids.generated";

// Graph's client id and its tier-0 permissions have one home, src/graph/; the checker uses the same.
export {
  GRAPH_CLIENT_ID as GRAPH_APP_ID,
  GRAPH_IDENTIFIER_URI,
  GRAPH_TIER0_PERMISSIONS as TIER0_GRAPH_APPLICATION_PERMISSIONS,
} from "../graph";
