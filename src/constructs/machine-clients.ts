import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Construct } from "constructs";
import { ClientCredential } from "../credentials/credential";
import { checkCredentialList } from "../credentials/credential-list";
import { credentialOf, CREDENTIAL_CODE_FIELDS } from "../config/credentials";
import type { ClientEntry } from "../config/schema";
import {
  ConfigFileError,
  ConfigProblem,
  ParsedConfig,
  entryPath,
  problem,
} from "../config/problems";
import { fail, MachineClientsError } from "../errors";
import { checkSuppressions, Suppression } from "../policy";
import {
  checkScopeValue,
  DelegatedVocabularyScope,
  JUSTIFICATION_FIX,
  justificationProblem,
  ScopeVocabulary,
  VocabularyScope,
} from "../vocabulary";
import { GrantOptions, IApi, ScopeGrant } from "./grant";
import { MachineClient } from "./machine-client";
import { Suppressions } from "./suppressions";
import { checkDisplayName, checkOwners } from "./validate";

/** The parsers (yaml, zod), loaded on the first config file rather than with the library. */
function loader(): typeof import("../config/load") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../config/load");
}

/** An API that config files can grant on: a `ProtectedApi` (any vocabulary). */
export interface ConfigurableApi extends IApi {
  /** The API's application permissions (a {@link ScopeVocabulary}). */
  readonly vocabulary: { readonly scopes: readonly VocabularyScope[] };
  /** The API's delegated scopes, for hybrid APIs; config files may not grant them. */
  readonly delegatedVocabulary?: { readonly scopes: readonly DelegatedVocabularyScope[] };
}

/** Options of {@link MachineClients.fromFile}. */
export interface MachineClientsOptions {
  /**
   * The APIs entries may grant on, by the key entries use in `access[].api`,
   * e.g. `{ orders: ordersApi }`.
   */
  readonly apis: Readonly<Record<string, ConfigurableApi>>;
  /**
   * The construct id of the group holding the file's clients (clients are created as
   * `<scope>/<id>/<name>`).
   * @default the file's base name without extension, e.g. "integrations"
   */
  readonly id?: string;
}

/**
 * Machine clients declared in a YAML or JSON file, for integration owners who do not write
 * TypeScript. The file is parsed (YAML core schema: no tags, unique keys), checked with a zod
 * schema, then against every rule the compiler enforces for TypeScript callers: unknown APIs and
 * scopes, delegated scopes, privileged scopes without a justification, bad credentials (each
 * checked by its own `validate()`: secrets, GitHub Actions, Kubernetes and custom federation,
 * certificates read from a PEM file relative to the config file; a list for migrations), duplicate
 * clients and grants, bad owners and suppressions. All problems are reported at once in a
 * {@link ConfigFileError} naming the file, the line, the entry and the fix, and a file with any
 * problem creates nothing.
 *
 * @example
 * // integrations.yaml
 * // clients:
 * //   - name: billing-sync
 * //     access: [{ api: orders, scope: orders.read }]
 * //     credential: { type: secret, rotationDays: 30, validityDays: 60 }
 * MachineClients.fromFile(stack, "integrations.yaml", { apis: { orders: ordersApi } });
 */
