// The workload of bench/synth.bench.js, in two variants that must synthesize the same resources:
//
// - buildWithLibrary(lib, stack, n): n MachineClients, each granted one scope on each of two
//   ProtectedApis shared by all clients, with a ClientSecret.rotating() credential.
// - buildRaw(stack, n): the same resources written by hand with the provider classes.
//
// test/bench-workload.test.ts synthesizes both for small n and asserts the same resource count
// per type and the same attributes, so that the comparison stays honest when the library changes.
// When it fails, update the raw* function named in the failure (rawApi, rawClientApp,
// rawClientGrant, rawRotatingSecret) to declare what the library now declares.
"use strict";
const { v5: uuidv5 } = require("uuid");
const { AzureadProvider } = require("@cdktf/provider-azuread/lib/provider");
const { Application } = require("@cdktf/provider-azuread/lib/application");
const { ServicePrincipal } = require("@cdktf/provider-azuread/lib/service-principal");
const { AppRoleAssignment } = require("@cdktf/provider-azuread/lib/app-role-assignment");
const { ApplicationPasswordA } = require("@cdktf/provider-azuread/lib/application-password");
const {
  DataAzureadClientConfig,
} = require("@cdktf/provider-azuread/lib/data-azuread-client-config");
const { TimeProvider } = require("@cdktf/provider-time/lib/provider");
const { Sleep } = require("@cdktf/provider-time/lib/sleep");

/** The two APIs every client is granted on, each with a small vocabulary. */
const APIS = [
  {
    id: "OrdersApi",
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    scopes: {
      "orders.read": { description: "Read orders" },
      "orders.write": { description: "Create and update orders" },
      "orders.admin": { description: "Manage all orders", privileged: true },
    },
  },
  {
    id: "BillingApi",
    displayName: "billing-api",
    identifierUri: "api://contoso.example/billing",
    scopes: {
      "invoices.read": { description: "Read invoices" },
      "invoices.write": { description: "Create invoices" },
      "payments.read": { description: "Read payments" },
      "payments.refund": { description: "Refund payments", privileged: true },
    },
  },
];

/** Each client's secret schedule (two slots: validity ≥ 2 × rotation). */
const ROTATION_DAYS = 20;
const VALIDITY_DAYS = 60;

/** The scope client `i` is granted on `api`: the vocabulary's keys in turn. */
function scopeFor(api, i) {
  const keys = Object.keys(api.scopes);
  return keys[i % keys.length];
}

function clientName(i) {
  return `client-${String(i).padStart(5, "0")}`;
}

function addProviders(stack) {
  new AzureadProvider(stack, "azuread", {});
  new TimeProvider(stack, "time", {});
}

/** The library variant. `lib` is the library module (../lib in the bench, ../src in the test). */
function buildWithLibrary(lib, stack, n) {
  const { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } = lib;
  addProviders(stack);
  const apis = APIS.map((a) => ({
    spec: a,
    api: new ProtectedApi(stack, a.id, {
      displayName: a.displayName,
      identifierUri: a.identifierUri,
      vocabulary: ScopeVocabulary.define(a.scopes),
    }),
  }));
  for (let i = 0; i < n; i++) {
    new MachineClient(stack, `Client${i}`, {
      displayName: clientName(i),
      access: apis.map(({ spec, api }) => {
        const scope = scopeFor(spec, i);
        // Privileged scopes need a justification (it is recorded, not synthesized).
        return spec.scopes[scope].privileged
          ? api.grant(scope, { justification: "benchmark workload: privileged grant" })
          : api.grant(scope);
      }),
      credential: ClientSecret.rotating({
        rotationDays: ROTATION_DAYS,
        validityDays: VALIDITY_DAYS,
        // The client's name rather than its construct path, so that both variants (in stacks
        // of different names) get the same rotation offsets.
        scheduleKey: clientName(i),
      }),
    });
  }
}

// ---- The raw variant: the provider classes, written as a platform team would by hand. ----------

/** An app role id as the library derives it (UUIDv5 of the lower-case value), precomputed once. */
const ROLE_ID_NAMESPACE = "bb32304d-e960-5972-9540-9b53107e1da7";
function roleId(value) {
  return uuidv5(value.toLowerCase(), ROLE_ID_NAMESPACE);
}

