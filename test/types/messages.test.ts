import { DELEGATED_SCOPES } from "../../src";
import { compileErrors } from "./compile";

// The @ts-expect-error lines in test/types/*.types.ts prove that the code does not compile; this
// test proves that the compiler's message names the offending scope and says what is wrong.
const header = `
import { TerraformStack } from "cdktf";
import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "../../src";
declare const stack: TerraformStack;
`;
const apiSetup = `
const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
const api = new ProtectedApi(stack, "Api", { displayName: "a", identifierUri: "api://x/orders", vocabulary: orders });
`;

const lifecycleSetup = `
const lifecycle = ScopeVocabulary.define({
  "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
  "orders.write": { description: "Write orders" },
  "orders.admin": { description: "Manage orders", retired: { replacedBy: "orders.write" } },
  "orders.audit": { description: "Audit", privileged: true, retired: { replacedBy: "orders.view" } },
  "orders.export": { description: "Export orders", retired: true },
});
const lapi = new ProtectedApi(stack, "L", { displayName: "l", identifierUri: "api://x/l", vocabulary: lifecycle });
`;

const delegatedCases = DELEGATED_SCOPES.flatMap((s) => [s, s.toUpperCase()]);
const sources: Record<string, string> = {
  ...Object.fromEntries(
    delegatedCases.map((scope) => [
      `delegated_${scope}`,
      `${header}ScopeVocabulary.define({ "orders.read": { description: "r" }, ${JSON.stringify(scope)}: { description: "x" } });`,
    ]),
  ),
  unknownGrant: `${header}${apiSetup}api.grant("orders.delete");`,
  delegatedGrant: `${header}${apiSetup}api.grant("offline_access");`,
  stringAccess: `${header}${apiSetup}new MachineClient(stack, "C", { displayName: "c", access: ["orders.read"], credential: ClientSecret.rotating() });`,
  typo: `${header}ScopeVocabulary.define({ "orders.read": { description: "r", priviledged: true } });`,
  reserved: `${header}ScopeVocabulary.define({ "orders.read": { description: "r" }, User: { description: "x" } });`,
  retiredReplaced: `${header}${lifecycleSetup}lapi.grant("orders.admin");`,
  retiredPrivileged: `${header}${lifecycleSetup}lapi.grant("orders.audit", { justification: "quarterly audit export (AUD-7)" });`,
  retiredAlone: `${header}${lifecycleSetup}lapi.grant("orders.export");`,
  renamed: `${header}${lifecycleSetup}lapi.grant("orders.read");`,
  lifecycleValid: `${header}${lifecycleSetup}lapi.grant("orders.view"); lapi.grant("orders.write");`,
  valid: `${header}${apiSetup}new MachineClient(stack, "C", { displayName: "c", access: [api.grant("orders.read")], credential: ClientSecret.rotating() });`,
};

let errors: Record<string, string[]>;
beforeAll(() => {
  errors = compileErrors(sources);
});

describe("compile-time messages", () => {
  it("compiles the valid program without errors (the harness itself works)", () => {
    expect(errors.valid).toEqual([]);
  });

  it.each(delegatedCases)("names the delegated key %s and says it is delegated", (scope) => {
    const messages = errors[`delegated_${scope}`];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(
      `${scope} is a delegated scope (user sign-in only) and never applies to the client credentials flow.`,
    );
  });

  it("names the scope outside the vocabulary and the allowed ones for grant()", () => {
    expect(errors.unknownGrant.join("\n")).toMatch(
      /Argument of type '"orders\.delete"' is not assignable to parameter of type '"orders\.read"'/,
    );
  });

  it("names offline_access when it is granted", () => {
    expect(errors.delegatedGrant.join("\n")).toMatch(
      /Argument of type '"offline_access"' is not assignable/,
    );
  });

  it("says a scope string is not a grant", () => {
    expect(errors.stringAccess.join("\n")).toMatch(
      /Type 'string' is not assignable to type 'ScopeGrant<string>'/,
    );
  });

  it("names a misspelt definition property", () => {
    expect(errors.typo.join("\n")).toContain(
      "priviledged is not a scope definition property. Use description, privileged, id, displayName, retired or renamedFrom.",
    );
  });
});

describe("compile-time messages of vocabularies that evolve", () => {
  it("compiles grants of active and renamed entries (the harness itself works)", () => {
    expect(errors.lifecycleValid).toEqual([]);
  });

  it("names a retired entry and its replacement", () => {
    expect(errors.retiredReplaced.join("\n")).toContain(
      "orders.admin is retired and can no longer be granted. Grant orders.write instead.",
    );
  });

  it("names a retired privileged entry and its replacement, with a justification given", () => {
    expect(errors.retiredPrivileged.join("\n")).toContain(
      "orders.audit is retired and can no longer be granted. Grant orders.view instead.",
    );
  });

  it("says to remove the grant of a retired entry without replacement", () => {
    expect(errors.retiredAlone.join("\n")).toContain(
      "orders.export is retired and can no longer be granted. Remove the grant.",
    );
  });

  it("names the new value of a renamed entry", () => {
    expect(errors.renamed.join("\n")).toContain(
      "orders.read was renamed to orders.view and can no longer be granted. Grant orders.view instead.",
    );
  });

  it("names a reserved value", () => {
    expect(errors.reserved).toHaveLength(1);
    expect(errors.reserved[0]).toContain(
      "User is reserved by Entra ID and cannot be an app role value (Entra refuses it at apply with an error that does not name it; azuread provider issue #721). Name the permission after what it allows, e.g. users.read.",
    );
  });
});
