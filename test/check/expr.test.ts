import { Unknown, durationHours, evaluate, parseTemplate } from "../../src/check/expr";
import { ModuleContext } from "../../src/check/module";

const noRefs = { resolve: () => new Unknown("a reference") };
const ev = (s: string) => evaluate(parseTemplate(s), noRefs);

describe("check's expression evaluator", () => {
  test("evaluates literals, templates, arithmetic, conditionals and collections", () => {
    expect(ev("plain")).toBe("plain");
    expect(ev("${2 * (3 + 4)}h")).toBe("14h");
    expect(ev('${true ? "a" : "b"}')).toBe("a");
    expect(ev('${["x", 1]}')).toEqual(["x", 1]);
    expect(ev('${{ a = 1, "b" = 2 }}')).toEqual({ a: 1, b: 2 });
    expect(ev('${lookup({ a = 1 }, "b", 3)}')).toBe(3);
    expect(ev("$${not.an.expression}")).toBe("${not.an.expression}");
  });

  test("reads escaped interpolations and directives inside nested strings as text", () => {
    // A `}` after `$${` or `%%{` in a nested string closes nothing: the call ends where it ends.
    expect(ev('${replace("a$${", "$${", "c")}')).toBe("ac");
    expect(ev('${upper("%%{")}')).toBe("%{");
  });

  test("keeps what it cannot know as Unknown, with the reason", () => {
    const v = ev("${timestamp()}");
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).why).toBe("timestamp() changes on every run");
    expect(ev("${[for x in var.y : x]}")).toBeInstanceOf(Unknown);
    expect(ev("${this is not (valid}")).toBeInstanceOf(Unknown);
  });

  test("resolves variables from defaults and locals, and follows references through locals", () => {
    const mod = new ModuleContext("m", [
      {
        file: "m/main.tf",
        config: {
          variable: [{ days: [{ default: 30 }], open: [{}] }],
          locals: [{ hours: "${var.days * 24}", id: "${random_uuid.r.result}" }],
        },
        lines: () => undefined,
      },
    ]);
    expect(mod.eval("${local.hours}h")).toBe("720h");
    expect((mod.eval("${var.open}") as Unknown).why).toBe(
      "var.open has no default; its value comes from outside",
    );
    expect(mod.refs("${local.id}").map((r) => `${r.type}.${r.name}`)).toEqual(["random_uuid.r"]);
  });

  test("parses Go durations", () => {
    expect(durationHours("1440h")).toBe(1440);
    expect(durationHours("90m")).toBe(1.5);
    expect(durationHours("1h30m")).toBe(1.5);
    expect(durationHours("30d")).toBeUndefined();
  });
});

test("evaluates format() as used for durations", () => {
  expect(ev('${format("%sh", 30 * 24)}')).toBe("720h");
  expect(ev('${format("%d%%", 5)}')).toBe("5%");
});

test("try() falls back only when evaluation fails, not when a value is merely unknown", () => {
  const mod = new ModuleContext("m", [
    {
      file: "m/main.tf",
      config: { variable: [{ settings: [{}], policy: [{ default: { days: 90 } }] }] },
      lines: () => undefined,
    },
  ]);
  expect(mod.eval('${try({ a = 1 }.b, "fallback")}')).toBe("fallback");
  expect(mod.eval("${try(var.policy.days, 30)}")).toBe(90);
  expect(mod.eval("${try(var.settings.days, 30)}")).toBeInstanceOf(Unknown);
});

