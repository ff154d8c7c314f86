// The seam between the sync and whoever records its writes (worker/audit/ implements it): the sync
// never imports the audit trail. Every write SureCloud acknowledges must be recorded exactly once,
// whenever the worker dies, so a job states its intent before its first write and settles it with
// the record of what it wrote. An intent still open when the next job for the user starts means a
// worker died in between: that job reads SureCloud and records what the dead one did (recover.ts).
import { z } from "zod";
import { syncJobSchema } from "../../shared/job.js";
import type { AppliedChange } from "./change.js";
import { syncPlanSchema } from "./plan.js";

/** What a job is about to write, stated before its first write. */
export const changeIntentSchema = z.object({
  job: syncJobSchema,
  /** The BullMQ job id that makes the writes. */
  jobId: z.string(),
  plan: syncPlanSchema,
  /** When the intent was stated (ISO 8601): a user created by the job is no older. */
  at: z.string(),
});
export type ChangeIntent = z.infer<typeof changeIntentSchema>;

/** One job's writes, as the sync hands them to whoever records changes. */
export interface RecordedChange extends Omit<ChangeIntent, "at"> {
  /** The SureCloud user written to; undefined only when a create failed. */
  sureCloudUserId: string | undefined;
  change: AppliedChange;
  /** False when the job failed part-way: `change` lists only what was written; a retry records the rest. */
  complete: boolean;
  /** Read back from SureCloud after the job's worker died between its writes and their record. */
  recovered?: boolean;
}

export interface ChangeRecorder {
  /** States the intent. Throws when it cannot be kept: then no write may be made. */
  intend(intent: ChangeIntent): Promise<void>;
  /** The intent a job left unsettled for this user, if any. */
  pending(tenantId: string, auth0UserId: string): Promise<ChangeIntent | undefined>;
  /** Records the writes (none is fine) and settles the intent, together. Never throws. */
  record(recorded: RecordedChange): Promise<void>;
}
