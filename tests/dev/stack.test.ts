// `npm run stack -- --tenants <file>` as an operator runs it (the built dev/stack.js): from a
// two-tenant file it starts the emulator and a worker, prints the commands to use, a smoke event
// for the second tenant lands in SureCloud and reads back through the emulator's `state`, and
// Ctrl-C (SIGINT) stops it, leaving nothing of its queue in Redis.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { binary, REDIS_URL } from "../toolbox/cli/cliHarness.js";
import { globexGroups, writeTwoTenants } from "../toolbox/smoke/twoTenants.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const queueName = `test-${randomUUID()}`;
let file: Awaited<ReturnType<typeof writeTwoTenants>>;
let stack: ChildProcess;
let output = "";

beforeAll(async () => {
  file = await writeTwoTenants();
  stack = spawn(
    process.execPath,
    [
      join(root, "dist/dev/stack.js"),
      "--tenants",
      file.path,
      "--queue",
      queueName,
      "--emulator-port",
      "0",
      "--quiet",
    ],
    { env: { PATH: process.env.PATH, REDIS_URL }, stdio: ["ignore", "pipe", "pipe"] },
  );
  stack.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  stack.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes("Local stack ready.")) {
        clearTimeout(timer);
        resolve();
      }
    };
    stack.stdout?.on("data", check);
    stack.once("exit", (code) => reject(new Error(`the stack exited with ${code}:\n${output}`)));
  });
}, 60_000);

afterAll(async () => {
  if (stack?.exitCode === null) stack.kill("SIGKILL");
  await file?.remove();
});

/** The environment the stack's printed `export` line sets. */
function printedEnv(): Record<string, string> {
  const line = output.split("\n").find((text) => text.trimStart().startsWith("export ")) ?? "";
  return Object.fromEntries(
    line
      .trim()
      .slice("export ".length)
      .split(" ")
      .map((pair) => pair.split("=") as [string, string]),
  );
}

it("starts from a two-tenant file, lands a smoke event for the second tenant, and stops clean on Ctrl-C", async () => {
  expect(output).toMatch(
    /^ {4}globex: http:\/\/127\.0\.0\.1:\d+\/globex\/api\/v1, connection\(s\) globex-entra, 3 catalogue group\(s\)$/m,
  );
  const env = printedEnv();
  expect(env).toMatchObject({ QUEUE_NAME: queueName, SURECLOUD_TOKEN_GLOBEX: expect.any(String) });

  const sent = await binary(
    [
      "send-event",
      "--tenant",
      "globex",
      "--email",
      "gina@globex.example",
      "--directive",
      globexGroups.riskOwner.id,
      "--wait",
    ],
    env,
  );
  expect(sent.stdout).toContain("Outcome: applied: created ACTIVE; + Globex | Risk Owner");
  expect(sent.code).toBe(0);

  const url = /state --url (\S+)/.exec(output)?.[1] ?? "";
  const state = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(root, "dist/dev/surecloud-emulator/main.js"), "state", "--url", url, "--tenant", "globex"],
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  expect(state).toMatch(/^Tenant globex \(\S+\): 1 user\(s\), 3 group\(s\)$/m);
  expect(state).toMatch(
    /^gina@globex\.example +gina@globex\.example +ACTIVE +samlp\|globex-entra\|gina@globex\.example +Globex \| Risk Owner$/m,
  );

  stack.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => stack.once("exit", resolve));
  expect(code).toBe(0);
  expect(output).toContain(`Local stack stopped; queue ${queueName} and its keys removed from Redis.`);
  const redis = new Redis(REDIS_URL);
  try {
    const [, keys] = await redis.scan("0", "MATCH", `*${queueName}*`, "COUNT", 100_000);
    expect(keys).toEqual([]);
  } finally {
    redis.disconnect();
  }
}, 90_000);
