// SIGTERM (a deploy, a scale-in): the worker takes no new job, lets running ones finish within
// SHUTDOWN_GRACE_SECONDS, and past that hands them back so that another worker completes them.
import type { ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import { afterEach, expect, it } from "vitest";
import { REDIS_URL } from "../../dev/localStack.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { expectAllSynced, fastWorkerEnv, makeBatch, waitFor } from "./scenario.js";

let stack: Pipeline | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

function terminate(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

async function jobStates(queueName: string, eventIds: string[]): Promise<string[]> {
  const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
  try {
    return await Promise.all(
      eventIds.map(async (id) => (await queue.getJob(`event-${id}`))?.getState() ?? "missing"),
    );
  } finally {
    await queue.close();
  }
}

it("SIGTERM: running jobs finish within the grace period and no new job is taken", async () => {
  stack = await startPipeline({ workers: 0 });
  const running = stack;
  running.emulator.setFaults({ latencyMs: 100 });
  const worker = await running.startWorker({
    ...fastWorkerEnv,
    WORKER_TENANT_CONCURRENCY: "4",
    SHUTDOWN_GRACE_SECONDS: "10",
  });
  const users = makeBatch("graceful", 8);
  await Promise.all(users.map((user) => running.send(user.event)));
  // Four jobs (the worker's concurrency) are under way, each some 500 ms from done.
  // Each job's first request, whatever it is: the four jobs start together, their next ones come later.
  await waitFor("four jobs to start", () => running.emulator.requests().length >= 4);

  expect(await terminate(worker)).toBe(0);
  const states = await jobStates(
    running.queueName,
    users.map((user) => user.event.id),
  );
  expect(states.filter((state) => state === "completed")).toHaveLength(4);
  expect(states.filter((state) => state === "wait" || state === "waiting")).toHaveLength(4);
  expect(running.logs).toContainEqual(expect.objectContaining({ msg: "worker stopped", finished: "closed" }));

  await running.startWorker(fastWorkerEnv);
  await expectAllSynced(running, users);
});

it("SIGTERM past the grace period: running jobs are handed back and another worker completes them", async () => {
  stack = await startPipeline({
    workers: 0,
    // Jobs handed back wait out the longest request timeout before another worker may take them.
    tenants: [{ id: "acme", connection: "acme-entra", timeoutMs: 5_000 }],
  });
  const running = stack;
  // A job is a create then an add: each request outlasts the grace (0.5 s), so once every job has
  // started, none can finish before SIGTERM's grace runs out, however fast the machine.
  running.emulator.setFaults({ latencyMs: 1_500 });
  const worker = await running.startWorker({
    ...fastWorkerEnv,
    WORKER_TENANT_CONCURRENCY: "4",
    SHUTDOWN_GRACE_SECONDS: "0.5",
  });
  const users = makeBatch("handed-back", 4);
  await Promise.all(users.map((user) => running.send(user.event)));
  // Each job's first request, whatever it is: the four jobs start together, their next ones come later.
  await waitFor("four jobs to start", () => running.emulator.requests().length >= 4);

  const signalled = Date.now();
  expect(await terminate(worker)).toBe(0);
  // That the worker did not wait for its jobs shows in its log and in the job states below, whatever
  // the machine's speed. This bound only catches a worker that hangs once they are handed back: the
  // grace (0.5 s) and the hand-back take about a second, so 10 s leaves room for a busy machine.
  expect(Date.now() - signalled).toBeLessThan(10_000);
  expect(running.logs).toContainEqual(
    expect.objectContaining({ msg: "worker stopped", finished: "timeout", handedBack: 4 }),
  );
  const states = await jobStates(
    running.queueName,
    users.map((user) => user.event.id),
  );
  expect(states).toEqual(["delayed", "delayed", "delayed", "delayed"]);

  await running.startWorker(fastWorkerEnv);
  await expectAllSynced(running, users);
});
