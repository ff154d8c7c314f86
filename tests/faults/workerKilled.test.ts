// A worker process killed outright (SIGKILL, an OOM kill, a lost node) in the middle of a batch:
// once a worker runs again, the jobs it held are taken again and every user ends correct.
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

it("a worker SIGKILLed mid-batch and restarted: no job lost, none applied twice", async () => {
  stack = await startPipeline({ workers: 0, workerEnv: fastWorkerEnv });
  const running = stack;
  // Slow answers keep several jobs in the middle of their requests when the kill lands.
  running.emulator.setFaults({ latencyMs: 40 });
  const victim = await running.startWorker();
  const users = makeBatch("killed", 24);
  await Promise.all(users.map((user) => running.send(user.event)));

  await waitFor("a third of the users to be created", () => {
    return running.emulator.requests({ operation: "createUser" }).length >= 8;
  });
  victim.kill("SIGKILL");
  await new Promise((resolve) => victim.once("exit", resolve));
  const createdBeforeKill = running.emulator.state("acme").users.length;
  expect(createdBeforeKill).toBeLessThan(users.length);
  // Jobs the dead worker held are still marked active: only the stalled-job check can free them.
  const queue = new Queue(running.queueName, { connection: { url: REDIS_URL } });
  try {
    const held = (await queue.getActive()).map((job) => job.id as string);
    expect(held.length).toBeGreaterThan(0);

    await running.startWorker();
    // BullMQ counts each time its stalled check takes a job back from a dead worker. The wait starts
    // at the new worker's start, so neither its start-up nor the batch is in it: only the lapse of the
    // dead worker's locks (2 s after their last renewal, mostly over by then) and the stalled check
    // (every 1 s; a job is taken back the second time it is found without a lock). That is 3 to 4 s
    // at most; with BullMQ's defaults (30 s and 30 s) it would not happen within the limit.
    await waitUntil("the dead worker's jobs to be taken back", 12_000, async () => {
      const jobs = await Promise.all(held.map((id) => queue.getJob(id)));
      return jobs.every((job) => (job?.stalledCounter ?? 0) >= 1);
    });
  } finally {
    await queue.close();
  }
  await expectAllSynced(running, users);
  const stalled = running.logs.filter((line) => line.msg === "worker error");
  expect(stalled).toEqual([]);
});

/** Polls an async check every 50 ms until it holds; fails naming `what` after `timeoutMs`. */
async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} took over ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
