// The numbers behind `surecloud-sync status`: jobs in each state, jobs finished in the last minute
// and hour, and the failed jobs by reason.
import type { Queue } from "bullmq";
import { listWorkers, type WorkerPresence } from "../../worker/workerPresence.js";
import type { QueueHandle } from "./connectQueue.js";
import { classifyFailure, eachFailedJob, type FailureReason, failureReasons } from "./failedJob.js";

export const queueStates = ["waiting", "active", "delayed", "completed", "failed", "paused"] as const;
export type QueueState = (typeof queueStates)[number];

export interface FinishedCounts {
  completed: number;
  failed: number;
}

export interface QueueStatus {
  queue: string;
  /** True when the queue is paused: workers take no new jobs. */
  paused: boolean;
  /** Jobs in each state; `paused` holds the jobs waiting while the queue is paused. */
  counts: Record<QueueState, number>;
  /**
   * Jobs that finished in the window, by their finish time. Failed counts only jobs that failed for
   * good and are still failed; a retried job leaves the count.
   */
  finished: { lastMinute: FinishedCounts; lastHour: FinishedCounts };
  /** Failed jobs by reason, every reason listed. */
  failedByReason: Record<FailureReason, number>;
  /** The worker processes that reported for this queue, each with its tenants file's fingerprint. */
  workers: WorkerPresence[];
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export async function getQueueStatus(handle: QueueHandle, now = Date.now()): Promise<QueueStatus> {
  const { queue } = handle;
  const [counts, paused, lastMinute, lastHour, failedByReason] = await Promise.all([
    queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed"),
    queue.isPaused(),
    finishedSince(handle, now - MINUTE_MS),
    finishedSince(handle, now - HOUR_MS),
    countFailedByReason(queue),
  ]);
  // Prioritized jobs are waiting too, just in order of priority.
  const ready = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  return {
    queue: queue.name,
    paused,
    counts: {
      // BullMQ 6 leaves the jobs of a paused queue in `waiting`: show them as held, not as about to run.
      waiting: paused ? 0 : ready,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      paused: paused ? ready : 0,
    },
    finished: { lastMinute, lastHour },
    failedByReason,
    workers: await listWorkers(handle.redis, queue.name),
  };
}

/**
 * BullMQ keeps finished jobs in sorted sets scored by their finish time, so a window is one ZCOUNT.
 * It counts the jobs still kept: the worker keeps up to 10,000 completed jobs.
 */
async function finishedSince({ queue, redis }: QueueHandle, since: number): Promise<FinishedCounts> {
  const [completed, failed] = await Promise.all([
    redis.zcount(queue.toKey("completed"), since, "+inf"),
    redis.zcount(queue.toKey("failed"), since, "+inf"),
  ]);
  return { completed, failed };
}

async function countFailedByReason(queue: Queue): Promise<Record<FailureReason, number>> {
  const counts = Object.fromEntries(failureReasons.map((reason) => [reason, 0])) as Record<
    FailureReason,
    number
  >;
  for await (const job of eachFailedJob(queue)) counts[classifyFailure(job.failedReason).reason] += 1;
  return counts;
}
