// deploy-cli keywords: `##NAME##` (replaced by the text of a value) and `@@NAME@@` (by its JSON).
// deploy-cli drops a field whose keyword has no value and carries on; we stop first, naming it.
import { createHmac } from "node:crypto";

const keywordPattern = /##([A-Za-z0-9_]+)##|@@([A-Za-z0-9_]+)@@/g;

/** Keyword values: text for `##…##`, any JSON value for `@@…@@`. */
export type KeywordValues = Record<string, unknown>;

/** Every keyword named in the texts, in order of first appearance. */
export function keywordsIn(...texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(keywordPattern)) names.add((match[1] ?? match[2]) as string);
  }
  return [...names];
}

export interface KeywordSources {
  /** Values the deploy computes itself (connections, allow-list, fingerprint); these win. */
  computed: KeywordValues;
  /** The environment. */
  env: NodeJS.ProcessEnv;
  /** Defaults from `.auth0rc.json`'s AUTH0_KEYWORD_REPLACE_MAPPINGS. */
  defaults: Record<string, string>;
}

export interface ResolvedKeywords {
  values: KeywordValues;
  /** Names with no value anywhere (an empty environment variable counts as none). */
  missing: string[];
}

/** Finds each keyword's value: computed, else the environment, else the configured default. */
export function resolveKeywords(names: string[], sources: KeywordSources): ResolvedKeywords {
  const values: KeywordValues = {};
  const missing: string[] = [];
  for (const name of names) {
    const fromEnv = sources.env[name];
    if (name in sources.computed) values[name] = sources.computed[name];
    else if (fromEnv !== undefined && fromEnv.trim() !== "") values[name] = fromEnv;
    else if (name in sources.defaults) values[name] = sources.defaults[name];
    else missing.push(name);
  }
  return { values, missing };
}

/**
 * A short keyed digest of secret values. It is safe to store where Auth0 shows it (a secret's name)
 * because without the key it reveals nothing about the values, even weak ones.
 */
export function secretsFingerprint(secrets: Record<string, string>, key: string): string {
  const hmac = createHmac("sha256", key);
  for (const name of Object.keys(secrets).sort()) hmac.update(`${name}\u0000${secrets[name]}\u0000`);
  return hmac.digest("hex").slice(0, 16);
}

/** The `##NAME##` keywords inside any string of a value (objects and arrays walked). */
export function textKeywordsIn(value: unknown): string[] {
  const names = new Set<string>();
  walkStrings(value, (text) => {
    for (const match of text.matchAll(/##([A-Za-z0-9_]+)##/g)) names.add(match[1] as string);
  });
  return [...names];
}

/** Replaces `##NAME##` in every string of a value, so JSON encoding later escapes what it must. */
export function fillKeywords<T>(value: T, values: Record<string, string>): T {
  if (typeof value === "string") {
    return value.replace(/##([A-Za-z0-9_]+)##/g, (whole, name: string) => values[name] ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((item) => fillKeywords(item, values)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillKeywords(item, values)]),
    ) as T;
  }
  return value;
}

/** Replaces each string that is exactly `@@NAME@@` by that value, as deploy-cli pastes its JSON. */
export function fillJsonKeywords(value: unknown, values: KeywordValues): unknown {
  if (typeof value === "string") {
    const name = /^@@([A-Za-z0-9_]+)@@$/.exec(value)?.[1];
    return name !== undefined && name in values ? values[name] : value;
  }
  if (Array.isArray(value)) return value.map((item) => fillJsonKeywords(item, values));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillJsonKeywords(item, values)]),
    );
  }
  return value;
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (Array.isArray(value)) for (const item of value) walkStrings(item, visit);
  else if (value !== null && typeof value === "object")
    for (const item of Object.values(value)) walkStrings(item, visit);
}
