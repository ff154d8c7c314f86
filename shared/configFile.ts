// Configuration files, one way: read the file, parse it (YAML is a superset of JSON), validate it with
// its zod schema. Every failure is a ConfigError naming the file and, for a bad value, the field.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { entryPathDescriber, formatIssues, operatorWords, type RawIssue } from "./configIssues.js";
import { ConfigError } from "./errors.js";

export interface ReadOptions {
  /** The setting the path came from (`TENANTS_FILE`), named before a read failure. Default: none. */
  setting?: string;
}

export interface ParseOptions {
  /**
   * The file's list of named entries, so messages name an entry by its id (`tenant "globex": …`)
   * rather than its position (`tenants.1.…`). Default: positions.
   */
  entries?: { list: string; noun: string; idKey: string };
}

export type LoadOptions = ReadOptions & ParseOptions;

/** The file's text. Throws ConfigError `[setting: ]cannot read <path>: ENOENT`. */
export async function readConfigText(path: string, options: ReadOptions = {}): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const prefix = options.setting ? `${options.setting}: ` : "";
    throw new ConfigError(`${prefix}cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/**
 * Validates a value. Throws ConfigError `<origin>: field.path: message; …`, naming every bad field in
 * the operator's words (a schema's own message wins over them).
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  data: unknown,
  origin: string,
  options: ParseOptions = {},
): z.output<S> {
  const parsed = schema.safeParse(data, { error: (issue) => operatorWords(issue as RawIssue) });
  if (!parsed.success) {
    const describePath = options.entries ? entryPathDescriber(data, options.entries) : undefined;
    throw new ConfigError(`${origin}: ${formatIssues(parsed.error, describePath ? { describePath } : {})}`);
  }
  return parsed.data;
}

/** Parses YAML or JSON text and validates it; `origin` (usually the path) opens every message. */
export function parseConfigText<S extends z.ZodType>(
  schema: S,
  text: string,
  origin: string,
  options: ParseOptions = {},
): z.output<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${origin}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  return parseConfig(schema, data, origin, options);
}

/** Reads, parses and validates a configuration file; its path opens every message. */
export async function loadConfigFile<S extends z.ZodType>(
  schema: S,
  path: string,
  options: LoadOptions = {},
): Promise<z.output<S>> {
  return parseConfigText(schema, await readConfigText(path, options), path, options);
}