export class MachineClients extends Construct {
  /**
   * Reads, validates and creates the clients of a config file (`.yaml`, `.yml` or `.json`, path
   * relative to the working directory).
   * @throws ConfigFileError (a MachineClientsError) listing every problem of the file
   */
  public static fromFile(
    scope: Construct,
    file: string,
    options: MachineClientsOptions,
  ): MachineClients {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new ConfigFileError(String(file), [
        problem(
          "CONFIG_FILE_UNREADABLE",
          undefined,
          "(file)",
          `the file cannot be read: ${(e as Error).message}`,
          file,
          "Check the path; it is resolved from the working directory of `cdktf synth`.",
        ),
      ]);
    }
    return MachineClients.fromText(scope, file, text, options);
  }

  /**
   * Like {@link fromFile}, from the file's text (for generated configs and tests); `file` names
   * the source in messages and selects the format by its extension.
   * @throws ConfigFileError (a MachineClientsError) listing every problem of the text
   */
  public static fromText(
    scope: Construct,
    file: string,
    text: string,
    options: MachineClientsOptions,
  ): MachineClients {
    const where = `MachineClients.fromFile(${JSON.stringify(file)})`;
    const apis = checkOptions(where, options);
    const id = options.id ?? defaultId(where, file);
    if (scope.node.tryFindChild(id)) {
      fail(
        "CONFIG_ALREADY_LOADED",
        where,
        `"${scope.node.path}/${id}" already exists; the file was loaded twice or its id is taken`,
        id,
        "Load each file once, or give it another id in the options.",
      );
    }
    const parsed = loader().parseConfig(file, text);
    const entries = validateEntries(parsed, apis);
    try {
      return new MachineClients(scope, id, file, entries, apis);
    } catch (e) {
      scope.node.tryRemoveChild(id); // nothing half-built: the whole file or nothing
      if (e instanceof MachineClientsError) throw e;
      throw new ConfigFileError(file, [
        problem(
          "CONFIG_INTERNAL",
          undefined,
          "(file)",
          (e as Error).message,
          undefined,
          "Report this.",
        ),
      ]);
    }
  }

  /** The file the clients were declared in, as given. */
  public readonly file: string;
  /** The clients, by their `name` in the file, in file order. */
  public readonly clients: ReadonlyMap<string, MachineClient>;

  private constructor(
    scope: Construct,
    id: string,
    file: string,
    entries: readonly ValidEntry[],
    apis: Readonly<Record<string, ConfigurableApi>>,
  ) {
    super(scope, id);
    this.file = file;
    const clients = new Map<string, MachineClient>();
    for (const { entry, credentials } of entries) {
      const client = new MachineClient(this, entry.name, {
        displayName: entry.displayName ?? entry.name,
        access: entry.access.map((g) => grantOn(apis[g.api], g.scope, g.justification)),
        credential: credentials,
        ...(entry.owners ? { owners: entry.owners } : {}),
      });
      if (entry.suppressions) Suppressions.add(client, entry.suppressions as Suppression[]);
      clients.set(entry.name, client);
    }
    this.clients = clients;
  }
}

function grantOn(api: ConfigurableApi, scope: string, justification?: string): ScopeGrant {
  // The scope was checked against the API's vocabulary, so the typed overloads are not needed.
  const g = (api as unknown as { grant(s: string, o: GrantOptions): ScopeGrant }).grant;
  return g.call(api, scope, justification !== undefined ? { justification } : {});
}

function checkOptions(where: string, options: unknown): Readonly<Record<string, ConfigurableApi>> {
  const fix = "Pass { apis: { orders: ordersApi } }, keyed as the file's access[].api values.";
  if (typeof options !== "object" || options === null) {
    fail("CONFIG_OPTIONS_INVALID", where, "options must be an object", options, fix);
  }
  const apis = (options as MachineClientsOptions).apis;
  if (typeof apis !== "object" || apis === null || Object.keys(apis).length === 0) {
    fail("CONFIG_OPTIONS_INVALID", where, "apis must name at least one API", apis, fix);
  }
  for (const [key, api] of Object.entries(apis)) {
    if (
      typeof api !== "object" ||
      api === null ||
      !(api.vocabulary instanceof ScopeVocabulary) ||
      typeof (api as { grant?: unknown }).grant !== "function"
    ) {
      fail(
        "CONFIG_OPTIONS_INVALID",
        `${where} › apis.${key}`,
        "each API must be a ProtectedApi",
        api,
        fix,
      );
    }
  }
  return apis;
}

