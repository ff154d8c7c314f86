// Runs a documented command as a reader would type it, in bash, from a working directory that looks
// like the repository root with the reader's own files saved beside it (tenants.yaml, the mapping,
// the expression copied from Entra). The project's binaries are on PATH as `npm link` would put them;
// `npm run <script>` runs the script without its build step, which the suite has already done
// (rebuilding would delete dist/ under tests running beside this one).
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DocCommand } from "./docCommands.js";

/** What a documented command must do here; `run` (exit 0) unless a rule below says otherwise. */
export type Expectation =
  | { kind: "run" }
  | { kind: "auth0"; reason: string }
  | { kind: "help"; reason: string }
  | { kind: "before-pipe"; reason: string }
  | { kind: "serve"; ready: RegExp; reason: string }
  | { kind: "skip"; reason: string };

/** The Auth0 domain every command gets: `.invalid` never resolves, so no call leaves the machine. */
export const UNREACHABLE_AUTH0 = "auth0.nowhere.invalid";

/**
 * The commands that cannot run as written against the local parts, each with the reason. Everything
 * else must exit 0. A new documented command that needs live Auth0 belongs here.
 */
export const RULES: Array<{ pattern: RegExp; expect: Expectation }> = [
  {
    pattern: /^npm (ci|test|install)\b/,
    expect: { kind: "skip", reason: "reinstalls node_modules or runs this whole suite" },
  },
  { pattern: /^docker /, expect: { kind: "skip", reason: "needs a Docker daemon" } },
  {
    pattern: /\|\s*(?:\S+=\S+\s+)*redis-cli\b/,
    expect: {
      kind: "before-pipe",
      reason: "feeds the administrator's Redis (redis.internal); the part before the pipe runs",
    },
  },
  {
    pattern: /^npm run (tenant:scim-token|entra:expression)$/,
    expect: { kind: "help", reason: "names the script in prose; its options follow in the steps" },
  },
  {
    pattern: /tenant:(diff|deploy|scim-token)\b|main\.js (tenant-diff|tenant-deploy|scim-token)\b/,
    expect: {
      kind: "auth0",
      reason: "calls the live Auth0 Management API; must fail naming Auth0 and the host",
    },
  },
  {
    pattern: /(surecloud-sync|toolbox\/cli\/main\.js) (stream-status|redeliver|plan|drift|resync)\b/,
    expect: {
      kind: "help",
      reason:
        "reads the live Auth0 Management API (resync's unreachable-Auth0 failure: tests/tenant-config/tools/unreachableAuth0.test.ts)",
    },
  },
  {
    pattern: /^npm run stack\b/,
    expect: {
      kind: "serve",
      ready: /Local stack ready\./,
      reason:
        "runs until Ctrl-C: started once, left running for the commands after it (with the export line it prints), stopped with SIGINT at the end",
    },
  },
  {
    pattern: /^(node dist\/toolbox\/cli\/main\.js|surecloud-sync redis-acl)$/,
    expect: { kind: "help", reason: "names the binary or command in prose, without its options" },
  },
];

export function expectationOf(command: string): Expectation {
  return RULES.find((rule) => rule.pattern.test(command))?.expect ?? { kind: "run" };
}

/** The catalogue group of the reader's second tenant, `globex`, that placeholders name. */
export const GLOBEX_GROUP_ID = "0c9d2f4e-6b1a-4e3c-9f8d-7a5b3c1e2d40";

