// The BullMQ side of the worker: takes jobs, runs the sync, and turns the result into BullMQ's
// terms — a return value, a retry (RetryableError), a failure kept for an operator (PermanentError),
// or a short delay when another job holds the user.
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { PermanentError, RetryableError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import { tenantForConnection } from "../shared/tenants.js";
import type { WorkerMetrics } from "./metrics.js";
import type { SyncOutcome } from "./sync/outcome.js";
import { summariseOutcome } from "./sync/outcome.js";
import { parseJob, type SyncDeps, syncUser } from "./sync/syncUser.js";

export interface QueueWorkerOptions {
  queueName: string;
  connection: Redis;
  concurrency: number;
  deps: SyncDeps;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Delay before a job whose user is busy is tried again. Default 150 ms plus jitter. */
  lockedRetryMs?: number;
}

export function startQueueWorker(options: QueueWorkerOptions): Worker {
  const { logger, metrics } = options;
  const lockedRetryMs = options.lockedRetryMs ?? 150;

  const processor = async (job: Job, token?: string): Promise<SyncOutcome> => {
    const started = Date.now();
    try {
      const data = parseJob(job.data);
      metrics.queueLag.observe({ tenant: tenantOf(job) }, (started - job.timestamp) / 1000);
      const result = await syncUser(data, options.deps, job.id ?? job.name);
      if (result.outcome === "locked") {
        await job.moveToDelayed(
          Date.now() + lockedRetryMs + Math.floor(Math.random() * lockedRetryMs),
          token,
        );
        throw new DelayedError();
      }
      recordOutcome(result, job, Date.now() - started);
      return result;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      throw classify(error, job);
    }
  };

  function recordOutcome(outcome: SyncOutcome, job: Job, durationMs: number): void {
    const tenant = outcome.tenantId ?? "none";
    const reason = outcome.outcome === "skipped" ? outcome.reason : "";
    metrics.jobs.inc({ tenant, outcome: outcome.outcome, reason });
    metrics.jobDuration.observe({ tenant }, durationMs / 1000);
    if (outcome.outcome === "applied") {
      metrics.memberships.inc({ tenant, change: "added" }, outcome.added.length);
      metrics.memberships.inc({ tenant, change: "removed" }, outcome.removed.length);
    }
    logger.info({ jobId: job.id, durationMs, ...outcome }, summariseOutcome(outcome));
  }

  function classify(error: unknown, job: Job): Error {
    if (error instanceof PermanentError) {
      metrics.jobs.inc({ tenant: tenantOf(job), outcome: "failed", reason: error.reason });
      logger.warn({ jobId: job.id, eventId: eventIdOf(job), reason: error.reason }, error.message);
      return new UnrecoverableError(`${error.reason}: ${error.message}`);
    }
    const retryable = error instanceof RetryableError;
    metrics.jobs.inc({
      tenant: tenantOf(job),
      outcome: "retried",
      reason: retryable ? "transient" : "unexpected",
    });
    logger.warn(
      { jobId: job.id, eventId: eventIdOf(job), attempt: job.attemptsMade + 1, err: error },
      retryable ? "transient failure: will retry" : "unexpected failure: will retry",
    );
    return error instanceof Error ? error : new Error(String(error));
  }

  function tenantOf(job: Job): string {
    const connection = (job.data as { connection?: unknown })?.connection;
    if (typeof connection !== "string") return "unknown";
    return tenantForConnection(options.deps.tenants, connection)?.id ?? "none";
  }

  const worker = new Worker(options.queueName, processor, {
    connection: options.connection,
    concurrency: options.concurrency,
    autorun: true,
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { count: 100_000 },
  });
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  return worker;
}

function eventIdOf(job: Job): string | undefined {
  const event = (job.data as { event?: { id?: unknown } })?.event;
  return typeof event?.id === "string" ? event.id : undefined;
}
