// The baseline: what BullMQ alone does on this Redis with a processor that does nothing, at the same
// concurrency, in this process. The pipeline's throughput is read against it.
import { randomUUID } from "node:crypto";
import { type JobsOptions, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { REDIS_URL } from "../dev/localStack.js";
import { eventToJob } from "../shared/eventToJob.js";
import { jobIdFor, type SyncJob } from "../shared/job.js";
import { withCleanup } from "./cleanup.js";
import { type Drain, drainOf, waitForJobs } from "./jobTimes.js";
import { benchEvent, makeBenchUsers, twoGroups } from "./users.js";

/** Jobs as the Action builds them: the same data and options the pipeline's jobs carry. */
export function realisticJobs(
  count: number,
  label: string,
): Array<{ name: string; data: SyncJob; id: string }> {
  const time = new Date();
  return makeBenchUsers(count, label).map((user) => {
    const mapping = eventToJob(benchEvent(user, { type: "user.created", groupIds: twoGroups, time }));
    if (mapping.kind !== "job") throw new Error(`bench event rejected: ${mapping.reason}`);
    return { name: mapping.job.event.type, data: mapping.job, id: jobIdFor("event", mapping.job.event.id) };
  });
}

/** Adds jobs with addBulk in chunks, as a bulk producer would. */
export async function addInChunks(
  queue: Queue,
  jobs: ReadonlyArray<{ name: string; data: SyncJob; id: string }>,
  options: JobsOptions,
  chunk = 1_000,
): Promise<void> {
  for (let start = 0; start < jobs.length; start += chunk) {
    await queue.addBulk(
      jobs
        .slice(start, start + chunk)
        .map((job) => ({ name: job.name, data: job.data, opts: { ...options, jobId: job.id } })),
    );
  }
}

export async function runRawBaseline(
  redis: Redis,
  jobCount: number,
  concurrency: number,
  options: JobsOptions,
): Promise<Drain> {
  const queue = new Queue(`bench-raw-${randomUUID()}`, { connection: { url: REDIS_URL } });
  let worker: Worker | undefined;
  const cleanup = async () => {
    await worker?.close();
    await queue.obliterate({ force: true });
    await queue.close();
  };
  return withCleanup(cleanup, async () => {
    const jobs = realisticJobs(jobCount, "raw");
    await addInChunks(queue, jobs, options);
    worker = new Worker(queue.name, async () => ({ outcome: "noop" }), {
      connection: { url: REDIS_URL, maxRetriesPerRequest: null },
      concurrency,
      // As the sync worker keeps them, so that finishing a job costs the same.
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    });
    worker.on("error", (error) => process.stderr.write(`raw baseline worker: ${error.message}\n`));
    // The worker keeps 10,000 completed jobs (the flag's maximum), so every job's times can be read.
    return drainOf(
      await waitForJobs(
        redis,
        queue,
        jobs.map((job) => job.id),
        300_000,
      ),
    );
  });
}
