// Nothing an operator's log pipeline receives may carry a secret: every line the worker processes
// and the Action print during a run full of failures — SureCloud 401s and 500s, a wrong Redis
// password, Redis going away — is searched for the SureCloud tokens and the Redis passwords.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { afterEach, expect, it, vi } from "vitest";
import { loadAction } from "../../dev/localStack.js";
import { type Pipeline, startPipeline, stopProcess, tokenOf } from "../helpers/pipeline.js";
import { makePrivateRedis, type PrivateRedis } from "./privateRedis.js";
import { fastWorkerEnv, makeBatch, waitFor } from "./scenario.js";

const secret = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;
const REDIS_PASSWORD = secret("redis-pass");
const WRONG_REDIS_PASSWORD = secret("wrong-redis-pass");
/** Beta's worker is given a token SureCloud does not know: every beta request answers 401. */
const WRONG_BETA_TOKEN = secret("sc-wrong-token");

let stack: Pipeline | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await redis?.start().catch(() => undefined);
  await stack?.stop();
  await redis?.destroy();
  stack = undefined;
  redis = undefined;
});

/** Everything the Action prints in this process, as Auth0's execution log would keep it. */
function captureConsole(): string[] {
  const printed: string[] = [];
  const keep = (...args: unknown[]) => {
    printed.push(args.map((arg) => (typeof arg === "string" ? arg : String(arg))).join(" "));
  };
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "warn").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  return printed;
}

/** What Auth0 logs for a failed Action run: the thrown error, its stack and its cause. */
async function actionFailure(run: Promise<void>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  const failure = error as Error;
  return [failure.message, failure.stack, String(failure.cause), JSON.stringify(failure)].join("\n");
}

it("a run full of failures prints no SureCloud token and no Redis password", async () => {
  redis = await makePrivateRedis({ password: REDIS_PASSWORD, persist: true });
  stack = await startPipeline({ workers: 0, redisUrl: redis.url });
  const running = stack;
  const printed = captureConsole();
  const wrongRedisUrl = redis.url.replace(REDIS_PASSWORD, WRONG_REDIS_PASSWORD);
  const env = { ...fastWorkerEnv, LOG_LEVEL: "trace" };
  await running.startWorker({ ...env, SURECLOUD_TOKEN_BETA: WRONG_BETA_TOKEN });
  // A worker given the wrong Redis password keeps trying, and says why.
  const locked = await running.startWorker({
    ...env,
    REDIS_URL: wrongRedisUrl,
    SHUTDOWN_GRACE_SECONDS: "1",
  });

  running.emulator.setFaults({ errorRate: 0.3, seed: 5 });
  const acme = makeBatch("secret-acme", 4);
  const beta = makeBatch("secret-beta", 2, "beta-entra");
  await Promise.all([...acme, ...beta].map((user) => running.send(user.event)));
  const action = loadAction();
  const failures = [
    await actionFailure(
      action.onExecuteEventStream(
        { message: makeBatch("x", 1)[0]?.event, secrets: { REDIS_URL: wrongRedisUrl } },
        { cache: {} },
      ),
    ),
  ];
  await waitFor("some 500s to be answered", () => running.emulator.faults().seen >= 10);
  running.emulator.setFaults({});

  // Redis goes away under the worker and the Action, then comes back.
  await redis.stop();
  failures.push(await actionFailure(running.send(makeBatch("y", 1)[0]?.event)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await redis.start();

  const results = await Promise.all([...acme, ...beta].map((user) => running.result(user.event.id)));
  expect(results.slice(0, acme.length).map((result) => result.state)).toEqual(acme.map(() => "completed"));
  expect(results.slice(acme.length).map((result) => result.failedReason)).toEqual(
    beta.map(() => expect.stringMatching(/^surecloud-rejected: .*401/)),
  );
  await stopProcess(locked);
  expect(running.output()).toMatch(/WRONGPASS|NOAUTH/);

  const stored = await storedFailures(
    running,
    redis.url,
    [...acme, ...beta].map((u) => u.event.id),
  );
  const everything = [running.output(), ...printed, ...failures, stored].join("\n");
  for (const leak of [
    tokenOf("acme"),
    tokenOf("beta"),
    WRONG_BETA_TOKEN,
    REDIS_PASSWORD,
    WRONG_REDIS_PASSWORD,
  ]) {
    expect(everything).not.toContain(leak);
  }
  expect(everything).toContain("***");
});

/** Failed jobs' reasons and stack traces are what an operator reads in the dashboard and the CLI. */
async function storedFailures(running: Pipeline, redisUrl: string, eventIds: string[]): Promise<string> {
  const queue = new Queue(running.queueName, { connection: { url: redisUrl } });
  try {
    const jobs = await Promise.all(eventIds.map((id) => queue.getJob(`event-${id}`)));
    return JSON.stringify(jobs.map((job) => [job?.data, job?.failedReason, job?.stacktrace]));
  } finally {
    await queue.close();
  }
}
