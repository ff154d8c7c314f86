// The seam between the sync and whoever records its writes: the sync reports each job's applied
// change here and never imports the audit trail (worker/audit/ implements this).
import type { SyncJob } from "../../shared/job.js";
import type { AppliedChange } from "./change.js";
import type { SyncPlan } from "./plan.js";

/** One job's writes, as the sync hands them to whoever records changes (the audit trail). */
export interface RecordedChange {
  job: SyncJob;
  /** The BullMQ job id that made the writes. */
  jobId: string;
  plan: SyncPlan;
  /** The SureCloud user written to; undefined only when a create failed. */
  sureCloudUserId: string | undefined;
  change: AppliedChange;
  /** False when the job failed part-way: `change` lists only what was written; a retry records the rest. */
  complete: boolean;
}

/** Where the sync reports each job's writes; the worker passes its audit trail (worker/audit/). */
export interface ChangeRecorder {
  /** Never throws: a record that cannot be written must not undo a sync. */
  record(recorded: RecordedChange): Promise<void>;
}
