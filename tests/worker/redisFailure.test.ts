// Failing to reach Redis, quietly and clearly, run as operators run it (`node dist/worker/main.js`,
// the `surecloud-sync` CLI). A Redis that is away is waited out: reconnects back off and the log gets
// one line without a stack every few seconds, not a pair of lines with stacks per attempt. A Redis
// that answers but refuses the settings (database number, password) stops the worker (exit 78) and
// the CLI (exit 2) with the problem named and the password masked.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../dev/freePort.js";
import { makePrivateRedis, type PrivateRedis } from "../faults/privateRedis.js";

const root = new URL("../..", import.meta.url).pathname;
const PASSWORD = "right-pw-3f9a7c21";
let dir: string;
let tenantsFile: string;
let redis: PrivateRedis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "worker-redis-failure-"));
  tenantsFile = join(dir, "tenants.json");
  const tenant = {
    id: "acme",
    connection: "acme-entra",
    surecloud: { baseUrl: "http://127.0.0.1:9/acme/api/v1", tokenEnv: "SURECLOUD_TOKEN_ACME" },
    groups: [{ groupId: "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41", name: "Privacy | Breach Reporter" }],
  };
  await writeFile(tenantsFile, JSON.stringify({ tenants: [tenant] }));
  redis = await makePrivateRedis({ password: PASSWORD });
});
afterAll(async () => {
  await redis?.destroy();
  await rm(dir, { recursive: true, force: true });
});

function spawnWorker(redisUrl: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(root, "dist/worker/main.js")], {
    env: {
      PATH: process.env.PATH,
      HTTP_PORT: "0",
      REDIS_URL: redisUrl,
      TENANTS_FILE: tenantsFile,
      SURECLOUD_TOKEN_ACME: "sc-test-token",
      QUEUE_NAME: "redis-failure-test",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

function exitOf(child: ChildProcess, timeoutMs = 20_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the worker did not stop"));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const lines = (text: string) => text.split("\n").filter(Boolean);

describe("a Redis that does not answer", () => {
  it("is retried with backoff, told in one line without a stack every few seconds", async () => {
    const port = await freePort();
    const worker = spawnWorker(`redis://:${PASSWORD}@127.0.0.1:${port}`);
    const exited = exitOf(worker.child, 60_000);
    // Wait for the log to say six attempts have failed: the bound below is on lines per attempt.
    const deadline = Date.now() + 45_000;
    const attempts = () =>
      Math.max(
        0,
        ...lines(worker.output()).map((line) => Number(/"failedAttempts":(\d+)/.exec(line)?.[1] ?? 0)),
      );
    while (attempts() < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    worker.child.kill("SIGKILL");
    await exited;
    const output = worker.output();
    expect(attempts(), output).toBeGreaterThanOrEqual(6);
    const aboutRedis = lines(output).filter((line) => line.includes("cannot reach Redis"));
    // Six failed attempts, told in at most three lines (the first, then one every 5 s); before,
    // each attempt printed a warning and two "worker error" lines with stacks.
    expect(aboutRedis.length, output).toBeLessThanOrEqual(3);
    expect(output).not.toMatch(/"stack"|\n\s+at |worker error/);
    expect(aboutRedis[0]).toContain(`127.0.0.1:${port}`);
    expect(output).not.toContain(PASSWORD);
  }, 70_000);
});

describe("a Redis that refuses the settings", () => {
  it.each([
    [
      "a database number it does not have",
      () => `redis://:${PASSWORD}@127.0.0.1:${redis.port}/99`,
      /database number \(ERR DB index is out of range\)/,
    ],
    [
      "a wrong password",
      () => `redis://:wrong-pw-81b2@127.0.0.1:${redis.port}`,
      /refused the user name or password \(WRONGPASS\)/,
    ],
    [
      "no password",
      () => `redis://127.0.0.1:${redis.port}`,
      /asks for a password and none was given \(NOAUTH\)/,
    ],
  ])("(%s) stops the worker with exit code 78, naming the problem", async (_, url, problem) => {
    const worker = spawnWorker(url());
    expect(await exitOf(worker.child)).toBe(78);
    expect(worker.output()).toMatch(problem);
    expect(worker.output()).toContain(`Redis at redis://`);
    expect(worker.output()).not.toContain(PASSWORD);
    expect(worker.output()).not.toContain("wrong-pw-81b2");
  });

  it("stops an operations command with exit code 2, naming the problem", async () => {
    const child = spawn(
      process.execPath,
      [
        join(root, "dist/toolbox/cli/main.js"),
        "status",
        "--redis-url",
        `redis://:${PASSWORD}@127.0.0.1:${redis.port}/99`,
      ],
      { env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toMatch(
      /^Error: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/99 refused the database number/,
    );
    expect(stderr).not.toContain(PASSWORD);
  });
});
