import { ApiModel } from "../model";
import { ScopeVocabulary } from "../vocabulary/scope-vocabulary";

/** An API's declared model from its vocabulary, for the inventory, policies and `check`. */
export function apiModel(
  path: string,
  kind: ApiModel["kind"],
  identifierUri: string,
  identifierUriSource: ApiModel["identifierUriSource"],
  vocabulary: ScopeVocabulary,
  clientId?: string,
): ApiModel {
  return {
    path,
    kind,
    identifierUri,
    identifierUriSource,
    ...(clientId !== undefined ? { clientId } : {}),
    roles: vocabulary.appRoles.map((r) => ({
      scope: r.value,
      roleId: r.roleId,
      enabled: r.enabled,
      status: r.status,
      privileged: r.privileged,
      ...(r.replacedBy !== undefined ? { replacedBy: r.replacedBy } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    })),
  };
}
