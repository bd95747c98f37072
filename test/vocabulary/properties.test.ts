import fc from "fast-check";
import { MachineClientsError, ScopeDefinitions, ScopeVocabulary } from "../../src";
import { isDelegatedScope } from "../../src/vocabulary/delegated";
import { isUuid } from "../../src/vocabulary/role-id";
import {
  ALLOWED_SCOPE_CHARACTERS,
  MAX_SCOPE_VALUE_LENGTH,
  checkScopeValue,
} from "../../src/vocabulary/rules";

const allowedChars = ALLOWED_SCOPE_CHARACTERS.split(" ").flatMap((token) =>
  /^.-.$/.test(token)
    ? Array.from({ length: token.charCodeAt(2) - token.charCodeAt(0) + 1 }, (_, i) =>
        String.fromCharCode(token.charCodeAt(0) + i),
      )
    : [token],
);

/** Scope values Entra accepts and that are not delegated scopes. */
const validScope = fc
  .string({
    unit: fc.constantFrom(...allowedChars),
    minLength: 1,
    maxLength: MAX_SCOPE_VALUE_LENGTH,
  })
  .filter((s) => !s.startsWith(".") && !isDelegatedScope(s));

describe("scope-value rules (property-based)", () => {
  it("accepts every value made of allowed characters, without a leading dot, up to 120 characters", () => {
    fc.assert(fc.property(validScope, (s) => checkScopeValue(s) === undefined));
  });

  it("rejects every value that contains whitespace", () => {
    const withSpace = fc
      .tuple(validScope, fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u2003"), validScope)
      .map(([a, ws, b]) => a + ws + b);
    fc.assert(fc.property(withSpace, (s) => checkScopeValue(s)?.code === "SCOPE_WHITESPACE"));
  });

  it("rejects every value with a non-ASCII character, naming the character", () => {
    const nonAscii = fc
      .tuple(validScope, fc.integer({ min: 0xa1, max: 0xffff }), validScope)
      .filter(([, cp]) => !/\s/.test(String.fromCharCode(cp)) && (cp < 0xd800 || cp > 0xdfff))
      .map(([a, cp, b]) => ({
        value: a + String.fromCharCode(cp) + b,
        char: String.fromCharCode(cp),
      }));
    fc.assert(
      fc.property(nonAscii, ({ value, char }) => {
        const problem = checkScopeValue(value);
        // Named by its code point; shown as itself, or escaped when invisible (e.g. U+00AD).
        const cp = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
        return problem?.code === "SCOPE_NON_ASCII" && problem.problem.includes(`(U+${cp})`);
      }),
    );
  });

  it("rejects every value longer than 120 characters", () => {
    const long = fc
      .string({ unit: fc.constantFrom("a", "b", "."), minLength: 121, maxLength: 400 })
      .map((s) => `x${s}`);
    fc.assert(fc.property(long, (s) => checkScopeValue(s)?.code === "SCOPE_TOO_LONG"));
  });

  it("define() throws a MachineClientsError for every rejected value, and only for those", () => {
    const anyString = fc.oneof(
      validScope,
      fc.string({ maxLength: 130 }),
      fc.string({ unit: "grapheme", maxLength: 10 }),
    );
    fc.assert(
      fc.property(anyString, (s) => {
        const problem = checkScopeValue(s);
        try {
          ScopeVocabulary.define({ [s]: { description: "d" } } as ScopeDefinitions);
          return problem === undefined;
        } catch (e) {
          return (
            problem !== undefined &&
            e instanceof MachineClientsError &&
            e.message.includes(JSON.stringify(s))
          );
        }
      }),
    );
  });
});

describe("role ids (property-based)", () => {
  it("are stable: the same value gives the same UUID in every definition", () => {
    fc.assert(
      fc.property(
        validScope,
        fc.string({ minLength: 1 }).filter((d) => d.trim().length > 0),
        (s, description) => {
          const a = ScopeVocabulary.define({ [s]: { description: "first" } } as ScopeDefinitions);
          const b = ScopeVocabulary.define({ [s]: { description } } as ScopeDefinitions);
          return isUuid(a.get(s).roleId) && a.get(s).roleId === b.get(s).roleId;
        },
      ),
    );
  });

  it("are distinct within a vocabulary", () => {
    const distinctScopes = fc.uniqueArray(validScope, {
      minLength: 1,
      maxLength: 40,
      selector: (s) => s.toLowerCase(),
    });
    fc.assert(
      fc.property(distinctScopes, (scopes) => {
        const v = ScopeVocabulary.define(
          Object.fromEntries(scopes.map((s) => [s, { description: "d" }])) as ScopeDefinitions,
        );
        return new Set(v.scopes.map((e) => e.roleId)).size === scopes.length;
      }),
    );
  });
});