describe("Terraform syntax used by plan-time schedules", () => {
  const at = (s: string, planTime: number) => evaluate(parseTemplate(s), { ...noRefs, planTime });

  test("parses provider-defined and core:: function calls, with attribute access on results", () => {
    expect(ev('${provider::time::rfc3339_parse("2026-11-26T12:34:56Z").unix}')).toBe(
      Date.UTC(2026, 10, 26, 12, 34, 56) / 1000,
    );
    expect(ev('${provider::time::rfc3339_parse("2026-11-26T12:34:56+01:00").hour}')).toBe(11);
    expect(ev("${provider::time::unix_timestamp_parse(86400).day}")).toBe(2);
    expect(ev("${core::floor(7 / 2)}")).toBe(3);
    expect(ev('${provider::time::rfc3339_parse("26 Nov 2026").unix}')).toBeInstanceOf(Unknown);
    expect(ev("${provider::(1)}")).toBeInstanceOf(Unknown);
  });

  test("evaluates arithmetic, comparison, logical operators and conditionals", () => {
    expect(ev("${floor(7 / 2) * 2 + 1}")).toBe(7);
    expect(ev("${ceil(7 / 2) - 10 % 4}")).toBe(2);
    expect(ev("${1 < 2 && 3 >= 3 || false}")).toBe(true);
    expect(ev('${5 > 6 ? "a" : "b"}')).toBe("b");
    expect(ev("${max(1, 5, 3) - min(4, 2)}")).toBe(3);
    expect(ev('${timecmp("2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z")}')).toBe(1);
  });

  test("evaluates timeadd and format with %d", () => {
    expect(ev('${timeadd("2026-01-01T00:00:00Z", "36h")}')).toBe("2026-01-02T12:00:00Z");
    expect(ev('${timeadd("2026-01-01T00:00:00Z", "-90m")}')).toBe("2025-12-31T22:30:00Z");
    expect(ev('${timeadd("2026-01-01T00:00:00Z", format("%dh", 1440))}')).toBe(
      "2026-03-02T00:00:00Z",
    );
    expect(ev('${format("%03d-%d", 7, -2)}')).toBe("007--2");
    expect(ev('${format("%dh", 1.5)}')).toBeInstanceOf(Unknown);
    expect(ev('${timeadd("soon", "1h")}')).toBeInstanceOf(Unknown);
  });

  test("returns the simulated plan time from plantimestamp() and timestamp()", () => {
    const t = Date.UTC(2026, 10, 26, 0, 0, 30);
    expect(at("${plantimestamp()}", t)).toBe("2026-11-26T00:00:30Z");
    expect(at('${timeadd(timestamp(), "1h")}', t)).toBe("2026-11-26T01:00:30Z");
    expect(at("${floor(provider::time::rfc3339_parse(plantimestamp()).unix / 86400)}", t)).toBe(
      Math.floor(t / 86_400_000),
    );
    expect((at("${uuid()}", t) as Unknown).why).toBe("uuid() changes on every run");
    expect((ev("${plantimestamp()}") as Unknown).why).toBe("plantimestamp() changes on every run");
  });
});