function defaultId(where: string, file: string): string {
  const id = basename(String(file)).replace(/\.(ya?ml|json)$/i, "");
  if (id.length === 0) {
    fail(
      "CONFIG_ID_INVALID",
      where,
      "cannot derive a construct id from the file name",
      file,
      "Pass options.id.",
    );
  }
  return id;
}

/** Runs `check`; a MachineClientsError it throws becomes a problem of the file. */
function collect(
  problems: ConfigProblem[],
  line: number | undefined,
  entry: string,
  check: () => void,
): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof MachineClientsError)) throw e;
    problems.push({
      code: e.code,
      ...(line !== undefined ? { line } : {}),
      entry,
      message: e.message,
    });
  }
}

/** An entry that passed every check, with its credentials built and validated. */
interface ValidEntry {
  readonly entry: ClientEntry;
  readonly credentials: readonly ClientCredential[];
}

/** Checks every entry; throws a ConfigFileError with all problems, or returns the entries. */
function validateEntries(
  parsed: ParsedConfig,
  apis: Readonly<Record<string, ConfigurableApi>>,
): ValidEntry[] {
  const { entries, problems } = loader().checkStructure(parsed);
  const valid: ValidEntry[] = [];
  const names = new Map<string, number>();
  const displayNames = new Map<string, number>();
  const at = (index: number, ...rest: PropertyKey[]) => {
    const path = ["clients", index, ...rest];
    return { path, line: parsed.lineOf(path), entry: entryPath(parsed.data, path) };
  };
  const add = (
    loc: { line: number | undefined; entry: string },
    code: string,
    what: string,
    value: unknown,
    fix: string,
  ) => problems.push(problem(code, loc.line, loc.entry, what, value, fix));

  for (const { index, entry } of entries) {
    const nameAt = at(index, "name");
    const firstName = names.get(entry.name.toLowerCase());
    if (firstName !== undefined) {
      add(
        nameAt,
        "CONFIG_DUPLICATE_CLIENT",
        `client name "${entry.name}" is already used by clients[${firstName}] (names are compared ignoring case)`,
        entry.name,
        "Give each client its own name.",
      );
    } else names.set(entry.name.toLowerCase(), index);
    const displayName = entry.displayName ?? entry.name;
    const displayAt = at(index, entry.displayName !== undefined ? "displayName" : "name");
    collect(problems, displayAt.line, displayAt.entry, () =>
      checkDisplayName(displayAt.entry, displayName),
    );
    const firstDisplay = displayNames.get(displayName.toLowerCase());
    if (firstDisplay !== undefined && firstName === undefined) {
      add(
        displayAt,
        "CONFIG_DUPLICATE_CLIENT",
        `display name "${displayName}" is already used by clients[${firstDisplay}]; two app registrations would look the same in the portal`,
        displayName,
        "Give each client its own displayName.",
      );
    } else if (firstDisplay === undefined) displayNames.set(displayName.toLowerCase(), index);
    if (entry.owners) {
      const ownersAt = at(index, "owners");
      collect(problems, ownersAt.line, ownersAt.entry, () =>
        checkOwners(ownersAt.entry, entry.owners),
      );
    }

    const grants = new Map<string, number>();
    entry.access.forEach((g, i) => {
      const apiAt = at(index, "access", i, "api");
      const scopeAt = at(index, "access", i, "scope");
      if (!Object.prototype.hasOwnProperty.call(apis, g.api)) {
        add(
          apiAt,
          "CONFIG_UNKNOWN_API",
          `unknown API "${g.api}"`,
          g.api,
          `Use one of: ${Object.keys(apis)
            .map((k) => `"${k}"`)
            .join(", ")} (the keys of the apis option).`,
        );
        return;
      }
      const api = apis[g.api];
      const vocabulary = api.vocabulary as ScopeVocabulary; // checked in checkOptions
      const valueProblem = checkScopeValue(g.scope);
      if (valueProblem?.code === "DELEGATED_SCOPE") {
        add(scopeAt, valueProblem.code, valueProblem.problem, g.scope, valueProblem.fix);
        return;
      }
      if (api.delegatedVocabulary?.scopes.some((s) => s.value === g.scope)) {
        add(
          scopeAt,
          "CONFIG_DELEGATED_GRANT",
          `"${g.scope}" is a delegated (user sign-in) scope of API "${g.api}" and never applies to the client credentials flow`,
          g.scope,
          `Use an application permission of the API: ${vocabulary.grantableValues.map((v) => `"${v}"`).join(", ")}.`,
        );
        return;
      }
      // Unknown, retired, or the old value of a renamed entry: grant()'s own wording.
      let grantable = true;
      collect(problems, scopeAt.line, scopeAt.entry, () => {
        grantable = false;
        vocabulary.grantable(g.scope, scopeAt.entry);
        grantable = true;
      });
      if (!grantable) return;
      const key = `${g.api}#${g.scope}`;
      const first = grants.get(key);
      if (first !== undefined) {
        add(
          scopeAt,
          "ACCESS_DUPLICATE",
          `"${g.scope}" on "${g.api}" is already granted by access[${first}]`,
          g.scope,
          "Grant each permission once.",
        );
      } else grants.set(key, i);
      if (vocabulary.get(g.scope).privileged) {
        const why = justificationProblem(g.scope, g.justification);
        if (why) {
          const jAt = at(
            index,
            "access",
            i,
            g.justification !== undefined ? "justification" : "scope",
          );
          add(
            jAt,
            "PRIVILEGED_JUSTIFICATION",
            why,
            g.justification,
            JUSTIFICATION_FIX.replace("{ justification: ", "justification: ").replace(/ }\.$/, "."),
          );
        }
      }
    });

    const credentials = checkCredentials(parsed, problems, index, entry);
    if (credentials) valid.push({ entry, credentials });
    if (entry.suppressions) {
      const supAt = at(index, "suppressions");
      collect(problems, supAt.line, supAt.entry, () =>
        checkSuppressions(supAt.entry, entry.suppressions),
      );
    }
  }
  if (problems.length > 0) {
    const sorted = problems
      .map((p, order) => ({ p, order }))
      .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.order - b.order)
      .map(({ p }) => p);
    throw new ConfigFileError(parsed.file, sorted);
  }
  return valid;
}

