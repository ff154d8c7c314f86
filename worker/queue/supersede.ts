// Superseded failures: when a change is applied for a user, that user's older failed jobs stop being
// live problems (a retry would end `skipped: stale`). They leave BullMQ's failed list, and with it
// `surecloud-sync failed`, `status` and the failed-jobs gauge, and are kept for inspection
// (supersededJobs.ts). A newer failure is never superseded by an older change applied after it.
// Best effort: nothing here ever fails a job; a job it cannot move simply stays failed.
import { Job, Queue } from "bullmq";
import type { Logger } from "../../shared/logger.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import type { WorkerMetrics } from "../metrics.js";
import type { SyncOutcome } from "../sync/outcome.js";
import { type AppliedChangeRef, type ChangePosition, makeFailedIndex } from "./failedIndex.js";
import { classifyFailure } from "./failureReason.js";
import { storeSupersededJob } from "./supersededJobs.js";

export interface Supersede {
  /** After a job failed for good: notes it under its user, or supersedes it when a newer change already applied. */
  failed(job: Job, tenantId: string): Promise<void>;
  /** After a job finished: when its outcome settles the user's version, supersedes the older failures. */
  finished(job: Job, outcome: SyncOutcome): Promise<void>;
  close(): Promise<void>;
}

export interface SupersedeOptions {
  queueName: string;
  connection: RedisClient;
  /** BullMQ's key prefix, as the worker's (`{bull}` on a cluster). Default `bull`. */
  prefix?: string;
  metrics: WorkerMetrics;
  logger: Logger;
}

/** The outcomes that record the user's version (syncUser.ts): older jobs of the user are stale after them. */
function settlesVersion(outcome: SyncOutcome): boolean {
  return outcome.outcome === "applied" || outcome.reason === "not-linked";
}

export function makeSupersede(options: SupersedeOptions): Supersede {
  const { connection: redis, queueName, metrics, logger } = options;
  const index = makeFailedIndex(redis, queueName);
  const queue = new Queue(queueName, {
    connection: redis,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  // Its connection errors are the worker's, logged there; unheard, BullMQ prints them raw.
  queue.on("error", () => undefined);

  /** Moves one failed job to the superseded list; false when it is no longer failed (retried, removed). */
  async function supersede(jobId: string, tenantId: string, by: AppliedChangeRef): Promise<boolean> {
    const job = await Job.fromId(queue, jobId);
    if (!job || (await job.getState()) !== "failed") return false;
    const fields = positionOf(job);
    const { reason, message } = classifyFailure(job.failedReason);
    // Out of the failed list first: a job that cannot be removed (an operator's retry took it) stays.
    await job.remove();
    const record = {
      jobId,
      reason,
      message,
      tenant: tenantId,
      connection: fields?.connection ?? null,
      auth0UserId: fields?.auth0UserId ?? "",
      eventId: fields?.eventId ?? null,
      eventType: fields?.eventType ?? null,
      version: fields?.version ?? null,
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      attempts: job.attemptsMade,
      supersededAt: new Date().toISOString(),
      supersededBy: { jobId: by.jobId, eventId: by.eventId, version: by.version },
    };
    metrics.superseded.inc({ tenant: tenantId, reason });
    // The log line keeps the record should Redis refuse it below.
    logger.info({ superseded: record }, `job ${jobId} (${reason}) superseded by job ${by.jobId}`);
    await storeSupersededJob(redis, queueName, record);
    return true;
  }

  const guarded = async (what: string, job: Job, body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      logger.warn(
        { jobId: job.id, err: { message: (error as Error).message } },
        `superseding: ${what} failed`,
      );
    }
  };

  return {
    failed: (job, tenantId) =>
      guarded("noting a failed job", job, async () => {
        const at = positionOf(job);
        if (!at || !job.id) return;
        const by = await index.noteFailed(tenantId, at.auth0UserId, job.id, at);
        if (by) await supersede(job.id, tenantId, by);
      }),
    finished: (job, outcome) =>
      guarded("superseding older failures", job, async () => {
        const at = positionOf(job);
        if (!settlesVersion(outcome) || !outcome.tenantId || !at || !job.id || !at.version) return;
        const by = {
          jobId: job.id,
          eventId: outcome.eventId,
          version: at.version,
          versionMs: at.versionMs,
          eventMs: at.eventMs,
        };
        const older = await index.noteApplied(outcome.tenantId, at.auth0UserId, by);
        for (const jobId of older) await supersede(jobId, outcome.tenantId, by);
      }),
    close: () => queue.close(),
  };
}

interface JobPosition extends ChangePosition {
  auth0UserId: string;
  connection: string | null;
  eventId: string | null;
  eventType: string | null;
  version: string | null;
}

/** Who and where in the user's history a job is, read leniently (a failed job's data may be broken). */
function positionOf(job: Job): JobPosition | undefined {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const user = (data.user ?? {}) as Record<string, unknown>;
  const event = (data.event ?? {}) as Record<string, unknown>;
  const auth0UserId = typeof user.userId === "string" ? user.userId : undefined;
  const version = typeof data.version === "string" ? data.version : null;
  const time = typeof event.time === "string" ? event.time : null;
  const ms = positionMs(version, time);
  if (!auth0UserId || ms === undefined) return undefined;
  return {
    auth0UserId,
    connection: typeof data.connection === "string" ? data.connection : null,
    eventId: typeof event.id === "string" ? event.id : null,
    eventType: typeof event.type === "string" ? event.type : null,
    version,
    ...ms,
  };
}

/** A change's position from its version and event time; undefined when either is not a date. */
function positionMs(version: string | null, time: string | null): ChangePosition | undefined {
  const versionMs = Date.parse(version ?? "");
  const eventMs = Date.parse(time ?? version ?? "");
  return Number.isFinite(versionMs) && Number.isFinite(eventMs) ? { versionMs, eventMs } : undefined;
}