describe("for expressions, splats and functions used by public modules", () => {
  const mod = (locals: Record<string, unknown>, variables: Record<string, unknown> = {}) =>
    new ModuleContext("m", [
      {
        file: "m/main.tf",
        config: { locals: [locals], variable: [variables] },
        lines: () => undefined,
      },
    ]);

  test("evaluates for expressions over lists, maps and objects, with if filters and grouping", () => {
    expect(ev('${[for s in ["a", "b"] : upper(s)]}')).toEqual(["A", "B"]);
    expect(ev('${[for i, s in ["a", "b"] : "${i}${s}"]}')).toEqual(["0a", "1b"]);
    // Maps iterate in key order, as Terraform does.
    expect(ev("${[for k, v in { b = 2, a = 1 } : k]}")).toEqual(["a", "b"]);
    expect(ev('${{ for s in ["x", "yy"] : s => length(s) }}')).toEqual({ x: 1, yy: 2 });
    expect(ev("${[for n in [1, 2, 3, 4] : n * 10 if n % 2 == 0]}")).toEqual([20, 40]);
    expect(ev('${{ for s in ["ab", "ac", "b"] : substr(s, 0, 1) => s... }}')).toEqual({
      a: ["ab", "ac"],
      b: ["b"],
    });
    // Nested: the inner for sees the outer iterator.
    expect(ev("${[for a in [1, 2] : [for b in [10, 20] : a + b]]}")).toEqual([
      [11, 21],
      [12, 22],
    ]);
  });

  test("follows for expressions through locals and variable defaults", () => {
    const m = mod(
      {
        roles: '${{ for r in var.roles : r.value => { allowed = ["Application"], id = r.id } }}',
        apps: '${[for k, r in local.roles : r.allowed if contains(r.allowed, "Application")]}',
      },
      { roles: [{ default: [{ value: "read", id: "6a4f2c55-8d3e-4b2a-9f1e-2b8c7d9e0a11" }] }] },
    );
    expect(m.eval("${local.roles.read.id}")).toBe("6a4f2c55-8d3e-4b2a-9f1e-2b8c7d9e0a11");
    expect(m.eval("${local.apps}")).toEqual([["Application"]]);
  });

  test("a for expression over an unknown collection keeps what every element holds", () => {
    const m = mod({
      ids: '${{ for r in var.roles : r => { id = random_uuid.role[r].result, kind = "Role" } }}',
    });
    const v = m.eval("${local.ids}");
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).why).toBe(
      "a for expression over var.roles is not declared in this module",
    );
    // Any element: its kind is known, its id is random_uuid.role's result.
    expect(m.eval('${local.ids["x"].kind}')).toBe("Role");
    const id = m.eval('${local.ids["x"].id}') as Unknown;
    expect(id.origin).toEqual({
      kind: "resource",
      type: "random_uuid",
      name: "role",
      path: ["result"],
    });
    // The iterator is no reference to a resource.
    expect(m.refs("${local.ids}").map((r) => `${r.type}.${r.name}`)).toEqual(["random_uuid.role"]);
  });

  test("an unknown value remembers the resource attribute it comes from, keys included", () => {
    const m = mod({ sp: "${data.azuread_service_principal.graph}" });
    const v = m.eval('${local.sp.app_role_ids["User.Read.All"]}') as Unknown;
    expect(v.origin).toEqual({
      kind: "data",
      type: "azuread_service_principal",
      name: "graph",
      path: ["app_role_ids", "User.Read.All"],
    });
    const l = m.eval('${lookup(azuread_service_principal.g.app_role_ids, "Mail.Send")}') as Unknown;
    expect(l.origin?.path).toEqual(["app_role_ids", "Mail.Send"]);
  });

  test("splats over lists, and over a single value", () => {
    expect(ev('${[{ id = "a" }, { id = "b" }][*].id}')).toEqual(["a", "b"]);
    const m = mod({ l: '${[{ id = "a" }]}' });
    expect(m.eval("${local.l[*].id}")).toEqual(["a"]);
  });

  test("collection and string functions", () => {
    expect(ev("${keys({ b = 1, a = 2 })}")).toEqual(["a", "b"]);
    expect(ev("${values({ b = 1, a = 2 })}")).toEqual([2, 1]);
    expect(ev('${flatten([["a"], ["b", ["c"]]])}')).toEqual(["a", "b", "c"]);
    expect(ev('${distinct(["a", "a", "b"])}')).toEqual(["a", "b"]);
    expect(ev('${zipmap(["a", "b"], [1, 2])}')).toEqual({ a: 1, b: 2 });
    expect(ev('${join("-", split(",", "a,b"))}')).toBe("a-b");
    expect(ev('${element(["a", "b"], 3)}')).toBe("b");
    expect(ev('${contains(["Application"], "Application")}')).toBe(true);
    expect(ev("${can(var.x)}")).toBeInstanceOf(Unknown);
    expect(ev("${can({ a = 1 }.b)}")).toBe(false);
    expect(ev('${one(["x"])}')).toBe("x");
    expect(ev("${range(3)}")).toEqual([0, 1, 2]);
  });

  test("uuidv5 gives RFC 4122 name-based ids (stable role ids)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { v5 } = require("uuid") as {
      v5: ((name: string, ns: string) => string) & { URL: string; DNS: string };
    };
    expect(ev('${uuidv5("url", "api://contoso.example/orders/orders.read")}')).toBe(
      v5("api://contoso.example/orders/orders.read", v5.URL),
    );
    expect(ev('${uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x")}')).toBe(v5("x", v5.DNS));
    expect(ev('${uuidv5("not-a-namespace", "x")}')).toBeInstanceOf(Unknown);
  });

  test("formatdate formats a time in its own offset", () => {
    expect(ev('${formatdate("YYYY-MM-DD\'T\'hh:mm:ssZ", "2026-11-26T08:05:03Z")}')).toBe(
      "2026-11-26T08:05:03Z",
    );
    expect(ev('${formatdate("DD MMM YYYY hh:mm ZZZ", "2026-01-02T23:04:00-08:00")}')).toBe(
      "02 Jan 2026 23:04 -0800",
    );
    expect(ev('${formatdate("EEEE, h AA", "2026-11-26T15:00:00Z")}')).toBe("Thursday, 15 PM");
    expect(ev('${formatdate("YYYY", "yesterday")}')).toBeInstanceOf(Unknown);
  });

  test("rfc3339_parse gives year_day, iso_year and iso_week", () => {
    const parse = (t: string) =>
      ev(`\${provider::time::rfc3339_parse("${t}")}`) as Record<string, number>;
    expect(parse("2026-02-01T00:00:00Z").year_day).toBe(32);
    // 2027-01-01 is a Friday: ISO week 53 of 2026.
    expect(parse("2027-01-01T00:00:00Z")).toMatchObject({ iso_year: 2026, iso_week: 53 });
    expect(parse("2026-11-26T00:00:00Z")).toMatchObject({ iso_year: 2026, iso_week: 48 });
  });
});
