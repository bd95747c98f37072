import type { GraphApplicationPermission } from "./permissions";

/**
 * Microsoft Graph's tier-0 application permissions: the one documented place the library keeps
 * them. Each one lets a client take over the tenant or its data on its own — grant itself or
 * others any role, add credentials to any app, rewrite users, groups and the directory, or read
 * and send every mailbox's mail and every site's files. `MicrosoftGraph.grant()` accepts them only
 * with a `justification` (compile time and run time), and the grant is marked `privileged` in the
 * declared model, so policy checks and the inventory see it.
 *
 * Sources: Microsoft's "Overview of Microsoft Graph permissions" (least privilege) and the
 * community tiering of Graph application permissions (Azure AD / Entra ID attack paths). Add to
 * the list, never remove from it without a review: each entry is a reason, not a preference.
 */
export const GRAPH_TIER0_PERMISSIONS = Object.freeze([
  // Assign any directory role (incl. Global Administrator) to any principal, itself included.
  "RoleManagement.ReadWrite.Directory",
  // Grant any app role of any API (incl. these permissions on Graph) to any service principal.
  "AppRoleAssignment.ReadWrite.All",
  // Add credentials to any app registration and act as it.
  "Application.ReadWrite.All",
  // Write every directory object: users, groups, devices, apps.
  "Directory.ReadWrite.All",
  // Change membership of any group, including role-assignable and privileged-access groups.
  "Group.ReadWrite.All",
  // Change any user, including sign-in names and authentication-relevant properties.
  "User.ReadWrite.All",
  // Read, change and delete mail in every mailbox.
  "Mail.ReadWrite",
  // Send mail as any user: phishing from inside the tenant.
  "Mail.Send",
  // Read and write every user's OneDrive and every SharePoint library.
  "Files.ReadWrite.All",
  // Full control of every SharePoint site, including its permissions.
  "Sites.FullControl.All",
  // Manage every conditional access and authentication policy of the tenant.
  "Policy.ReadWrite.ConditionalAccess",
  // Grant delegated permissions tenant-wide on behalf of every user.
  "DelegatedPermissionGrant.ReadWrite.All",
  // Set and reset any user's authentication methods (take over accounts).
  "UserAuthenticationMethod.ReadWrite.All",
] as const satisfies readonly GraphApplicationPermission[]);

/** One of {@link GRAPH_TIER0_PERMISSIONS}. */
export type GraphTier0Permission = (typeof GRAPH_TIER0_PERMISSIONS)[number];

/** True when `name` is one of {@link GRAPH_TIER0_PERMISSIONS} (exact letter case). */
export function isGraphTier0Permission(name: string): name is GraphTier0Permission {
  return (GRAPH_TIER0_PERMISSIONS as readonly string[]).includes(name);
}
