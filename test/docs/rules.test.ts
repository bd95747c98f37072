import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import {
  REPOSITORY_URL,
  RULE_CATALOGUE_URL,
  renderRuleCatalogue,
  ruleAnchor,
  ruleHelpUri,
} from "../../src/check/rule-catalogue";
import { CHECK_RULES } from "../../src/check/rules";
import { formatSarif } from "../../src/check/format";
import { API_POLICY_RULES, POLICY_RULES } from "../../src/policy/rules";

// docs/rules.md is generated from the rule definitions (`npm run generate:rules`), never edited.
const ROOT = path.join(__dirname, "..", "..");
const FILE = path.join(ROOT, "docs", "rules.md");
const page = fs.readFileSync(FILE, "utf8");

const policyRules = [...POLICY_RULES, ...API_POLICY_RULES];

/** The text of the section whose heading carries `anchor`, up to the next heading. */
function sectionOf(anchor: string): string {
  const start = page.indexOf(`### <a id="${anchor}"></a>`);
  if (start < 0) return "";
  const next = page.indexOf("\n#", start + 1);
  return page.slice(start, next < 0 ? undefined : next);
}

describe("docs/rules.md", () => {
  it("is what the rule definitions generate", () => {
    // Fails while the page is stale: run `npm run generate:rules`. The script formats the page
    // with Prettier, which jest cannot load, so it runs in its own process.
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, "scripts", "generate-rules.js"), "--stdout"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(page);
  });

  it("lists what the renderer gives, before formatting", () => {
    const raw = renderRuleCatalogue();
    for (const rule of [...policyRules, ...CHECK_RULES]) {
      expect(raw).toContain(`<a id="${ruleAnchor(rule.id)}"></a>`);
    }
  });

  it.each(policyRules.map((r) => [r.id, r] as const))(
    "documents policy rule %s with its anchor, description, explanation and fix",
    (id, rule) => {
      expect(ruleAnchor(id)).toBe(id.toLowerCase());
      const section = sectionOf(ruleAnchor(id));
      expect(section).toContain(`${id}\n`);
      expect(section).toContain("**Severity:** error.");
      expect(section).toContain(rule.info);
      expect(section).toContain(rule.explanation);
      expect(section).toContain(`**Fix:** ${rule.fix}`);
      expect(page).toMatch(new RegExp(`\\| \\[${id}\\]\\(#${ruleAnchor(id)}\\) +\\|`));
    },
  );

  it.each(CHECK_RULES.map((r) => [r.id, r] as const))(
    "documents check rule %s with its anchor, severity, description, explanation and fix",
    (id, rule) => {
      const section = sectionOf(ruleAnchor(id));
      expect(section).toContain(`${id} ${rule.name}\n`);
      expect(section).toContain(`**Severity:** ${rule.severity}. ${rule.description}`);
      expect(section).toContain(rule.explanation);
      expect(section).toContain(`**Fix:** ${rule.fix}`);
      expect(section).toContain(`**When it cannot decide:** ${rule.undecidable}`);
      expect(page).toMatch(new RegExp(`\\| \\[${id}\\]\\(#${ruleAnchor(id)}\\) +\\|`));
    },
  );

  it("gives every rule a help text of one or two sentences at least", () => {
    for (const rule of [...policyRules, ...CHECK_RULES]) {
      expect([rule.id, rule.fix.trim().length > 20]).toEqual([rule.id, true]);
      expect([rule.id, /[.)]$/.test(rule.fix.trim())]).toEqual([rule.id, true]);
    }
  });

  it("has one anchor per rule, none twice", () => {
    const anchors = [...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
    expect(anchors).toEqual([...policyRules, ...CHECK_RULES].map((r) => ruleAnchor(r.id)));
  });
});

describe("rule help addresses", () => {
  it("use the repository of package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.repository.url).toBe(`git+${REPOSITORY_URL}.git`);
    expect(RULE_CATALOGUE_URL).toBe(`${REPOSITORY_URL}/blob/main/docs/rules.md`);
    expect(ruleHelpUri("MCC001")).toBe(`${REPOSITORY_URL}/blob/main/docs/rules.md#mcc001`);
  });

  it("give every SARIF rule a short and full description, help in text and Markdown, and its helpUri", () => {
    const log = JSON.parse(formatSarif({ findings: [], errors: [] } as never, ROOT, "0.0.0"));
    const rules = log.runs[0].tool.driver.rules as Record<string, unknown>[];
    expect(rules.map((r) => r.id)).toEqual(CHECK_RULES.map((r) => r.id));
    for (const [i, rule] of rules.entries()) {
      const def = CHECK_RULES[i];
      expect(rule).toMatchObject({
        shortDescription: { text: def.description },
        fullDescription: { text: def.explanation },
        help: {
          text: expect.stringContaining(`Fix: ${def.fix}`),
          markdown: expect.stringContaining(`**Fix:** ${def.fix}`),
        },
        helpUri: `${REPOSITORY_URL}/blob/main/docs/rules.md#${def.id.toLowerCase()}`,
      });
      // The anchor exists in the page.
      expect(page).toContain(`<a id="${def.id.toLowerCase()}"></a>`);
    }
    expect(log.runs[0].tool.driver.informationUri).toBe(`${REPOSITORY_URL}/blob/main/README.md`);
  });
});
