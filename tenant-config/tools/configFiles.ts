// Reading the onboarding tools' configuration files, with errors that name the file.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../../shared/errors.js";

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/** YAML is a superset of JSON, so this reads both. */
export function parseYamlText(text: string, origin: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${origin}: not valid YAML: ${(error as Error).message}`);
  }
}
