import { ApiModel, GrantModel, MachineClientModel } from "../../src";
import { resolveOrgPolicy } from "../../src/policy/evaluate";
import { evaluateClient } from "../../src/policy/evaluate";
import { RetiredPermissionRule } from "../../src/policy/retired-permission";

const ORDERS = "api://contoso.example/orders";
const READ = "25871f89-27fe-5f2b-8146-341119d3cff0";
const ADMIN = "0fda7f49-0b7d-5249-aee9-68982d133464";
const VIEW = "9a1b2c3d-27fe-5f2b-8146-341119d3cff0";

const grant = (scope: string, roleId: string, extra: Partial<GrantModel> = {}): GrantModel => ({
  api: ORDERS,
  identifierUri: ORDERS,
  scope,
  roleId,
  privileged: false,
  ...extra,
});

const client = (grants: GrantModel[]): MachineClientModel => ({
  path: "clients/Reporting",
  displayName: "reporting",
  owners: [],
  explicitOwners: false,
  grants,
  credentials: [{ kind: "federated", issuer: "https://x", subject: "s" }],
});

const api = (roles: ApiModel["roles"], extra: Partial<ApiModel> = {}): ApiModel => ({
  path: "orders/OrdersApi",
  kind: "protected",
  identifierUri: ORDERS,
  identifierUriSource: "literal",
  roles,
  ...extra,
});

const role = (scope: string, roleId: string, extra: Partial<ApiModel["roles"][number]> = {}) => ({
  scope,
  roleId,
  enabled: true,
  status: "active" as const,
  privileged: false,
  ...extra,
});

function findings(c: MachineClientModel, apis: ApiModel[]) {
  return evaluateClient(c, resolveOrgPolicy("test", {}), [], { apis }).filter(
    (f) => f.ruleId === RetiredPermissionRule.id,
  );
}

describe("MC-RETIRED-PERMISSION", () => {
  it("flags a grant of a role the API's vocabulary retired, naming the replacement", () => {
    const f = findings(client([grant("orders.admin", ADMIN)]), [
      api([
        role("orders.admin", ADMIN, {
          enabled: false,
          status: "retired",
          replacedBy: "orders.write",
          reason: "split (OPS-9)",
        }),
      ]),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      path: "clients/Reporting",
      problem:
        'the client holds "orders.admin" on api://contoso.example/orders, which the API\'s vocabulary (orders/OrdersApi) has retired (split (OPS-9))',
      value: "orders.admin",
      fix: 'Grant "orders.write" instead and remove the grant: a retired role stays in the client\'s tokens until its assignment is removed, and the API can delete the role only after every grant of it is gone.',
    });
  });

  it("flags a grant of a role the API no longer declares", () => {
    const f = findings(client([grant("orders.read", READ)]), [
      api([role("orders.view", VIEW)], { identifierUri: "API://Contoso.Example/Orders" }),
    ]);
    expect(f.map((x) => x.problem)).toEqual([
      `the client holds "orders.read" (role id ${READ}) on api://contoso.example/orders, which the API's vocabulary (orders/OrdersApi) no longer declares`,
    ]);
  });

  it("flags the old role a grant still assigns once the API retired the old name", () => {
    const f = findings(
      client([grant("orders.view", VIEW, { renamedFrom: { scope: "orders.read", roleId: READ } })]),
      [
        api([
          role("orders.read", READ, {
            enabled: false,
            status: "retired",
            replacedBy: "orders.view",
          }),
          role("orders.view", VIEW),
        ]),
      ],
    );
    expect(f.map((x) => x.value)).toEqual(["orders.read"]);
  });

  it("passes active and renamed roles, other APIs, and copies of an API", () => {
    const apis = [
      api([role("orders.read", READ, { status: "renamed", replacedBy: "orders.view" })]),
      api([], { path: "x/Copy", kind: "existing" }),
      api([], { path: "other/Api", identifierUri: "api://contoso.example/other" }),
    ];
    expect(findings(client([grant("orders.read", READ)]), apis)).toEqual([]);
    expect(findings(client([grant("orders.read", READ)]), [])).toEqual([]);
  });
});
