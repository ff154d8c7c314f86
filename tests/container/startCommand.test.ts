// The container image's contract, checked without a Docker engine: the Dockerfile's runtime stage
// (production dependencies, non-root, exec-form CMD, node HEALTHCHECK) and compose.yaml's worker and
// emulator, run here exactly as the image would run them, from the repository root (the image's
// WORKDIR layout: dist/, node_modules/, package.json). Needs `npm run build` first.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { freePort } from "../../dev/freePort.js";
import {
  type ComposeService,
  interpolate,
  type PackageJson,
  parseDockerfile,
  runtimeImports,
  waitFor,
} from "./imageContract.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const stages = parseDockerfile(await readFile(join(root, "Dockerfile"), "utf8"));
const runtime = stages.at(-1);
const compose = parseYaml(await readFile(join(root, "compose.yaml"), "utf8")) as {
  services: Record<string, ComposeService>;
};
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as PackageJson;

describe("Dockerfile", () => {
  it("builds with every dependency, then runs as `node` with production dependencies only", () => {
    const build = stages.find((stage) => stage.name === "build");
    expect(build?.from).toBe("node:22-slim");
    expect(build?.run).toContain("npm ci");
    expect(build?.run).toContain("npm run build");
    // `docker build .` builds the last stage: it must be the worker.
    expect(runtime?.name).toBe("runtime");
    expect(runtime?.from).toBe("node:22-slim");
    expect(runtime?.run.some((line) => /^npm ci --omit=dev\b/.test(line))).toBe(true);
    expect(runtime?.user).toBe("node");
    expect(runtime?.expose).toContain("8080");
    expect(runtime?.cmd).toEqual(["node", "dist/worker/main.js"]);
    expect(runtime?.healthcheck?.[0]).toBe("node");
  });

  it("ships every package the built worker and operations CLI load as a production dependency", async () => {
    const copied = runtime?.copiedFromBuild ?? [];
    const { packages, outside } = await runtimeImports(
      root,
      ["dist/worker", "dist/toolbox", "dist/shared"],
      copied,
    );
    expect(packages.length).toBeGreaterThan(0);
    const missing = packages.filter((name) => pkg.dependencies?.[name] === undefined);
    expect(missing, "imported at run time but not in package.json dependencies").toEqual([]);
    expect(outside, "relative imports of files the runtime stage does not copy").toEqual([]);
  });

  it("keeps tenant onboarding and auth0-deploy-cli out of the image", async () => {
    const copied = runtime?.copiedFromBuild ?? [];
    expect(copied.some((dir) => dir.startsWith("dist/tenant-config"))).toBe(false);
    expect(pkg.dependencies?.["auth0-deploy-cli"]).toBeUndefined();
    // Every command the image's CLI lists loads from what the image holds.
    const { commands } = await import("../../toolbox/cli/commands/index.js");
    const names = commands.map((command) => command.name);
    expect(names).not.toContain("tenant-deploy");
    for (const entry of commands) expect((await entry.load()).name).toBe(entry.name);
  });

  it("gives the emulator stage everything the emulator loads", async () => {
    const emulator = stages.find((stage) => stage.name === "emulator");
    expect(emulator?.run.some((line) => /^npm ci --omit=dev\b/.test(line))).toBe(true);
    const copied = emulator?.copiedFromBuild ?? [];
    const { packages, outside } = await runtimeImports(root, ["dist/dev/surecloud-emulator"], copied);
    expect(packages.filter((name) => pkg.dependencies?.[name] === undefined)).toEqual([]);
    expect(outside).toEqual([]);
  });
});

describe("compose.yaml", () => {
  it("runs Redis with append-only persistence and no eviction", () => {
    const command = compose.services.redis?.command ?? [];
    expect(compose.services.redis?.image).toBe("redis:7");
    expect(command.join(" ")).toContain("--appendonly yes");
    expect(command.join(" ")).toContain("--maxmemory-policy noeviction");
  });

  it("gives the worker longer to stop than its own shutdown grace", () => {
    const worker = compose.services.worker;
    const grace = Number(interpolate(String(worker?.environment?.SHUTDOWN_GRACE_SECONDS ?? "25"), {}));
    expect(seconds(worker?.stop_grace_period ?? "10s")).toBeGreaterThan(grace);
    expect(worker?.build?.target).toBe("runtime");
    expect(compose.services.emulator?.build?.target).toBe("emulator");
    expect(worker?.volumes?.every((volume) => volume.endsWith(":ro"))).toBe(true);
  });
});