/** A protected API: app registration with one app role per scope, and its service principal. */
function rawApi(stack, spec, owners) {
  const roles = Object.keys(spec.scopes)
    .sort()
    .map((value) => ({
      id: roleId(value),
      value,
      displayName: value,
      description: spec.scopes[value].description,
      allowedMemberTypes: ["Application"],
      enabled: true,
    }));
  const app = new Application(stack, `${spec.id}_app`, {
    displayName: spec.displayName,
    signInAudience: "AzureADMyOrg",
    identifierUris: [spec.identifierUri],
    owners,
    api: { requestedAccessTokenVersion: 2 },
    appRole: roles,
    lifecycle: { preventDestroy: true },
  });
  const sp = new ServicePrincipal(stack, `${spec.id}_sp`, {
    clientId: app.clientId,
    appRoleAssignmentRequired: true,
    owners,
    lifecycle: { preventDestroy: true },
  });
  // Entra replicates new app roles with a delay: assignments wait after a role change.
  const replication = new Sleep(stack, `${spec.id}_replication`, {
    createDuration: "60s",
    triggers: {
      enabled_app_role_ids: roles
        .map((r) => r.id)
        .sort()
        .join(","),
    },
    dependsOn: [app, sp],
  });
  return { spec, app, sp, replication, roleIds: new Map(roles.map((r) => [r.value, r.id])) };
}

/** A client's app registration (client credentials only) and its service principal. */
function rawClientApp(stack, name, owners, grants) {
  const app = new Application(stack, `${name}_app`, {
    displayName: name,
    signInAudience: "AzureADMyOrg",
    fallbackPublicClientEnabled: false,
    owners,
    requiredResourceAccess: grants.map((g) => ({
      resourceAppId: g.api.app.clientId,
      resourceAccess: [{ id: g.roleId, type: "Role" }],
    })),
    lifecycle: { preventDestroy: true },
  });
  const sp = new ServicePrincipal(stack, `${name}_sp`, {
    clientId: app.clientId,
    owners,
    lifecycle: { preventDestroy: true },
  });
  return { app, sp };
}

/** One application permission granted to a client: an app role assignment. */
function rawClientGrant(stack, name, client, grant) {
  new AppRoleAssignment(stack, `${name}_${grant.scope}`, {
    appRoleId: grant.roleId,
    principalObjectId: client.sp.objectId,
    resourceObjectId: grant.api.sp.objectId,
    dependsOn: [grant.api.replication],
  });
}

/** A client's rotating secret: two staggered passwords, each replaced every 2 × ROTATION_DAYS. */
const DAY_SECONDS = 86400;
function rawRotatingSecret(stack, name, client) {
  const now = "provider::time::rfc3339_parse(plantimestamp()).unix";
  const offsetMinutes = fnv1a(name) % (ROTATION_DAYS * 1440);
  const period = 2 * ROTATION_DAYS * DAY_SECONDS;
  for (const [slot, label] of [
    [0, "A"],
    [1, "B"],
  ]) {
    const shift = offsetMinutes * 60 + slot * ROTATION_DAYS * DAY_SECONDS;
    const start = `((floor(((${now} - ${shift}) / ${period})) * ${period}) + ${shift})`;
    new ApplicationPasswordA(stack, `${name}_secret_${label}`, {
      applicationId: client.app.id,
      displayName: `rotating secret, slot ${label}`,
      endDate: `\${timeadd(plantimestamp(), "${VALIDITY_DAYS * 24}h")}`,
      rotateWhenChanged: {
        period_start: `\${timeadd("1970-01-01T00:00:00Z", format("%ds", ${start}))}`,
      },
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["end_date"] },
    });
  }
}

/** FNV-1a (32 bits) of a string, as the library hashes a client's schedule key. */
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The raw variant. */
function buildRaw(stack, n) {
  addProviders(stack);
  const owners = [new DataAzureadClientConfig(stack, "deployer").objectId];
  const apis = APIS.map((spec) => rawApi(stack, spec, owners));
  // The library orders a client's grants by identifier URI, then scope.
  const byUri = [...apis].sort((a, b) => (a.spec.identifierUri < b.spec.identifierUri ? -1 : 1));
  for (let i = 0; i < n; i++) {
    const name = clientName(i);
    const grants = byUri.map((api) => {
      const scope = scopeFor(api.spec, i);
      return { api, scope, roleId: api.roleIds.get(scope) };
    });
    const client = rawClientApp(stack, name, owners, grants);
    for (const grant of grants) rawClientGrant(stack, name, client, grant);
    rawRotatingSecret(stack, name, client);
  }
}

module.exports = { APIS, buildWithLibrary, buildRaw };
