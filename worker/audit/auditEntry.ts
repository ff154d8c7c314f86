// The audit record of one change the worker made to SureCloud: who, what, and which Auth0 event
// caused it. One entry per job that wrote something; a job that wrote nothing leaves none.
// What changed is the sync's applied change (worker/sync/change.ts), said in the same words.
import { z } from "zod";
import { type AppliedChange, appliedChangeSchema, changedNothing, summariseChange } from "../sync/change.js";
import type { RecordedChange } from "../sync/changeRecorder.js";
import { syncPlanSchema } from "../sync/plan.js";

export const auditEntrySchema = z.object({
  /** When the change was made (ISO 8601). */
  time: z.string(),
  tenantId: z.string(),
  auth0UserId: z.string(),
  sureCloudUserId: z.string(),
  /** What caused the change: the Auth0 event (or resync) and the job that carried it. */
  cause: z.object({
    eventId: z.string(),
    eventType: z.string(),
    origin: z.enum(["event", "resync"]),
    /** The job's version (the user's `updated_at`). */
    version: z.string(),
    jobId: z.string(),
  }),
  /** The directive as planned: its value, whether it applied, and why. */
  directive: syncPlanSchema.shape.directive,
  ...appliedChangeSchema.shape,
  /** False when the job failed part-way: the entry lists only what was written; a retry records the rest. */
  complete: z.boolean(),
  /** Read back from SureCloud after the job's worker died between its writes and their record. */
  recovered: z.boolean().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** An entry as read back from the trail, with its stream id. */
export type StoredAuditEntry = AuditEntry & { id: string };

/** The entry for the writes a job made (all of the plan, or the part done before a failure). */
export function auditEntryFor(recorded: RecordedChange, now: Date = new Date()): AuditEntry | undefined {
  const { job, plan, sureCloudUserId, change } = recorded;
  if (!sureCloudUserId || changedNothing(change)) return undefined;
  return {
    time: now.toISOString(),
    tenantId: plan.tenantId,
    auth0UserId: job.user.userId,
    sureCloudUserId,
    cause: {
      eventId: job.event.id,
      eventType: job.event.type,
      origin: job.origin,
      version: job.version,
      jobId: recorded.jobId,
    },
    directive: plan.directive,
    ...(change satisfies AppliedChange),
    complete: recorded.complete,
    ...(recorded.recovered ? { recovered: true } : {}),
  };
}

/** One line for people, e.g. `created ACTIVE; + Read Only` or `ACTIVE -> INACTIVE`. */
export function summariseEntry(entry: AuditEntry): string {
  const summary = summariseChange(entry);
  if (entry.recovered) return `${summary}; (recovered from SureCloud: the job's worker died mid-job)`;
  return entry.complete ? summary : `${summary}; (partial: the job failed part-way)`;
}
