// The audit record of one change the worker made to SureCloud: who, what, and which Auth0 event
// caused it. One entry per job that wrote something; a job that wrote nothing leaves none.
import { z } from "zod";
import { groupRefSchema, userStatusSchema } from "../../contract/surecloud.js";
import type { SyncJob } from "../../shared/job.js";
import { type SyncPlan, syncPlanSchema } from "../sync/plan.js";
import type { AppliedWrites } from "./writeTracker.js";

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
  created: z.boolean(),
  /** Fields written on an existing user (`externalId` when it was linked, `status` …). */
  fields: z.array(z.string()),
  status: z.object({ from: userStatusSchema.nullable(), to: userStatusSchema }).optional(),
  added: z.array(groupRefSchema),
  removed: z.array(groupRefSchema),
  /** False when the job failed part-way: the entry lists only what was written; a retry records the rest. */
  complete: z.boolean(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** An entry as read back from the trail, with its stream id. */
export type StoredAuditEntry = AuditEntry & { id: string };

/** The entry for the writes a job made (all of the plan, or the part done before a failure). */
export function auditEntryFor(
  job: SyncJob,
  jobId: string,
  plan: SyncPlan,
  writes: AppliedWrites,
  complete: boolean,
  now: Date = new Date(),
): AuditEntry | undefined {
  const userId = writes.createdUserId ?? plan.match.sureCloudUserId;
  if (!userId || !writesAnything(writes)) return undefined;
  const statusWritten = writes.created || writes.fields.includes("status");
  return {
    time: now.toISOString(),
    tenantId: plan.tenantId,
    auth0UserId: job.user.userId,
    sureCloudUserId: userId,
    cause: {
      eventId: job.event.id,
      eventType: job.event.type,
      origin: job.origin,
      version: job.version,
      jobId,
    },
    directive: plan.directive,
    created: writes.created,
    fields: writes.fields,
    status: statusWritten ? plan.status : undefined,
    added: writes.added,
    removed: writes.removed,
    complete,
  };
}

function writesAnything(writes: AppliedWrites): boolean {
  return writes.created || writes.fields.length > 0 || writes.added.length > 0 || writes.removed.length > 0;
}

/** One line for people, e.g. `created ACTIVE; + Read Only` or `ACTIVE -> INACTIVE`. */
export function summariseEntry(entry: AuditEntry): string {
  const parts: string[] = [];
  if (entry.created) parts.push(`created ${entry.status?.to ?? ""}`.trim());
  const fields = entry.fields.filter((field) => field !== "status");
  if (fields.length) parts.push(`set ${fields.join(", ")}`);
  if (!entry.created && entry.status) parts.push(`${entry.status.from ?? "new"} -> ${entry.status.to}`);
  if (entry.added.length) parts.push(`+ ${entry.added.map((group) => group.name).join(", ")}`);
  if (entry.removed.length) parts.push(`- ${entry.removed.map((group) => group.name).join(", ")}`);
  if (!entry.complete) parts.push("(partial: the job failed part-way)");
  return parts.join("; ");
}
