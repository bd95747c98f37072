import { basename } from "node:path";
import { Construct } from "constructs";
import { ClientCredential } from "../credentials/credential";
import { checkCredentialList } from "../credentials/credential-list";
import { credentialOf, CREDENTIAL_CODE_FIELDS } from "../config/credentials";
import type { ClientEntry } from "../config/schema";
import {
  ConfigFileError,
  ConfigProblem,
  MAX_CONFIG_PROBLEMS,
  MAX_CONFIG_SIZE,
  ParsedConfig,
  entryPath,
  problem,
} from "../config/problems";
import {
  describeValue,
  escapeText,
  fail,
  MachineClientsError,
  NO_VALUE,
  plainText,
} from "../errors";
import { decodeUtf8, FileReadError, formatSize, readRegularFile } from "../files";
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
import { removeConstruction, startConstruction } from "./atomic";
import { readObject, readRecord } from "../read-once";

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
    return MachineClients.fromText(scope, file, readConfigFile(file), options);
  }

  /**
   * Like {@link MachineClients.fromFile}, from the file's text (for generated configs and tests); `file` names
   * the source in messages and selects the format by its extension.
   * @throws ConfigFileError (a MachineClientsError) listing every problem of the text
   */
  public static fromText(
    scope: Construct,
    file: string,
    text: string,
    options: MachineClientsOptions,
  ): MachineClients {
    const where = `MachineClients.fromFile(${describeValue(file)})`;
    if (typeof file !== "string") {
      fail(
        "CONFIG_FILE_NAME_INVALID",
        where,
        "the file name must be a string",
        file,
        'Pass the path, e.g. "integrations.yaml".',
      );
    }
    // The options are read once, into a frozen copy (the APIs record copied too).
    const { apis, id: givenId } = checkOptions(where, options);
    if (
      givenId !== undefined &&
      (typeof givenId !== "string" || givenId.length === 0 || givenId.includes("/"))
    ) {
      fail(
        "CONFIG_ID_INVALID",
        where,
        'options.id must be a non-empty string without "/"',
        givenId,
        "Pass a construct id, or leave id out to use the file's base name.",
      );
    }
    const id = (givenId as string | undefined) ?? defaultId(where, file);
    if (scope.node.tryFindChild(id)) {
      fail(
        "CONFIG_ALREADY_LOADED",
        where,
        `${describeValue(`${scope.node.path}/${id}`)} already exists; the file was loaded twice or its id is taken`,
        id,
        "Load each file once, or give it another id in the options.",
      );
    }
    const parsed = loader().parseConfig(file, text);
    const entries = validateEntries(parsed, apis);
    const start = startConstruction(scope, id, where);
    try {
      return new MachineClients(scope, id, file, entries, apis);
    } catch (e) {
      // Nothing half-built: the whole file or nothing (lookups it added to the stack included).
      removeConstruction(start, id);
      if (e instanceof MachineClientsError) throw e;
      throw new ConfigFileError(file, [
        problem(
          "CONFIG_INTERNAL",
          1,
          "(file)",
          `building the file's clients failed: ${describeValue(e)}`,
          NO_VALUE,
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

function checkOptions(
  where: string,
  options: unknown,
): { apis: Readonly<Record<string, ConfigurableApi>>; id: unknown } {
  const fix = "Pass { apis: { orders: ordersApi } }, keyed as the file's access[].api values.";
  const o = readObject(where, options, ["apis", "id"], "options", {
    code: "CONFIG_OPTIONS_INVALID",
    problem: "options must be an object",
    fix,
  });
  const apis = readRecord(where, "options.apis", o.apis);
  if (typeof apis !== "object" || apis === null || Object.keys(apis).length === 0) {
    fail("CONFIG_OPTIONS_INVALID", where, "apis must name at least one API", apis, fix);
  }
  for (const [key, api] of Object.entries(apis as Record<string, ConfigurableApi>)) {
    if (
      typeof api !== "object" ||
      api === null ||
      !(api.vocabulary instanceof ScopeVocabulary) ||
      typeof (api as { grant?: unknown }).grant !== "function"
    ) {
      fail(
        "CONFIG_OPTIONS_INVALID",
        `${where} › apis.${plainText(key)}`,
        "each API must be a ProtectedApi",
        api,
        fix,
      );
    }
  }
  return { apis: apis as Readonly<Record<string, ConfigurableApi>>, id: o.id };
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

/** The text of a config file: a regular file of at most 4 MiB, in UTF-8. */
function readConfigFile(file: string): string {
  const fail1 = (code: string, what: string, fix: string, line = 1): never => {
    throw new ConfigFileError(String(file), [problem(code, line, "(file)", what, NO_VALUE, fix)]);
  };
  const checkPath = "Check the path; it is resolved from the working directory of `cdktf synth`.";
  let bytes: Buffer;
  try {
    bytes = readRegularFile(String(file), MAX_CONFIG_SIZE);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    const { reason, detail } = e.failure;
    if (reason === "not-regular") {
      return fail1(
        "CONFIG_FILE_NOT_REGULAR",
        `the file is not a regular file (${detail})`,
        checkPath,
      );
    }
    if (reason === "too-large") {
      return fail1(
        "CONFIG_TOO_LARGE",
        `the file is larger than ${formatSize(MAX_CONFIG_SIZE)} (${detail})`,
        "Split the clients across several files.",
      );
    }
    return fail1(
      "CONFIG_FILE_UNREADABLE",
      `the file cannot be read: ${escapeText(detail, 200)}`,
      checkPath,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    return fail1("CONFIG_ENCODING", decoded.problem, "Save the file as UTF-8.", decoded.line);
  }
  return decoded.text;
}

/** Runs `check`; a MachineClientsError it throws becomes a problem of the file. */
function collect(problems: ConfigProblem[], line: number, entry: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof MachineClientsError)) throw e;
    problems.push({ code: e.code, line, entry, message: e.message });
  }
}

/** An entry that passed every check, with its credentials built and validated. */
interface ValidEntry {
  readonly entry: ClientEntry;
  readonly credentials: readonly ClientCredential[];
}

/** An own property of a parsed object (never one of Object.prototype's). */
function own(raw: unknown, key: string): unknown {
  return typeof raw === "object" && raw !== null && Object.prototype.hasOwnProperty.call(raw, key)
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/** `value` when `schema` accepts it, else undefined (its problems come from the entry's schema). */
function valid<T>(
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
  value: unknown,
): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/**
 * Checks the whole file in one pass: the structure (zod schema) and, on every part that is well
 * formed, the rules (APIs, scopes, justifications, credentials, owners, duplicates), so that an
 * entry with a typo in one field still reports its delegated scope in another.
 * @throws ConfigFileError with every problem, in line order
 * @returns the entries, when the file has no problem at all
 */
function validateEntries(
  parsed: ParsedConfig,
  apis: Readonly<Record<string, ConfigurableApi>>,
): ValidEntry[] {
  const load = loader();
  const top = load.checkTopLevel(parsed);
  const problems: ConfigProblem[] = [...parsed.problems, ...top.problems];
  const valid_: ValidEntry[] = [];
  const names = new Map<string, number>();
  const displayNames = new Map<string, number>();
  const at = (index: number, ...rest: PropertyKey[]) => {
    const path = ["clients", index, ...rest];
    return { path, line: parsed.lineOf(path), entry: entryPath(parsed.data, path) };
  };
  const add = (
    loc: { line: number; entry: string },
    code: string,
    what: string,
    value: unknown,
    fix: string,
  ) => problems.push(problem(code, loc.line, loc.entry, what, value, fix));
  const shape = load.clientEntryFields();

  let stoppedAt: number | undefined;
  top.clients.forEach((raw, index) => {
    if (stoppedAt !== undefined || problems.length >= MAX_CONFIG_PROBLEMS) {
      stoppedAt ??= index;
      return;
    }
    const before = problems.length;
    const schema = load.checkEntrySchema(parsed, raw, index);
    problems.push(...schema.problems);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return;

    const name = valid(shape.name, own(raw, "name"));
    if (name !== undefined) {
      const firstName = names.get(name.toLowerCase());
      if (firstName !== undefined) {
        add(
          at(index, "name"),
          "CONFIG_DUPLICATE_CLIENT",
          `client name ${describeValue(name)} is already used by clients[${firstName}] (names are compared ignoring case)`,
          name,
          "Give each client its own name.",
        );
      } else names.set(name.toLowerCase(), index);
    }
    const rawDisplayName = own(raw, "displayName");
    const displayName =
      rawDisplayName === undefined ? name : valid(shape.displayName, rawDisplayName);
    if (displayName !== undefined) {
      const displayAt = at(index, rawDisplayName !== undefined ? "displayName" : "name");
      collect(problems, displayAt.line, displayAt.entry, () =>
        checkDisplayName(displayAt.entry, displayName),
      );
      const firstDisplay = displayNames.get(displayName.toLowerCase());
      if (
        firstDisplay !== undefined &&
        !(name !== undefined && names.get(name.toLowerCase()) !== index)
      ) {
        add(
          displayAt,
          "CONFIG_DUPLICATE_CLIENT",
          `display name ${describeValue(displayName)} is already used by clients[${firstDisplay}]; two app registrations would look the same in the portal`,
          displayName,
          "Give each client its own displayName.",
        );
      } else if (firstDisplay === undefined) displayNames.set(displayName.toLowerCase(), index);
    }
    const owners = valid(shape.owners, own(raw, "owners"));
    if (owners !== undefined) {
      const ownersAt = at(index, "owners");
      collect(problems, ownersAt.line, ownersAt.entry, () => checkOwners(ownersAt.entry, owners));
    }
    const access = own(raw, "access");
    if (Array.isArray(access)) checkGrants(access, index, apis, at, add, problems);

    const credentials = checkCredentials(parsed, problems, index, own(raw, "credential"));
    const suppressions = valid(shape.suppressions, own(raw, "suppressions"));
    if (suppressions !== undefined) {
      const supAt = at(index, "suppressions");
      collect(problems, supAt.line, supAt.entry, () =>
        checkSuppressions(supAt.entry, suppressions),
      );
    }
    if (problems.length === before && schema.entry && credentials) {
      valid_.push({ entry: schema.entry, credentials });
    }
  });
  if (problems.length > 0) {
    const sorted = problems
      .map((p, order) => ({ p, order }))
      .sort((a, b) => a.p.line - b.p.line || a.order - b.order)
      .map(({ p }) => p);
    if (stoppedAt !== undefined) {
      sorted.push(
        problem(
          "CONFIG_TOO_MANY_PROBLEMS",
          parsed.lineOf(["clients", stoppedAt]),
          `clients[${stoppedAt}]`,
          `the checks stopped after ${problems.length} problems; this entry and those after it were not checked`,
          NO_VALUE,
          "Fix the problems listed first.",
        ),
      );
    }
    throw new ConfigFileError(parsed.file, sorted);
  }
  return valid_;
}

type Locate = (
  index: number,
  ...rest: PropertyKey[]
) => { path: PropertyKey[]; line: number; entry: string };
type Add = (
  loc: { line: number; entry: string },
  code: string,
  what: string,
  value: unknown,
  fix: string,
) => void;

/** Checks each grant whose `api` and `scope` are text, whatever the rest of the entry holds. */
function checkGrants(
  access: readonly unknown[],
  index: number,
  apis: Readonly<Record<string, ConfigurableApi>>,
  at: Locate,
  add: Add,
  problems: ConfigProblem[],
): void {
  const grants = new Map<string, number>();
  access.forEach((raw, i) => {
    const apiKey = own(raw, "api");
    const scope = own(raw, "scope");
    const justification = own(raw, "justification");
    if (typeof apiKey !== "string" || apiKey.length === 0) return;
    if (typeof scope !== "string" || scope.length === 0) return;
    const apiAt = at(index, "access", i, "api");
    const scopeAt = at(index, "access", i, "scope");
    if (!Object.prototype.hasOwnProperty.call(apis, apiKey)) {
      add(
        apiAt,
        "CONFIG_UNKNOWN_API",
        `unknown API ${describeValue(apiKey)}`,
        apiKey,
        `Use one of: ${Object.keys(apis)
          .map((k) => describeValue(k))
          .join(", ")} (the keys of the apis option).`,
      );
      return;
    }
    const api = apis[apiKey];
    const vocabulary = api.vocabulary as ScopeVocabulary; // checked in checkOptions
    const valueProblem = checkScopeValue(scope);
    if (valueProblem?.code === "DELEGATED_SCOPE") {
      add(scopeAt, valueProblem.code, valueProblem.problem, scope, valueProblem.fix);
      return;
    }
    if (api.delegatedVocabulary?.scopes.some((s) => s.value === scope)) {
      add(
        scopeAt,
        "CONFIG_DELEGATED_GRANT",
        `${describeValue(scope)} is a delegated (user sign-in) scope of API ${describeValue(apiKey)} and never applies to the client credentials flow`,
        scope,
        `Use an application permission of the API: ${vocabulary.grantableValues.map((v) => describeValue(v)).join(", ")}.`,
      );
      return;
    }
    // Unknown, retired, or the old value of a renamed entry: grant()'s own wording.
    let grantable = true;
    collect(problems, scopeAt.line, scopeAt.entry, () => {
      grantable = false;
      vocabulary.grantable(scope, scopeAt.entry);
      grantable = true;
    });
    if (!grantable) return;
    const key = `${apiKey}#${scope}`;
    const first = grants.get(key);
    if (first !== undefined) {
      add(
        scopeAt,
        "ACCESS_DUPLICATE",
        `${describeValue(scope)} on ${describeValue(apiKey)} is already granted by access[${first}]`,
        scope,
        "Grant each permission once.",
      );
    } else grants.set(key, i);
    // A justification that is not text is a schema problem of its own.
    if (justification !== undefined && typeof justification !== "string") return;
    if (vocabulary.get(scope).privileged) {
      const why = justificationProblem(scope, justification);
      if (why) {
        add(
          at(index, "access", i, justification !== undefined ? "justification" : "scope"),
          "PRIVILEGED_JUSTIFICATION",
          why,
          justification === undefined ? NO_VALUE : justification,
          JUSTIFICATION_FIX.replace("{ justification: ", "justification: ").replace(/ }\.$/, "."),
        );
      }
    }
  });
}

/**
 * Builds and validates an entry's credentials with their own `validate(where)`, then the rules on
 * the list; each error becomes a problem at the line of the field it is about. Credentials that do
 * not pass the schema are left to the schema's problems; the others are still checked.
 * @returns the credentials, or undefined when any has a problem
 */
function checkCredentials(
  parsed: ParsedConfig,
  problems: ConfigProblem[],
  index: number,
  declaredRaw: unknown,
): ClientCredential[] | undefined {
  if (declaredRaw === undefined) return undefined;
  const isList = Array.isArray(declaredRaw);
  const declared: unknown[] = isList ? declaredRaw : [declaredRaw];
  const built: ClientCredential[] = [];
  const before = problems.length;
  let complete = declared.length > 0;
  declared.forEach((raw, i) => {
    const path = ["clients", index, "credential", ...(isList ? [i] : [])];
    const where = entryPath(parsed.data, path);
    const c = loader().parseCredentialEntry(raw);
    if (c === undefined) {
      complete = false;
      return;
    }
    try {
      const credential = credentialOf(c, where, parsed.file);
      credential.validate(where);
      built.push(credential);
    } catch (e) {
      if (!(e instanceof MachineClientsError)) throw e;
      const field = CREDENTIAL_CODE_FIELDS[e.code];
      const line = parsed.lineOf(field !== undefined && field in c ? [...path, field] : path);
      problems.push({ code: e.code, line, entry: where, message: e.message });
    }
  });
  if (problems.length > before || !complete) return undefined;
  const path = ["clients", index, "credential"];
  const where = entryPath(parsed.data, path);
  collect(problems, parsed.lineOf(path), where, () => checkCredentialList(where, built));
  return problems.length > before ? undefined : built;
}

// Its statics cannot be replaced (e.g. to skip a check for the whole process).
Object.freeze(MachineClients);
Object.freeze(MachineClients.prototype);
