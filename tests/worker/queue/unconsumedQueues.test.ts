// Jobs queued under a QUEUE_NAME no worker consumes: the worker's watch puts them in a gauge and
// warns once per few minutes per queue; `surecloud-sync status` names the queue. A queue whose jobs
// a worker takes is never reported. Real Redis and BullMQ.
import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeLogger } from "../../../shared/logger.js";
import { makeWorkerMetrics } from "../../../worker/metrics.js";
import { watchUnconsumedQueues } from "../../../worker/queue/unconsumedQueueWatch.js";
import { cli, REDIS_URL } from "../../toolbox/cli/cliHarness.js";

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const run = randomUUID();
/** The workers' queue, one where the Action's QUEUE_NAME was mistyped, and another deployment's. */
const workersQueue = `test-${run}-group-sync`;
// Sorted first among the queues status names in its text (it shows five), whatever else this shared
// Redis holds.
const typoQueue = `0-test-${run}-group-synk`;
const consumedQueue = `test-${run}-consumed`;
const connection = { url: REDIS_URL };
const queues = [workersQueue, typoQueue, consumedQueue].map((name) => new Queue(name, { connection }));
let consumer: Worker;

beforeAll(async () => {
  const [, typo, consumed] = queues;
  await typo?.add("sync", { schema: 1 }, { jobId: "held-1" });
  await typo?.add("sync", { schema: 1 }, { jobId: "held-2" });
  // A worker that is connected but not running: its queue keeps a waiting job, yet has a consumer.
  consumer = new Worker(consumedQueue, async () => undefined, { connection, autorun: false });
  await consumer.waitUntilReady();
  await consumed?.add("sync", { schema: 1 }, { jobId: "held-3" });
});

afterAll(async () => {
  await consumer.close();
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await redis.quit();
});

it("the worker's watch sets a gauge by queue and warns once per few minutes, never about a consumed queue", async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = makeLogger(
    { level: "info" },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  const metrics = makeWorkerMetrics();
  const watch = watchUnconsumedQueues({
    redis,
    queueName: workersQueue,
    metrics,
    logger,
    intervalMs: 3_600_000,
    warnEveryMs: 3_600_000,
  });
  try {
    const found = await watch.check();
    expect(found.map((queue) => queue.queue)).toContain(typoQueue);
    expect(found.map((queue) => queue.queue)).not.toContain(consumedQueue);
    const gauge = (await metrics.unconsumedQueueJobs.get()).values;
    expect(gauge.find((value) => value.labels.queue === typoQueue)?.value).toBe(2);
    expect(gauge.find((value) => value.labels.queue === consumedQueue)).toBeUndefined();

    await watch.check();
    const warnings = lines.filter((line) => line.level === "warn" && line.queue === typoQueue);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain(`queue "${typoQueue}" has 2 waiting job(s) and no worker consumes it`);
    expect(warnings[0]?.msg).toContain(`this worker consumes "${workersQueue}"`);
  } finally {
    watch.stop();
  }
});

it("status warns about the queue, with its waiting count and oldest wait, and lists it in --json", async () => {
  const env = { REDIS_URL };
  const json = await cli(["status", "--queue", workersQueue, "--json"], env);
  expect(json.code).toBe(0);
  const unconsumed = JSON.parse(json.stdout).unconsumedQueues as Array<Record<string, unknown>>;
  const typo = unconsumed.find((queue) => queue.queue === typoQueue);
  expect(typo).toMatchObject({ waiting: 2 });
  expect(Date.parse(String(typo?.oldestWaitingSince))).not.toBeNaN();
  expect(unconsumed.map((queue) => queue.queue)).not.toContain(consumedQueue);

  const text = await cli(["status", "--queue", workersQueue], env);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(
    new RegExp(
      `^WARNING: queue ${typoQueue} has 2 waiting job\\(s\\) and no worker consumes it, the oldest waiting `,
      "m",
    ),
  );
  expect(text.stdout).toContain(
    "Check that the Action's QUEUE_NAME secret and the workers' QUEUE_NAME are the same.",
  );
});
