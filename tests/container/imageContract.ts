// Reading the container contract without Docker: a Dockerfile's stages (RUN, USER, CMD, HEALTHCHECK,
// COPY --from=build), compose's `${VAR:-default}`, and the packages built code loads at run time.
import { readdir, readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { dirname, join, normalize, relative } from "node:path";

export interface DockerStage {
  name: string | undefined;
  from: string;
  /** Each shell command of every RUN, split at `&&`. */
  run: string[];
  user: string | undefined;
  expose: string[];
  /** Exec-form CMD; undefined when absent or in shell form. */
  cmd: string[] | undefined;
  /** Exec-form HEALTHCHECK CMD. */
  healthcheck: string[] | undefined;
  /** Destinations (relative to WORKDIR) of `COPY --from=build`. */
  copiedFromBuild: string[];
}

export interface ComposeService {
  image?: string;
  build?: { context?: string; target?: string };
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  stop_grace_period?: string;
}

export interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Instructions in order, continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ keyword: string; args: string }> {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const { keyword, args } of instructions(text)) {
    if (keyword === "FROM") {
      const [from = "", , name] = args.split(/\s+/);
      stages.push({
        name,
        from,
        run: [],
        user: undefined,
        expose: [],
        cmd: undefined,
        healthcheck: undefined,
        copiedFromBuild: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    if (keyword === "RUN") stage.run.push(...args.split("&&").map((part) => part.trim()));
    if (keyword === "USER") stage.user = args;
    if (keyword === "EXPOSE") stage.expose.push(...args.split(/\s+/));
    if (keyword === "CMD") stage.cmd = execForm(args);
    if (keyword === "HEALTHCHECK") stage.healthcheck = execForm(args.slice(args.indexOf("CMD ") + 4));
    if (keyword === "COPY" && args.startsWith("--from=build ")) {
      const parts = args.split(/\s+/);
      stage.copiedFromBuild.push(normalize(parts.at(-1) ?? ""));
    }
  }
  return stages;
}

function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith("[")) return undefined;
  return JSON.parse(args) as string[];
}

/** `${NAME:-default}`, `${NAME-default}` and `${NAME}` resolved against `env`, as compose does. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
    const set = env[name];
    return set !== undefined && set !== "" ? set : (fallback ?? "");
  });
}

const specifierPatterns = [
  /\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire(?:\.resolve)?\(\s*["']([^"']+)["']\s*\)/g,
];

/**
 * Packages the `.js` files under `dirs` load (static and dynamic imports, require), following
 * relative imports file to file, and the relative imports that land outside `copied` (the
 * directories the image holds).
 */
export async function runtimeImports(
  root: string,
  dirs: string[],
  copied: string[],
): Promise<{ packages: string[]; outside: string[] }> {
  const packages = new Set<string>();
  const outside: string[] = [];
  const queue = (await Promise.all(dirs.map((dir) => jsFiles(join(root, dir))))).flat();
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.shift() ?? "";
    for (const specifier of specifiersOf(await readFile(file, "utf8"))) {
      if (!specifier.startsWith(".")) {
        if (!isBuiltin(specifier)) packages.add(packageName(specifier));
        continue;
      }
      const target = join(dirname(file), specifier);
      if (!copied.some((prefix) => relative(root, target).startsWith(`${prefix}/`))) {
        outside.push(`${relative(root, file)} -> ${specifier}`);
      } else if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return { packages: [...packages].sort(), outside };
}

function specifiersOf(code: string): string[] {
  return specifierPatterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? ""));
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
    .map((entry) => join(entry.parentPath, entry.name));
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not ready in ${timeoutMs} ms:\n${describe()}`);
}
