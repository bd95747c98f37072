import { createHash } from "node:crypto";
import * as lib from "../../src";
import { buildRaw, buildWithLibrary } from "../../bench/synth-workload";
import { newStack, synth, TfJson } from "../util";

// bench/synth.bench.js compares the library against hand-written provider resources. The
// comparison is only honest while both declare the same resources: these tests fail when the
// library's output changes and the raw variant (bench/synth-workload.js) has not followed.

const N = 3;

function both(n = N): { library: TfJson; raw: TfJson } {
  const libStack = newStack("library");
  buildWithLibrary(lib, libStack, n);
  const rawStack = newStack("raw");
  buildRaw(rawStack, n);
  return { library: synth(libStack), raw: synth(rawStack) };
}

type Blocks = Map<string, TfJson>; // address ("type.name" or "data.type.name") → config

function blocksOf(json: TfJson): Blocks {
  const blocks: Blocks = new Map();
  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, TfJson>)) {
      for (const [name, config] of Object.entries(byName as Record<string, TfJson>)) {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { "//": _meta, ...rest } = config;
        blocks.set(`${prefix}${type}.${name}`, rest);
      }
    }
  }
  return blocks;
}

function typeOf(address: string): string {
  return address.split(".").slice(0, -1).join(".");
}

/** Resource count per type (data sources as `data.<type>`). */
function countsByType(json: TfJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const address of blocksOf(json).keys()) {
    counts[typeOf(address)] = (counts[typeOf(address)] ?? 0) + 1;
  }
  return counts;
}

/** Every attribute path (nested keys, list items as []) used per type, sorted. */
function attributesByType(json: TfJson): Record<string, string[]> {
  const paths: Record<string, Set<string>> = {};
  const walk = (set: Set<string>, value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(set, v, `${path}[]`));
    else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(set, v, path ? `${path}.${k}` : k);
    } else set.add(path);
  };
  for (const [address, config] of blocksOf(json)) {
    walk((paths[typeOf(address)] ??= new Set()), config, "");
  }
  return Object.fromEntries(Object.entries(paths).map(([t, s]) => [t, [...s].sort()]));
}

/**
 * Each block as a canonical string: its type and attributes, with every reference to another block
 * replaced by that block's own canonical form (hashed). Logical ids differ between the variants;
 * what is referenced, and how, must not.
 */
function canonicalBlocks(json: TfJson): Record<string, string[]> {
  const blocks = blocksOf(json);
  const memo = new Map<string, string>();
  const ref = /\b(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*/g;
  const canon = (address: string): string => {
    const known = memo.get(address);
    if (known !== undefined) return known;
    const text = JSON.stringify(blocks.get(address)).replace(ref, (m) =>
      blocks.has(m) ? `<${createHash("sha256").update(canon(m)).digest("hex")}>` : m,
    );
    const result = `${typeOf(address)} ${text}`;
    memo.set(address, result);
    return result;
  };
  const byType: Record<string, string[]> = {};
  for (const address of blocks.keys()) (byType[typeOf(address)] ??= []).push(canon(address));
  for (const list of Object.values(byType)) list.sort();
  return byType;
}

describe("bench synth workload", () => {
  it("declares the same number of resources of each type in both variants", () => {
    const { library, raw } = both();
    expect(countsByType(raw)).toEqual(countsByType(library));
    // The workload is what the bench claims: per client an app, a service principal, two grants
    // and a rotating secret; two APIs and one deploying-principal look-up shared by all.
    const counts = countsByType(library);
    expect(counts["azuread_application"]).toBe(N + 2);
    expect(counts["azuread_service_principal"]).toBe(N + 2);
    expect(counts["azuread_app_role_assignment"]).toBe(2 * N);
    expect(counts["data.azuread_client_config"]).toBe(1);
  });

  it("sets the same attributes on each resource type in both variants", () => {
    const { library, raw } = both();
    expect(attributesByType(raw)).toEqual(attributesByType(library));
  });

  it("declares the same resources with the same values and references in both variants", () => {
    const { library, raw } = both();
    expect(canonicalBlocks(raw)).toEqual(canonicalBlocks(library));
    expect(raw.provider).toEqual(library.provider);
  });

  it("detects a raw variant that drifts from the library", () => {
    // The comparison above must be able to fail: one client less, or one attribute changed.
    const { library, raw } = both();
    expect(countsByType(both(N - 1).raw)).not.toEqual(countsByType(library));
    const apps = raw.resource.azuread_application as Record<string, TfJson>;
    const first = Object.values(apps).find((a) => a.fallback_public_client_enabled === false)!;
    first.display_name = "someone-else";
    expect(canonicalBlocks(raw)).not.toEqual(canonicalBlocks(library));
  });
});
