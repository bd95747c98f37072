/**
 * Entra ID's limits on app registrations that this library checks at synth, so that a program
 * Entra would refuse fails `cdktf synth` with a message naming the limit instead of failing
 * `terraform apply` half-way. Pure TypeScript (no cdktf import): every layer may use it.
 *
 * Source: Microsoft Entra documentation, "Validation differences by supported account types"
 * (single-tenant column, `AzureADMyOrg`, which every app of this library is) and "App role limits".
 */

/** An app registration's display name, single-tenant apps: at most 120 characters. */
export const MAX_DISPLAY_NAME_LENGTH = 120;

/** `required_resource_access`: at most 50 resource APIs per app registration. */
export const MAX_RESOURCE_APIS_PER_CLIENT = 50;

/** `required_resource_access`: at most 400 permissions across all resource APIs. */
export const MAX_PERMISSIONS_PER_CLIENT = 400;

/**
 * App roles and delegated permission scopes share one collection of at most 700 permission
 * definitions per application; disabled (retired) definitions count too. (The manifest's overall
 * cap of 1,200 collection entries cannot be reached by an API of this library once this one
 * holds: it adds a single identifier URI and no other collection.)
 */
export const MAX_PERMISSION_DEFINITIONS_PER_API = 700;
