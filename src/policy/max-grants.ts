import { PolicyRule } from "./types";

/** MC-MAX-GRANTS: a client holds at most `maxGrantsPerClient` grants. */
export const MaxGrantsRule: PolicyRule = {
  id: "MC-MAX-GRANTS",
  info: "Clients hold no more grants than the org's maximum.",
  explanation:
    "A client with many permissions is a skeleton key: splitting it by job keeps each identity least-privileged (OWASP NHI5).",
  fix: "Split the client into one client per job, each with only the grants that job needs, or raise maxGrantsPerClient in the org policy.",
  check(client, policy) {
    if (client.grants.length <= policy.maxGrantsPerClient) return [];
    return [
      {
        problem: `the client holds ${client.grants.length} grants; the org allows at most ${policy.maxGrantsPerClient}`,
        value: client.grants.length,
        fix: "Split the client into clients per job, each with only the grants that job needs.",
      },
    ];
  },
};