/**
 * Builds and validates an entry's credentials with their own `validate(where)`, then the rules on
 * the list; each error becomes a problem at the line of the field it is about.
 * @returns the credentials, or undefined when any has a problem
 */
function checkCredentials(
  parsed: ParsedConfig,
  problems: ConfigProblem[],
  index: number,
  entry: ClientEntry,
): ClientCredential[] | undefined {
  const declared = Array.isArray(entry.credential) ? entry.credential : [entry.credential];
  const built: ClientCredential[] = [];
  const before = problems.length;
  declared.forEach((c, i) => {
    const path = ["clients", index, "credential", ...(Array.isArray(entry.credential) ? [i] : [])];
    const where = entryPath(parsed.data, path);
    try {
      const credential = credentialOf(c, where, parsed.file);
      credential.validate(where);
      built.push(credential);
    } catch (e) {
      if (!(e instanceof MachineClientsError)) throw e;
      const field = CREDENTIAL_CODE_FIELDS[e.code];
      const line = parsed.lineOf(field !== undefined && field in c ? [...path, field] : path);
      problems.push({
        code: e.code,
        ...(line !== undefined ? { line } : {}),
        entry: where,
        message: e.message,
      });
    }
  });
  if (problems.length > before) return undefined;
  const path = ["clients", index, "credential"];
  const where = entryPath(parsed.data, path);
  collect(problems, parsed.lineOf(path), where, () => checkCredentialList(where, built));
  return problems.length > before ? undefined : built;
}
