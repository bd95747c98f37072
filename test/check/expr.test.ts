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
