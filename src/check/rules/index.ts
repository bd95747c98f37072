/**
 * Every rule of `check`, in id order. Adding a rule: write `rules/<id>-<name>.ts` exporting a
 * {@link CheckRule} (id, name, severity, description, explanation, fix, undecidable, check), and
 * add it to {@link CHECK_RULES}. Ids never change and are never reused.
 */
import { CheckRule } from "../types";
import { DelegatedPermissionOnMachineClient } from "./mcc001-delegated-permission-on-machine-client";
import { UnknownGraphPermission } from "./mcc002-unknown-graph-permission";
import { GraphPermissionKindMismatch } from "./mcc003-graph-permission-kind-mismatch";
import { CredentialWithoutEndDate } from "./mcc004-credential-without-end-date";
import { CredentialEndDateTooFar } from "./mcc005-credential-end-date-too-far";
import { CredentialChangesEveryRun } from "./mcc006-credential-changes-every-run";
import { PasswordWithoutRotation } from "./mcc007-password-without-rotation";
import { PasswordRotationConstant } from "./mcc008-password-rotation-constant";
import { ApiAssignmentNotRequired } from "./mcc009-api-assignment-not-required";
import { AppRoleIdNotStable } from "./mcc010-app-role-id-not-stable";
import { GraphTier0Permission } from "./mcc011-graph-tier0-permission";
import { AssignmentOfRetiredAppRole } from "./mcc012-assignment-of-retired-app-role";
import { IdentifierUriNotSecure } from "./mcc013-identifier-uri-not-secure";

/** Every rule `check` applies, in id order. */
export const CHECK_RULES: readonly CheckRule[] = Object.freeze(
  [
    DelegatedPermissionOnMachineClient,
    UnknownGraphPermission,
    GraphPermissionKindMismatch,
    CredentialWithoutEndDate,
    CredentialEndDateTooFar,
    CredentialChangesEveryRun,
    PasswordWithoutRotation,
    PasswordRotationConstant,
    ApiAssignmentNotRequired,
    AppRoleIdNotStable,
    GraphTier0Permission,
    AssignmentOfRetiredAppRole,
    IdentifierUriNotSecure,
  ].map((rule) => Object.freeze(rule)),
);

export {
  DelegatedPermissionOnMachineClient,
  UnknownGraphPermission,
  GraphPermissionKindMismatch,
  CredentialWithoutEndDate,
  CredentialEndDateTooFar,
  CredentialChangesEveryRun,
  PasswordWithoutRotation,
  PasswordRotationConstant,
  ApiAssignmentNotRequired,
  AppRoleIdNotStable,
  GraphTier0Permission,
  AssignmentOfRetiredAppRole,
  IdentifierUriNotSecure,
};
