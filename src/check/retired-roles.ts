/**
 * MCC012 across stacks: this library writes each stack's APIs (with every app role's status)
 * and grants to `machine-clients.json`. When `check` reads several stacks' synth output (e.g.
 * `cdktf.out`), a grant in one stack of a role that the API's own stack has retired or removed
 * is reported at the assignment, though nothing in that stack's Terraform shows it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ParsedFile } from "./module";
import { Finding } from "./types";
import {
  MANIFEST_FILE_NAME,
  MachineClientManifest,
  ManifestApi,
} from "../inventory/manifest-schema";

/** A module's directory and its parsed files. */
export interface CheckedModule {
  readonly dir: string;
  readonly files: readonly ParsedFile[];
}

/**
 * The manifest this library wrote beside a synthesized stack, or `undefined` when there is none
 * (or it cannot be read: the findings of the module then stand on their own).
 */
export function manifestIn(dir: string): MachineClientManifest | undefined {
  let manifest: MachineClientManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE_NAME), "utf8"));
  } catch {
    return undefined;
  }
  if (manifest?.schemaVersion !== 1 || !Array.isArray(manifest.clients)) return undefined;
  return manifest;
}

/**
 * MCC012 findings for grants, recorded in one stack's manifest, of roles that an API's own
 * declaration (a `ProtectedApi` in any manifest read) has retired or no longer declares.
 * @param reported findings already made; an assignment reported by the in-module rule is skipped
 */
export function retiredRoleFindings(
  modules: readonly CheckedModule[],
  reported: readonly Finding[],
): Finding[] {
  const manifests = modules.flatMap((m) => {
    const manifest = manifestIn(m.dir);
    return manifest ? [{ module: m, manifest }] : [];
  });
  const apis = new Map<string, { api: ManifestApi; stack: string }>();
  for (const { manifest } of manifests) {
    for (const api of Array.isArray(manifest.apis) ? manifest.apis : []) {
      if (api.kind === "protected" && Array.isArray(api.roles)) {
        apis.set(String(api.identifierUri).toLowerCase(), { api, stack: manifest.stack });
      }
    }
  }
  if (apis.size === 0) return [];
  const already = new Set(reported.filter((f) => f.ruleId === "MCC012").map((f) => f.address));
  const out: Finding[] = [];
  for (const { module, manifest } of manifests) {
    for (const client of manifest.clients) {
      for (const g of client.grants ?? []) {
        const owner = apis.get(String(g.identifierUri).toLowerCase());
        if (!owner) continue;
        const held = [
          { scope: g.scope, roleId: g.roleId },
          ...(g.renamedFrom ? [g.renamedFrom] : []),
        ];
        for (const h of held) {
          const role = owner.api.roles.find((r) => r.roleId === String(h.roleId).toLowerCase());
          if (role && role.status !== "retired") continue;
          const at = locate(module, client.path, h.roleId);
          if (already.has(at.address)) continue;
          const declaredBy = `the API's own declaration (${owner.api.path} in stack ${owner.stack})`;
          out.push({
            ruleId: "MCC012",
            severity: "error",
            file: at.file,
            ...(at.line !== undefined ? { line: at.line } : {}),
            address: at.address,
            message: role
              ? `${client.path} holds "${h.scope}" (${h.roleId}) on ${g.identifierUri}, which ${declaredBy} has retired${role.replacedBy !== undefined ? ` (replaced by "${role.replacedBy}")` : ""}: disabling a role does not revoke it, so the client keeps it in its tokens while the assignment exists.`
              : `${client.path} holds "${h.scope}" (${h.roleId}) on ${g.identifierUri}, which ${declaredBy} no longer declares: the assignment points at a removed role, and this stack's plan fails on it.`,
            fix: `Remove the grant in this stack${role?.replacedBy !== undefined ? ` (grant "${role.replacedBy}" instead)` : ""} and the entry from its copy of the API's vocabulary.`,
          });
        }
      }
    }
  }
  return out;
}

/** The assignment resource of `roleId` under the client's construct path, else the manifest. */
function locate(
  module: CheckedModule,
  clientPath: string,
  roleId: string,
): { file: string; line?: number; address: string } {
  for (const p of module.files) {
    const assignments = (p.config.resource as Record<string, unknown> | undefined)
      ?.azuread_app_role_assignment;
    if (typeof assignments !== "object" || assignments === null) continue;
    for (const [name, body] of Object.entries(assignments as Record<string, unknown>)) {
      const b = body as { "//"?: { metadata?: { path?: unknown } }; app_role_id?: unknown };
      const resourcePath = b?.["//"]?.metadata?.path;
      if (
        typeof resourcePath === "string" &&
        resourcePath.startsWith(`${clientPath}/`) &&
        typeof b.app_role_id === "string" &&
        b.app_role_id.toLowerCase() === String(roleId).toLowerCase()
      ) {
        const line = p.lines("resource", "azuread_app_role_assignment", name);
        return {
          file: p.file,
          ...(line !== undefined ? { line } : {}),
          address: `azuread_app_role_assignment.${name}`,
        };
      }
    }
  }
  return { file: path.join(module.dir, MANIFEST_FILE_NAME), address: clientPath };
}
