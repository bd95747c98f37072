import { PolicyRule } from "./types";

/** MC-EXPLICIT-OWNERS: when `requireExplicitOwners` is true, every client names its owners. */
export const ExplicitOwnersRule: PolicyRule = {
  id: "MC-EXPLICIT-OWNERS",
  info: "Clients name their owners explicitly.",
  explanation:
    "A client owned only by the pipeline's principal has no person to review, rotate or offboard it (OWASP NHI1, improper offboarding).",
  fix: "Set the client's owners to the object ids of the people or groups responsible for it.",
  check(client, policy) {
    if (!policy.requireExplicitOwners || client.explicitOwners) return [];
    return [
      {
        problem: "the client has no explicit owners; it defaults to the deploying principal",
        value: client.owners,
        fix: "Set owners to the object ids of the people or groups responsible for the client.",
      },
    ];
  },
};
