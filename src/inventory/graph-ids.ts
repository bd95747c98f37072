/**
 * Microsoft Graph facts the checker needs: Graph's client id, its permission tables (generated
 * from the CSV exports by scripts/generate-graph-ids.js) and the tier-0 application permissions.
 */
export {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_DELEGATED_PERMISSION_IDS,
} from "./graph-ids.generated";

/** Microsoft Graph's application (client) id, the same in every tenant. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * Graph application permissions that amount to control of the tenant, or to all mail and files:
 * any one of them in a pipeline's hands is a tenant-wide incident waiting to happen.
 */
export const TIER0_GRAPH_APPLICATION_PERMISSIONS: readonly string[] = [
  "RoleManagement.ReadWrite.Directory",
  "AppRoleAssignment.ReadWrite.All",
  "Application.ReadWrite.All",
  "Directory.ReadWrite.All",
  "Group.ReadWrite.All",
  "User.ReadWrite.All",
  "Mail.ReadWrite",
  "Mail.Send",
  "Files.ReadWrite.All",
  "Sites.FullControl.All",
];
