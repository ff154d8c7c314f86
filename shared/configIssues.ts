// Validation issues as one line that names each field: `tenant "acme": surecloud.baseUrl: must be …; …`.
// Takes the plain `{path, message}` shape that classic zod and zod/mini both report and imports
// neither, so the Action's bundle can use it without pulling in classic zod. It also holds the
// operator's words for zod's issues (`is required`, `must be a number`) and the did-you-mean for an
// unknown setting, so every config file reads the same.

/** One validation problem, as zod and zod/mini both report it. */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  /** The unknown keys of an `unrecognized_keys` issue. */
  readonly keys?: readonly string[];
}

/** Says where a problem is, from its path: `tenant "acme": surecloud.baseUrl`. */
export type PathDescriber = (path: readonly PropertyKey[]) => string;

export interface FormatIssuesOptions {
  /** Names a problem with the whole value (an empty path). Default `(root)`. */
  root?: string;
  /** Most issues listed; the rest are counted (`; and 2 more`). Default: all of them. */
  limit?: number;
  /** Turns a path into words. Default: its parts joined by dots. */
  describePath?: PathDescriber;
}

/** `tenants.0.surecloud.baseUrl: must be an http(s) URL; tenants.0.id: …`, from issues or a zod error. */
export function formatIssues(
  source: readonly ConfigIssue[] | { readonly issues: readonly ConfigIssue[] },
  options: FormatIssuesOptions = {},
): string {
  const issues = "issues" in source ? source.issues : source;
  const { root = "(root)", limit = issues.length, describePath = dottedPath } = options;
  const listed = issues.slice(0, limit).map((issue) => {
    // One unknown key reads best at its own path: `surecloud.requestPerSecond: unknown setting; …`.
    const path =
      issue.code === "unrecognized_keys" && issue.keys?.length === 1
        ? [...issue.path, issue.keys[0]]
        : issue.path;
    return `${path.length ? describePath(path as PropertyKey[]) : root}: ${issue.message}`;
  });
  const rest = issues.length - listed.length;
  return [...listed, ...(rest > 0 ? [`and ${rest} more`] : [])].join("; ");
}

/** `surecloud.baseUrl`; String(): a symbol key would make join() throw. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * Names the entries of a list by their id: `tenants.1.surecloud.x` reads `tenant "globex": surecloud.x`.
 * An entry without a usable id is named by its position (`tenant #2`).
 */
export function entryPathDescriber(
  data: unknown,
  entries: { list: string; noun: string; idKey: string },
): PathDescriber {
  return (path) => {
    const [list, index, ...rest] = path;
    if (list !== entries.list || typeof index !== "number") return dottedPath(path);
    const entry = (data as Record<string, unknown> | undefined)?.[entries.list];
    const id = Array.isArray(entry)
      ? (entry[index] as Record<string, unknown> | undefined)?.[entries.idKey]
      : undefined;
    const named = typeof id === "string" && id.trim() !== "";
    // Two entries with one id (a repeat being reported) are told apart by position.
    const repeated =
      named &&
      (entry as Array<Record<string, unknown> | undefined>).some(
        (other, at) => at !== index && other?.[entries.idKey] === id,
      );
    const name = named ? `"${id}"${repeated ? ` (#${index + 1})` : ""}` : `#${index + 1}`;
    return rest.length ? `${entries.noun} ${name}: ${dottedPath(rest)}` : `${entries.noun} ${name}`;
  };
}

/** The known name an unknown one was most likely meant to be, if any is close enough. */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const candidate = name.toLowerCase();
    const prefix = typed.length >= 3 && (candidate.startsWith(typed) || typed.startsWith(candidate));
    const distance = prefix ? Math.min(1, editDistance(typed, candidate)) : editDistance(typed, candidate);
    const allowed = prefix ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(typed.length / 3));
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The message of an unknown key (or keys), with a did-you-mean from the known ones. */
export function unknownSettingsMessage(keys: readonly string[], known: readonly string[]): string {
  const hint = (key: string): string => {
    const suggestion = closestName(key, known);
    if (suggestion) return `did you mean ${suggestion}?`;
    return known.length > 0 ? `known settings: ${known.join(", ")}` : "";
  };
  if (keys.length === 1) return ["unknown setting", hint(keys[0] as string)].filter(Boolean).join("; ");
  return `unknown settings: ${keys.map((key) => (hint(key) ? `${key} (${hint(key)})` : key)).join(", ")}`;
}

/** The parts of a zod issue (classic or mini) the operator's words need; every field may be absent. */
export interface RawIssue {
  readonly code?: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  /** The schema that raised it; an object schema's `shape` gives the known keys. */
  readonly inst?: unknown;
}

/**
 * An error map in the operator's words, for zod's `error` parse option: a missing key `is required`,
 * a wrong type says what is expected. Undefined leaves a message the schema gave (or zod's) in place.
 */
export function operatorWords(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "is required"
        : `must be ${expectedWords(issue.expected)}, not ${describeValue(issue.input)}`;
    case "invalid_value":
      return issue.values && issue.values.length > 0
        ? `must be ${issue.values.length === 1 ? "" : "one of "}${issue.values.map(String).join(", ")}, not ${describeValue(issue.input)}`
        : undefined;
    case "too_small":
      return boundWords(issue, "at least", "more than", issue.minimum);
    case "too_big":
      return boundWords(issue, "at most", "less than", issue.maximum);
    case "invalid_format":
      return issue.format === "url"
        ? "must be a URL"
        : issue.format
          ? `must be a ${issue.format}`
          : undefined;
    case "invalid_union":
      return "is not any of the forms this setting takes";
    case "unrecognized_keys":
      return issue.keys ? unknownSettingsMessage(issue.keys, knownKeys(issue.inst)) : undefined;
    default:
      return undefined;
  }
}

/** The keys of the object schema an issue came from (zod keeps them at `_zod.def.shape`). */
function knownKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function boundWords(
  issue: RawIssue,
  inclusiveWord: string,
  exclusiveWord: string,
  bound: number | bigint | undefined,
): string | undefined {
  if (bound === undefined) return undefined;
  const relation = issue.inclusive === false ? exclusiveWord : inclusiveWord;
  switch (issue.origin) {
    case "string":
      return Number(bound) === 1 && relation === "at least"
        ? "must not be empty"
        : `must be ${relation} ${bound} characters`;
    case "array":
    case "set":
      return `must list ${relation} ${bound}`;
    default:
      return `must be ${relation} ${bound}`;
  }
}

const expectedNames: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of settings (key: value)",
  record: "a mapping (key: value)",
  bigint: "a whole number",
  date: "a date",
  null: "null",
};

function expectedWords(expected: string | undefined): string {
  return (expected && expectedNames[expected]) ?? expected ?? "something else";
}

function describeValue(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "number":
      return `the number ${value}`;
    case "boolean":
      return String(value);
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/** Edit distance counting an insertion, deletion, substitution or swap of neighbours (`auht0`) as one. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const above = rows[i - 1] as number[];
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
