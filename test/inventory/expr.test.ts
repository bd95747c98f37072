import { Unknown, durationHours, evaluate, parseTemplate } from "../../src/inventory/check/expr";
import { ModuleContext } from "../../src/inventory/check/module";

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
