// Waits for jobs put back on the queue (`surecloud-sync retry --wait`) to finish, and says how each
// ended: applied (what changed), skipped (why), failed again (reason and message), superseded by a
// newer change meanwhile, or still unfinished when the wait ran out.

import { classifyFailure } from "../../worker/queue/failureReason.js";
import { summariseOutcome, syncOutcomeSchema } from "../../worker/sync/outcome.js";
import type { QueueHandle } from "./connectQueue.js";
import { listSupersededJobs } from "./supersededList.js";

export const finalOutcomes = ["applied", "skipped", "failed", "superseded", "unfinished", "gone"] as const;

export interface JobOutcomeView {
  jobId: string;
  outcome: (typeof finalOutcomes)[number];
  /** The skip or failure reason; the state of an unfinished job. */
  reason: string | null;
  /** For people: what was applied, why it was skipped, `<reason>: <message>` of a failure, ... */
  detail: string;
}

export interface AwaitOptions {
  timeoutMs: number;
  /** Between two looks at the jobs still running. Default 250 ms. */
  pollMs?: number;
}

/** The outcome of every job, in the order given, once each has finished or the time is up. */
export async function awaitOutcomes(
  handle: QueueHandle,
  jobIds: string[],
  options: AwaitOptions,
): Promise<JobOutcomeView[]> {
  const deadline = Date.now() + options.timeoutMs;
  const done = new Map<string, JobOutcomeView>();
  for (;;) {
    const pending = jobIds.filter((id) => !done.has(id));
    const states = await Promise.all(pending.map((id) => handle.queue.getJobState(id)));
    for (const [index, id] of pending.entries()) {
      const state = states[index] ?? "unknown";
      if (state === "completed" || state === "failed" || state === "unknown") {
        done.set(id, await finished(handle, id, state));
      } else if (Date.now() >= deadline) {
        done.set(id, {
          jobId: id,
          outcome: "unfinished",
          reason: state,
          detail: `still ${state} when the wait ended`,
        });
      }
    }
    if (done.size === jobIds.length) return jobIds.map((id) => done.get(id) as JobOutcomeView);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}

async function finished(handle: QueueHandle, jobId: string, state: string): Promise<JobOutcomeView> {
  // Read after the state, so a finished job's result is there.
  const job = state === "unknown" ? undefined : await handle.queue.getJob(jobId);
  if (job && state === "completed") {
    const outcome = syncOutcomeSchema.safeParse(job.returnvalue);
    if (!outcome.success) return { jobId, outcome: "applied", reason: null, detail: "completed" };
    const summary = summariseOutcome(outcome.data);
    return outcome.data.outcome === "skipped"
      ? { jobId, outcome: "skipped", reason: outcome.data.reason, detail: outcome.data.reason }
      : { jobId, outcome: "applied", reason: null, detail: summary.replace(/^applied: /, "") };
  }
  if (job && state === "failed") {
    const { reason, message } = classifyFailure(job.failedReason);
    return { jobId, outcome: "failed", reason, detail: `${reason}: ${message}` };
  }
  // Gone from the queue: failed again and superseded at once by a newer change, or removed.
  const superseded = await listSupersededJobs(handle.redis, handle.queue.name, { limit: 10_000 });
  const record = superseded.jobs.find((entry) => entry.jobId === jobId);
  return record
    ? {
        jobId,
        outcome: "superseded",
        reason: record.reason,
        detail: `failed again (${record.reason}), then superseded by job ${record.supersededBy.jobId}`,
      }
    : { jobId, outcome: "gone", reason: null, detail: "no longer in the queue (removed)" };
}
