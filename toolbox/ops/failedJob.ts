// One failed sync job as an operator sees it: why it failed (worker/queue/failureReason.ts), whose
// change it was, which tenant.
import type { Job, Queue } from "bullmq";
import { z } from "zod";
import { type TenantsFile, tenantForConnection } from "../../shared/tenants.js";
import { classifyFailure, type FailureReason } from "../../worker/queue/failureReason.js";

export {
  classifyFailure,
  type FailureReason,
  failureReasons,
  isFailureReason,
} from "../../worker/queue/failureReason.js";

export interface FailedJobView {
  jobId: string;
  reason: FailureReason;
  /** The failure message without its `<reason>: ` prefix. */
  message: string;
  /** The tenant id from the tenants file; without one, the connection name. */
  tenant: string | null;
  connection: string | null;
  auth0UserId: string | null;
  eventId: string | null;
  eventType: string | null;
  /** ISO 8601 time of the last failure. */
  failedAt: string | null;
  /** Attempts made, the failed one included. */
  attempts: number;
}

/** Which failed jobs an operator means; an absent field matches every job. */
export interface FailedJobFilter {
  reason?: FailureReason;
  /** A tenant id, or a connection name. */
  tenant?: string;
}

// Lenient on purpose: an `invalid-job` failure is exactly a job whose data broke the schema.
const jobFieldsSchema = z.object({
  connection: z.string().optional().catch(undefined),
  event: z
    .object({ id: z.string().optional().catch(undefined), type: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
  user: z
    .object({ userId: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

export function viewFailedJob(job: Job, tenants?: TenantsFile): FailedJobView {
  const parsed = jobFieldsSchema.safeParse(job.data);
  const fields = parsed.success ? parsed.data : {};
  const connection = fields.connection ?? null;
  const tenant =
    connection === null
      ? null
      : tenants
        ? (tenantForConnection(tenants, connection)?.id ?? null)
        : connection;
  return {
    jobId: job.id ?? "",
    ...classifyFailure(job.failedReason),
    tenant,
    connection,
    auth0UserId: fields.user?.userId ?? null,
    eventId: fields.event?.id ?? null,
    eventType: fields.event?.type ?? null,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    attempts: job.attemptsMade,
  };
}

export function matchesFilter(view: FailedJobView, filter: FailedJobFilter): boolean {
  if (filter.reason && view.reason !== filter.reason) return false;
  if (filter.tenant && view.tenant !== filter.tenant && view.connection !== filter.tenant) return false;
  return true;
}

/** Every failed job, newest failure first, read a page at a time. */
export async function* eachFailedJob(queue: Queue, pageSize = 500): AsyncGenerator<Job> {
  // A job failing while we page shifts the list by one; the set keeps us from showing it twice.
  const seen = new Set<string>();
  for (let start = 0; ; start += pageSize) {
    const page = await queue.getFailed(start, start + pageSize - 1);
    for (const job of page) {
      // getFailed can hand back an empty slot for a job removed while we read.
      if (!job?.id || seen.has(job.id)) continue;
      seen.add(job.id);
      yield job;
    }
    if (page.length < pageSize) return;
  }
}