/** What a reader puts in place of each `<placeholder>` the docs use. */
const PLACEHOLDERS: Array<[RegExp, string]> = [
  [/--mapping <file>/g, "--mapping acme-entra-mapping.yaml"],
  [/--tenants <file>/g, "--tenants tenants.yaml"],
  [/--expression <file>/g, "--expression from-entra.txt"],
  [/<name>/g, "acme-entra"],
  [/<id>/g, "acme"],
  [/<app role>|<the user's app role>/g, "SureCloud TPRM admins"],
  [/<when>|<when you started>/g, "2h"],
  [/<host>/g, "intake.example.com"],
  [/<token>/g, "docs-test-intake-token-0123456789abcdefghijkl"],
  [/<command>/g, "--help"],
  [/<address>/g, "gina@globex.example"],
  [/<a groupId of the globex catalogue>/g, GLOBEX_GROUP_ID],
  // With `--tenant <id>` (acme): the example catalogue's "Platform | User".
  [/<userType>/g, "4e315da2-e7e1-48ec-ada2-86bd949c6baa"],
];

/** The command with each known placeholder filled in; throws naming one it does not know. */
export function fillPlaceholders(command: string): string {
  let filled = command;
  for (const [pattern, value] of PLACEHOLDERS) filled = filled.replace(pattern, value);
  const unknown = /<[^<>\s][^<>]*>/.exec(filled.replace(/<<|>>|\d>|>&|<\(/g, ""));
  if (unknown) {
    throw new Error(
      `placeholder ${unknown[0]} has no value in tests/docs/commandRunner.ts PLACEHOLDERS; add one a reader would use`,
    );
  }
  return filled;
}

export interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** `export …` lines a long-running command printed: a reader pastes them into the next shell. */
  session: string[];
  /** Long-running commands still up, by the command that started them. */
  serving: Map<string, ChildProcess>;
  remove(): Promise<void>;
}

/**
 * A working directory with every top-level entry of the repository linked in, the reader's files
 * written beside them, and shims for `surecloud-sync`, `surecloud-tenant` and `npm` first on PATH.
 */
export async function makeWorkspace(
  root: string,
  files: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "doc-commands-"));
  for (const entry of await readdir(root)) {
    if (!(entry in files)) await symlink(join(root, entry), join(dir, entry));
  }
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const bin = join(dir, ".bin");
  await mkdir(bin);
  const shim = async (name: string, body: string) => {
    await writeFile(join(bin, name), body);
    await chmod(join(bin, name), 0o755);
  };
  await shim("surecloud-sync", `#!/bin/sh\nexec node "${root}/dist/toolbox/cli/main.js" "$@"\n`);
  await shim("surecloud-tenant", `#!/bin/sh\nexec node "${root}/dist/tenant-config/tools/main.js" "$@"\n`);
  await writeFile(join(bin, "npm-run.cjs"), npmShim(root));
  await shim("npm", `#!/bin/sh\nexec node "${join(bin, "npm-run.cjs")}" "$@"\n`);
  const serving = new Map<string, ChildProcess>();
  return {
    dir,
    env: { ...env, PATH: `${bin}:${process.env.PATH}` },
    session: [],
    serving,
    async remove() {
      await Promise.all([...serving.values()].map((child) => stopGroup(child, "SIGINT")));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `npm run [-s] <script> [-- args]`: the script from package.json, its leading build step dropped. */
function npmShim(root: string): string {
  return `const { spawnSync } = require("node:child_process");
const scripts = require(${JSON.stringify(`${root}/package.json`)}).scripts;
const [verb, ...rest] = process.argv.slice(2);
if (verb !== "run") { console.error("docs test: npm " + verb + " is not run here"); process.exit(97); }
const words = rest.filter((word) => word !== "-s" && word !== "--silent");
const [name, ...more] = words;
const extra = more[0] === "--" ? more.slice(1) : more;
const body = scripts[name];
if (body === undefined) { console.error("npm error Missing script: " + JSON.stringify(name)); process.exit(1); }
const command = body.replace(/^(node scripts\\/build\\.mjs|npm run build)( --[\\w-]+)* && /, "");
if (/^(node scripts\\/build\\.mjs|npm run build)( --[\\w-]+)*$/.test(command)) process.exit(0);
const result = spawnSync("sh", ["-c", command + ' "$@"', "sh", ...extra], { stdio: "inherit" });
process.exit(result.status ?? 1);
`;
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts bash in its own process group, so stopping it stops what it started too. */
function startBash(workspace: Workspace, script: string): ChildProcess {
  return spawn("bash", ["-o", "pipefail", "-c", [...workspace.session, script].join("\n")], {
    cwd: workspace.dir,
    env: workspace.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

/** Signals the whole group; SIGKILL after 30 s if it has not exited. */
function stopGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (how: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), how);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => kill("SIGKILL"), 30_000);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    kill(signal);
  });
}

/** Collects a child's output; `onOutput` sees all of it so far after each chunk. */
function collect(child: ChildProcess, onOutput: (all: string) => void = () => undefined) {
  const seen = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    seen.stdout += chunk.toString();
    onOutput(seen.stdout + seen.stderr);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    seen.stderr += chunk.toString();
    onOutput(seen.stdout + seen.stderr);
  });
  return seen;
}