describe("the image's start command, outside Docker", () => {
  const children: ChildProcess[] = [];
  let dir: string;
  let env: Record<string, string>;
  let queueName: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "group-sync-image-"));
    const emulatorPort = await freePort();
    const emulator = startFromCompose("emulator", { EMULATOR_PORT: String(emulatorPort) });
    children.push(emulator.child);
    await waitFor(() => emulator.output().includes("listening on"), 10_000, emulator.output);

    // The compose tenants file, with the emulator's service name swapped for this machine's address.
    const tenants = (await readFile(join(root, "dev/compose-tenants.yaml"), "utf8")).replaceAll(
      "http://emulator:4010",
      `http://127.0.0.1:${emulatorPort}`,
    );
    await writeFile(join(dir, "tenants.yaml"), tenants);
    queueName = `test-${randomUUID()}`;
    env = {
      ...composeEnv("worker"),
      REDIS_URL,
      TENANTS_FILE: join(dir, "tenants.yaml"),
      QUEUE_NAME: queueName,
      HTTP_PORT: String(await freePort()),
    };
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    await queue.obliterate({ force: true });
    await queue.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("starts, answers /healthz and the HEALTHCHECK, and exits 0 on SIGTERM within the grace period", async () => {
    const cmd = runtime?.cmd ?? [];
    const worker = run(cmd, env);
    children.push(worker.child);
    const url = `http://127.0.0.1:${env.HTTP_PORT}`;
    await waitFor(
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
      10_000,
      worker.output,
    );
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const healthcheck = runtime?.healthcheck ?? [];
    expect(await exitCodeOf(run(healthcheck, env).child)).toBe(0);
    // The probe fails when nothing answers, so a pass above means something.
    expect(await exitCodeOf(run(healthcheck, { ...env, HTTP_PORT: String(await freePort()) }).child)).toBe(1);

    const grace = Number(env.SHUTDOWN_GRACE_SECONDS ?? 25);
    const started = Date.now();
    worker.child.kill("SIGTERM");
    expect(await exitCodeOf(worker.child)).toBe(0);
    expect(Date.now() - started).toBeLessThan(grace * 1000);
    expect(worker.output()).toContain('"msg":"worker stopped"');
  });

  /** The service's environment with `${VAR:-default}` resolved as compose would, with this shell empty. */
  function composeEnv(service: string): Record<string, string> {
    const raw = compose.services[service]?.environment ?? {};
    return Object.fromEntries(
      Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), {})]),
    );
  }

  /** The service's command, its mounted files mapped back to the repository and its port to `overrides`. */
  function startFromCompose(service: string, overrides: Record<string, string>) {
    const definition = compose.services[service];
    let command = (definition?.command ?? []).map(String);
    for (const volume of definition?.volumes ?? []) {
      const [source = "", target = ""] = volume.split(":");
      command = command.map((arg) => (arg === target ? join(root, source) : arg));
    }
    // Flags win over environment in the emulator: drop the container's host and port flags.
    command = command.filter(
      (arg, i) => !["--host", "--port"].includes(arg) && !["--host", "--port"].includes(command[i - 1] ?? ""),
    );
    return run(command, { ...composeEnv(service), ...overrides });
  }

  function run(command: string[], childEnv: Record<string, string>) {
    const [file = "", ...args] = command;
    let output = "";
    // PATH puts this node first, so `node` in the command is the one running the tests (v22).
    const child = spawn(file, args, {
      cwd: root,
      env: { ...childEnv, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    return { child, output: () => output };
  }
});

function exitCodeOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function seconds(duration: string): number {
  const match = /^(\d+)(s|m)$/.exec(duration);
  if (!match) throw new Error(`unsupported duration ${duration}`);
  return Number(match[1]) * (match[2] === "m" ? 60 : 1);
}
