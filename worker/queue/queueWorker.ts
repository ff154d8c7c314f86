// The BullMQ side of the worker: takes jobs, runs the sync, and turns the result into BullMQ's
// terms — a return value, a retry (RetryableError), a failure kept for an operator (PermanentError),
// or a short delay when another job holds the user. Tenant admission, retry timing and the
// hand-back at shutdown each have their own file beside this one.

import { setTimeout as sleep } from "node:timers/promises";
import { DelayedError, type Job, UnrecoverableError, Worker, type WorkerOptions } from "bullmq";
import { PermanentError, RetryableError } from "../../shared/errors.js";
import type { Logger } from "../../shared/logger.js";
import { isRedisConnectionError, type RedisClient } from "../../shared/redisConnection.js";
import { workerDefaults } from "../defaults.js";
import type { WorkerMetrics } from "../metrics.js";
import type { SyncOutcome } from "../sync/outcome.js";
import { summariseOutcome } from "../sync/outcome.js";
import { tenantLabel } from "../sync/route.js";
import { parseJob, type SyncDeps, syncUser } from "../sync/syncUser.js";
import { eventIdOf, handBack, type InFlight } from "./handBack.js";
import { retryBackoff } from "./retryBackoff.js";
import { makeSupersede } from "./supersede.js";
import { makeTenantAdmission } from "./tenantAdmission.js";

export interface QueueWorkerOptions {
  queueName: string;
  connection: RedisClient;
  /** BullMQ's key prefix (`queuePrefix` in shared/redisSettings.ts): `{bull}` on a cluster. Default `bull`. */
  prefix?: string;
  concurrency: number;
  deps: SyncDeps;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Delay before a job whose user is busy is tried again. Default 150 ms plus jitter. */
  lockedRetryMs?: number;
  /** BullMQ job lock lifetime; a dead worker's jobs are taken again after it. Default 30000. */
  lockDurationMs?: number;
  /** How often BullMQ looks for jobs whose worker died. Default 30000. */
  stalledIntervalMs?: number;
  /** Deaths of its worker a job survives; one more fails it. Default 2. */
  maxStalledCount?: number;
  /** Overrides the backoff base delay the job carries. Default: the job's. */
  retryBaseDelayMs?: number;
  /** Most jobs of one tenant run at once here. Default concurrency − 1 (at least 1), or concurrency with one tenant. */
  tenantConcurrency?: number;
}

export interface QueueWorker {
  worker: Worker;
  /**
   * Puts every job this process is still running back in the queue, to be taken by any worker in
   * `delayMs`; the caller must stop the process right after. Returns how many were handed back.
   */
  handBack(delayMs: number): Promise<number>;
}

/** After a Redis outage BullMQ waits this long before fetching again (its default is 15 s). */
const RUN_RETRY_DELAY_MS = 1_000;

export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { logger, metrics } = options;
  const lockedRetryMs = options.lockedRetryMs ?? workerDefaults.LOCKED_RETRY_MS;
  const inFlight: InFlight = new Map();
  // With one tenant there is no other tenant to keep a slot free for; read at each job, since a
  // reload of the tenants file can add or remove tenants.
  const sharedSlots = () =>
    Math.max(1, options.deps.tenants.tenants.length > 1 ? options.concurrency - 1 : options.concurrency);
  const supersede = makeSupersede({ ...options, metrics, logger });
  const admission = makeTenantAdmission(options.tenantConcurrency ?? sharedSlots, lockedRetryMs);
  /** Back to the queue until `at` (plus jitter, so put-back jobs do not return together); no attempt used. */
  const putBack = async (job: Job, token: string | undefined, at: number): Promise<never> => {
    await job.moveToDelayed(at + Math.floor(Math.random() * lockedRetryMs), token);
    throw new DelayedError();
  };

  const processor = async (job: Job, token?: string): Promise<SyncOutcome> => {
    const started = Date.now();
    const tenant = tenantOf(job);
    let heldUntil = admission.enter(tenant, started);
    if (heldUntil !== undefined && !admission.isPaused(tenant, started)) {
      // The tenant's slots are full: wait a moment for one rather than put the job straight back,
      // which would have this slot fetch and return jobs in a tight loop.
      await sleep(lockedRetryMs);
      heldUntil = admission.enter(tenant, Date.now());
    }
    if (heldUntil !== undefined) return putBack(job, token, heldUntil);
    const key = job.id ?? job.name;
    inFlight.set(key, { job, token });
    try {
      const data = parseJob(job.data);
      metrics.queueLag.observe({ tenant }, (started - job.timestamp) / 1000);
      // BullMQ counts every start, a stalled job's included: more than one means it ran before.
      const result = await syncUser(data, options.deps, key, { firstRun: job.attemptsStarted <= 1 });
      if (result.outcome === "locked") return await putBack(job, token, Date.now() + lockedRetryMs);
      recordOutcome(result, job, Date.now() - started);
      await supersede.finished(job, result);
      return result;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (error instanceof RetryableError && error.retryAfterMs) {
        admission.pause(tenant, Date.now() + error.retryAfterMs);
      }
      throw classify(error, job);
    } finally {
      inFlight.delete(key);
      admission.leave(tenant);
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
      // Role names come from the customer's Entra app: a bounded set, cut short as a label.
      for (const role of outcome.roles?.unknownRoles ?? [])
        metrics.unknownRoles.inc({ tenant, role: role.slice(0, 64) });
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
    const reason = retryable ? "transient" : "unexpected";
    const attempt = job.attemptsMade + 1;
    // The last attempt's failure is final: BullMQ keeps the job in the failed list, and the
    // metrics and log say so, so alerts on failed jobs see a job whose retries ran out.
    const final = attempt >= (job.opts.attempts ?? 1);
    metrics.jobs.inc({ tenant: tenantOf(job), outcome: final ? "failed" : "retried", reason });
    logger.warn(
      { jobId: job.id, eventId: eventIdOf(job), attempt, err: error },
      final ? `${reason} failure: retries exhausted, job failed` : `${reason} failure: will retry`,
    );
    return error instanceof Error ? error : new Error(String(error));
  }

  const tenantOf = (job: Job): string => tenantLabel(options.deps.tenants, job.data);

  const worker = new Worker(options.queueName, processor, workerOptions(options));
  worker.on("error", (error) => {
    // Redis being away is told by the connection's own listener (worker/redisClient.ts), once every
    // few seconds and without a stack; here it would be a line with a stack for every attempt.
    if (isRedisConnectionError(error)) return;
    logger.error({ err: error }, "worker error");
  });
  // Only a job that failed for good has finishedOn; a failed attempt before a retry has not.
  worker.on("failed", (job) => {
    if (job?.finishedOn !== undefined) void supersede.failed(job, tenantOf(job));
  });
  worker.on("closed", () => void supersede.close());
  return { worker, handBack: (delayMs) => handBack(inFlight, delayMs, logger) };
}

function workerOptions(options: QueueWorkerOptions): WorkerOptions {
  return {
    connection: options.connection,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    concurrency: options.concurrency,
    autorun: true,
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { count: 100_000 },
    lockDuration: options.lockDurationMs ?? workerDefaults.WORKER_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? workerDefaults.WORKER_STALLED_INTERVAL_MS,
    // BullMQ's default of 1 fails a job the second time its worker dies; a rolling restart during
    // an incident can do that to a healthy job.
    maxStalledCount: options.maxStalledCount ?? workerDefaults.WORKER_MAX_STALLED_COUNT,
    runRetryDelay: RUN_RETRY_DELAY_MS,
    settings: { backoffStrategy: retryBackoff(options.retryBaseDelayMs) },
  };
}
