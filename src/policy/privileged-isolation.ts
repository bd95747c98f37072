import { PolicyRule } from "./types";

/**
 * MC-PRIVILEGED-ISOLATION: a client holding a privileged grant holds no non-privileged grants on
 * other APIs, unless `allowPrivilegedWithOtherApis` is true.
 */
export const PrivilegedIsolationRule: PolicyRule = {
  id: "MC-PRIVILEGED-ISOLATION",
  info: "Privileged clients are dedicated to the APIs they hold privileged grants on.",
  explanation:
    "A client that mixes a privileged grant with everyday access to other APIs is exposed wherever it runs, so privileged access gets its own identity (OWASP NHI5, overprivileged identities).",
  fix: "Move the privileged grants to a client of their own, or set allowPrivilegedWithOtherApis: true in the org policy.",
  check(client, policy) {
    if (policy.allowPrivilegedWithOtherApis) return [];
    const privilegedApis = new Set(client.grants.filter((g) => g.privileged).map((g) => g.api));
    if (privilegedApis.size === 0) return [];
    const others = client.grants.filter((g) => !g.privileged && !privilegedApis.has(g.api));
    if (others.length === 0) return [];
    return [
      {
        problem: `the client holds privileged grants on ${[...privilegedApis].join(", ")} and also non-privileged grants on other APIs`,
        value: others.map((g) => `${g.api} ${g.scope}`),
        fix: "Move the privileged grants to a dedicated client, or set allowPrivilegedWithOtherApis: true in the org policy.",
      },
    ];
  },
};
