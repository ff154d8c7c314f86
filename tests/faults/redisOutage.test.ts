// Redis away at start-up or restarted mid-run: the worker waits and resumes on its own, the
// Action fails fast (so Auth0 redelivers), and with Redis persistence on no job is lost.
// Runs against a private redis-server: the shared one on 6379 is never stopped.
import { afterEach, expect, it } from "vitest";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { makePrivateRedis, type PrivateRedis } from "./privateRedis.js";
import { expectAllSynced, fastWorkerEnv, makeBatch, waitFor } from "./scenario.js";

let stack: Pipeline | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await redis?.start().catch(() => undefined);
  await stack?.stop();
  await redis?.destroy();
  stack = undefined;
  redis = undefined;
});

/** What Auth0 does with a delivery the Action failed: it tries again, here until the Action succeeds. */
async function deliverUntilAccepted(stack: Pipeline, message: { id: string }): Promise<void> {
  for (;;) {
    try {
      return await stack.send(message);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

it("Redis down when the worker starts: the Action fails fast, the worker waits and then syncs", async () => {
  redis = await makePrivateRedis();
  stack = await startPipeline({ workers: 0, redisUrl: redis.url, workerEnv: fastWorkerEnv });
  await redis.stop();
  await stack.startWorker();

  const users = makeBatch("redis-late", 6);
  const started = Date.now();
  await expect(stack.send(users[0]?.event)).rejects.toThrow(/could not be stored/);
  // Well inside Auth0's ~10 s budget for one run.
  expect(Date.now() - started).toBeLessThan(5_000);

  await redis.start();
  const running = stack;
  await Promise.all(users.map((user) => deliverUntilAccepted(running, user.event)));
  await expectAllSynced(running, users);
  // The outage was told, and so was its end.
  expect(running.logs.some((line) => String(line.msg).startsWith("cannot reach Redis"))).toBe(true);
  expect(running.logs.some((line) => line.msg === "Redis connection restored")).toBe(true);
});

it("Redis restarted mid-run with persistence on: every job completes, none applied twice", async () => {
  redis = await makePrivateRedis({ persist: true });
  stack = await startPipeline({ workers: 1, redisUrl: redis.url, workerEnv: fastWorkerEnv });
  const running = stack;
  running.emulator.setFaults({ latencyMs: 40 });
  const users = makeBatch("redis-restart", 24);
  await Promise.all(users.map((user) => running.send(user.event)));

  await waitFor("a quarter of the users to be created", () => {
    return running.emulator.requests({ operation: "createUser" }).length >= 6;
  });
  await redis.stop();
  const createdDuringOutage = running.emulator.state("acme").users.length;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await redis.start();

  await expectAllSynced(running, users);
  expect(createdDuringOutage).toBeLessThan(users.length);
});
