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
  const { active } = await queue.getJobCounts("active");
  await queue.close();
  expect(active).toBeGreaterThan(0);

  const restarted = Date.now();
  await running.startWorker();
  await expectAllSynced(running, users);
  // The dead worker's jobs came back after its locks lapsed (2 s), not after BullMQ's default 30 s.
  expect(Date.now() - restarted).toBeLessThan(15_000);
  const stalled = running.logs.filter((line) => line.msg === "worker error");
  expect(stalled).toEqual([]);
});
