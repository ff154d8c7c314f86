// What `surecloud-sync status` adds to the queue's numbers (queueStatus.ts): completed jobs by
// outcome (applied, and skipped by reason, so an `unknown-connection` skip is not a success), the
// same numbers for one tenant only (`--tenant`), and the queues whose waiting jobs no worker takes.
import type { TenantsFile } from "../../shared/tenants.js";
import { tenantForConnection } from "../../shared/tenants.js";
import { classifyFailure, type FailureReason, failureReasons } from "../../worker/queue/failureReason.js";
import { findUnconsumedQueues, type UnconsumedQueue } from "../../worker/queue/unconsumedQueues.js";
import { type SkipReason, skipReasons } from "../../worker/sync/outcome.js";
import type { QueueHandle } from "./connectQueue.js";
import { eachJobFields, type JobFields, type StateKey } from "./jobFields.js";
import { type FinishedCounts, getQueueStatus, type QueueState, type QueueStatus } from "./queueStatus.js";

export interface OutcomeCounts {
  applied: number;
  skipped: Record<SkipReason, number>;
}

export interface StatusReport extends QueueStatus {
  /** The tenant the numbers are limited to; null for the whole queue. */
  tenant: string | null;
  /** The completed jobs still kept, by outcome. */
  completedByOutcome: OutcomeCounts;
  /** Queues under the same BullMQ prefix (this one included) with waiting jobs and no worker. */
  unconsumedQueues: UnconsumedQueue[];
}

export interface StatusReportOptions {
  /** A tenant id (matched through the tenants file, or a completed job's outcome) or a connection name. */
  tenant?: string;
  tenants?: TenantsFile;
  now?: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export async function getStatusReport(
  handle: QueueHandle,
  options: StatusReportOptions = {},
): Promise<StatusReport> {
  const { tenant, tenants } = options;
  const now = options.now ?? Date.now();
  if (
    tenant &&
    tenants &&
    !tenants.tenants.some((entry) => entry.id === tenant || entry.connections.includes(tenant))
  ) {
    throw new Error(`tenant "${tenant}" is neither a tenant id nor a connection in the tenants file`);
  }
  const prefix = handle.queue.opts.prefix;
  const [base, unconsumedQueues] = await Promise.all([
    getQueueStatus(handle),
    findUnconsumedQueues(handle.redis, { prefix }),
  ]);
  if (!tenant)
    return { ...base, tenant: null, completedByOutcome: await countOutcomes(handle), unconsumedQueues };
  const scoped = await tallyTenant(handle, (job) => belongsTo(job, tenant, tenants), now);
  if (base.paused) {
    scoped.counts.paused = scoped.counts.waiting;
    scoped.counts.waiting = 0;
  }
  return { ...base, ...scoped, tenant, unconsumedQueues };
}

async function countOutcomes(handle: QueueHandle, match: (job: JobFields) => boolean = () => true) {
  const counts = emptyOutcomes();
  for await (const job of eachJobFields(handle, "completed")) if (match(job)) addOutcome(counts, job);
  return counts;
}

/** The queue's numbers counted over one tenant's jobs, read state by state. */
async function tallyTenant(handle: QueueHandle, match: (job: JobFields) => boolean, now: number) {
  const counts: Record<QueueState, number> = {
    waiting: 0,
    active: 0,
    delayed: 0,
    completed: 0,
    failed: 0,
    paused: 0,
  };
  const window = () => ({ completed: 0, failed: 0 });
  const finished: { lastMinute: FinishedCounts; lastHour: FinishedCounts } = {
    lastMinute: window(),
    lastHour: window(),
  };
  const failedByReason = Object.fromEntries(failureReasons.map((reason) => [reason, 0])) as Record<
    FailureReason,
    number
  >;
  const completedByOutcome = emptyOutcomes();
  const states: Array<[StateKey, QueueState]> = [
    ["wait", "waiting"],
    ["prioritized", "waiting"],
    ["active", "active"],
    ["delayed", "delayed"],
    ["completed", "completed"],
    ["failed", "failed"],
  ];
  for (const [key, state] of states) {
    for await (const job of eachJobFields(handle, key)) {
      if (!match(job)) continue;
      counts[state] += 1;
      if (state !== "completed" && state !== "failed") continue;
      if (state === "completed") addOutcome(completedByOutcome, job);
      else failedByReason[classifyFailure(job.failedReason).reason] += 1;
      const at = job.finishedOn ?? 0;
      if (at >= now - HOUR_MS) finished.lastHour[state] += 1;
      if (at >= now - MINUTE_MS) finished.lastMinute[state] += 1;
    }
  }
  return { counts, finished, failedByReason, completedByOutcome };
}

function belongsTo(job: JobFields, tenant: string, tenants: TenantsFile | undefined): boolean {
  const connection = (job.data as { connection?: unknown } | undefined)?.connection;
  if (connection === tenant) return true;
  if (typeof connection === "string" && tenants && tenantForConnection(tenants, connection)?.id === tenant) {
    return true;
  }
  // Without a tenants file a completed job still names its tenant in its outcome.
  return (job.returnvalue as { tenantId?: unknown } | undefined)?.tenantId === tenant;
}

function emptyOutcomes(): OutcomeCounts {
  return {
    applied: 0,
    skipped: Object.fromEntries(skipReasons.map((reason) => [reason, 0])) as Record<SkipReason, number>,
  };
}

function addOutcome(counts: OutcomeCounts, job: JobFields): void {
  const outcome = job.returnvalue as { outcome?: unknown; reason?: unknown } | undefined;
  if (outcome?.outcome === "applied") counts.applied += 1;
  else if (outcome?.outcome === "skipped" && (skipReasons as readonly unknown[]).includes(outcome.reason)) {
    counts.skipped[outcome.reason as SkipReason] += 1;
  }
}