/** Starts a command that runs until stopped; resolves once its output matches `ready`. */
async function serve(workspace: Workspace, command: string, ready: RegExp): Promise<string | undefined> {
  if (workspace.serving.has(command)) return undefined;
  const child = startBash(workspace, command);
  let resolveStarted: (started: boolean) => void = () => undefined;
  const started = new Promise<boolean>((resolve) => {
    resolveStarted = resolve;
  });
  const seen = collect(child, (all) => {
    if (ready.test(all)) resolveStarted(true);
  });
  const timer = setTimeout(() => resolveStarted(false), 90_000);
  child.once("close", () => resolveStarted(false));
  const ok = await started;
  clearTimeout(timer);
  const output = seen.stdout + seen.stderr;
  if (!ok) {
    await stopGroup(child, "SIGKILL");
    return `did not print ${ready} within 90 s, or exited:\n${output.slice(-2000)}`;
  }
  workspace.serving.set(command, child);
  const exports = output.match(/^\s*export [A-Z_][A-Z0-9_]*=.*$/gm) ?? [];
  workspace.session.push(...exports.map((line) => line.trim()));
  return undefined;
}

/** Runs bash with the block's `export` lines first, then the command; never longer than `timeoutMs`. */
export function runInWorkspace(
  workspace: Workspace,
  script: string,
  timeoutMs = 120_000,
): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = startBash(workspace, script);
    const seen = collect(child);
    const timer = setTimeout(() => void stopGroup(child, "SIGKILL"), timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, ...seen });
    });
  });
}

/** Runs one documented command; resolves to what is wrong with it, or undefined when it works. */
export async function checkDocCommand(workspace: Workspace, doc: DocCommand): Promise<string | undefined> {
  const where = `${doc.doc}:${doc.line}: \`${doc.command}\``;
  const expectation = expectationOf(doc.command);
  if (expectation.kind === "skip") return undefined;
  let command: string;
  try {
    command = fillPlaceholders(doc.command);
  } catch (error) {
    return `${where}: ${(error as Error).message}`;
  }
  if (expectation.kind === "before-pipe") command = command.slice(0, command.lastIndexOf("|")).trim();
  // A trailing comment would swallow the appended --help; npm takes a bare --help for itself.
  if (expectation.kind === "help") {
    const bare = command.replace(/\s+#.*$/, "");
    command = /^npm run /.test(bare) && !/ -- /.test(bare) ? `${bare} -- --help` : `${bare} --help`;
  }
  if (expectation.kind === "serve") {
    const problem = await serve(workspace, command, expectation.ready);
    return problem && `${where} (${expectation.reason}) ${problem}`;
  }
  const run = await runInWorkspace(workspace, [...doc.setup, command].join("\n"));
  const output = `\n--- stdout (end) ---\n${run.stdout.slice(-1500)}\n--- stderr (end) ---\n${run.stderr.slice(-1500)}`;
  if (expectation.kind === "auth0") {
    const said = `cannot reach Auth0 at ${UNREACHABLE_AUTH0}`;
    if (run.code !== 0 && run.stderr.includes(said)) return undefined;
    return `${where} should fail saying "${said}" (${expectation.reason}); it exited ${run.code}${output}`;
  }
  if (run.code === 0) return undefined;
  const ran = command === doc.command ? "" : ` (run as \`${command}\`)`;
  return `${where}${ran} exited ${run.code}; a documented command must work as written${output}`;
}
