// Reads when BullMQ queued, started and finished each job, straight from the job hashes (one
// pipelined HMGET per poll), so waiting for thousands of jobs costs the queue almost nothing.
import { setTimeout as delay } from "node:timers/promises";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

export interface JobTimes {
  id: string;
  /** When the job was added (epoch ms). */
  timestamp: number;
  /** When a worker last took it. */
  processedOn: number;
  finishedOn: number;
  failed: boolean;
  /** The processor's return value, parsed (the worker returns a SyncOutcome). */
  returnvalue: unknown;
}

const FIELDS = ["timestamp", "processedOn", "finishedOn", "failedReason", "returnvalue"] as const;

async function readTimes(redis: Redis, queue: Queue, ids: readonly string[]): Promise<(JobTimes | null)[]> {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(queue.toKey(id), ...FIELDS);
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, reply], index) => {
    if (error) throw error;
    const [timestamp, processedOn, finishedOn, failedReason, returnvalue] = reply as (string | null)[];
    if (!finishedOn) return null;
    return {
      id: ids[index] as string,
      timestamp: Number(timestamp),
      processedOn: Number(processedOn),
      finishedOn: Number(finishedOn),
      failed: Boolean(failedReason),
      returnvalue: returnvalue ? JSON.parse(returnvalue) : undefined,
    };
  });
}

/** Jobs checked per poll: the front of the list, as the queue takes jobs roughly in order. */
const WINDOW = 200;

/**
 * Waits until every job has finished (completed or failed for good); throws after `timeoutMs`.
 * Each poll reads a window from the front of the unfinished jobs, moving on at once while the window
 * is all finished: polling every job each time would load Redis and this process (which hosts the
 * emulator) enough to skew what is measured.
 */
export async function waitForJobs(
  redis: Redis,
  queue: Queue,
  ids: readonly string[],
  timeoutMs: number,
): Promise<JobTimes[]> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, JobTimes>();
  let pending = [...ids];
  while (pending.length > 0) {
    const window = pending.slice(0, WINDOW);
    for (const times of await readTimes(redis, queue, window)) if (times) done.set(times.id, times);
    const advanced = window.every((id) => done.has(id));
    pending = pending.filter((id) => !done.has(id));
    if (pending.length === 0 || advanced) continue;
    if (Date.now() > deadline) {
      throw new Error(
        `${pending.length} of ${ids.length} jobs in ${queue.name} unfinished after ${timeoutMs} ms`,
      );
    }
    await delay(100);
  }
  return ids.map((id) => done.get(id) as JobTimes);
}

export interface Drain {
  jobs: number;
  failed: number;
  /** First job taken to last job finished. */
  seconds: number;
  jobsPerSecond: number;
}

/** Throughput over the span in which the workers were busy with these jobs. */
export function drainOf(times: readonly JobTimes[]): Drain {
  // Reduced rather than spread: Math.min(...) overflows the stack on very large runs.
  const start = times.reduce((first, job) => Math.min(first, job.processedOn), Number.POSITIVE_INFINITY);
  const end = times.reduce((last, job) => Math.max(last, job.finishedOn), 0);
  const seconds = Math.max(end - start, 1) / 1000;
  return {
    jobs: times.length,
    failed: times.filter((job) => job.failed).length,
    seconds,
    jobsPerSecond: times.length / seconds,
  };
}

/** Outcome of each job as the worker returned it (`applied`, `skipped:<reason>`, `failed`). */
export function outcomeOf(job: JobTimes): string {
  if (job.failed) return "failed";
  const value = job.returnvalue as { outcome?: string; reason?: string } | undefined;
  return value?.reason ? `${value.outcome}:${value.reason}` : (value?.outcome ?? "none");
}
