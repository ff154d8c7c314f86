// How one sync job ended, read from BullMQ: waiting for it (the smoke test's --wait, the local
// stack) and saying it in words an operator acts on: applied and what changed, skipped and why,
// failed and why, or still retrying after a transient error.
import type { Queue } from "bullmq";
import { type SkipReason, type SyncOutcome, summariseOutcome } from "../../worker/sync/outcome.js";
import { classifyFailure } from "../ops/failedJob.js";

export interface JobResult {
  /** BullMQ's state: completed, failed, or (while retrying) delayed. */
  state: string;
  /** A completed job's outcome. */
  outcome?: SyncOutcome;
  /** A failed job's reason; a delayed one's last error. */
  failedReason?: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Also stop when an attempt failed and the job waits for its next try. Default false. */
  untilRetrying?: boolean;
}

/** The job's result once it completed or failed for good; undefined when the time ran out. */
export async function waitForJob(
  queue: Queue,
  jobId: string,
  options: WaitOptions,
): Promise<JobResult | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const state = await queue.getJobState(jobId);
    const settled =
      state === "completed" || state === "failed" || (options.untilRetrying && state === "delayed");
    // Read after the state: a job read first may have finished in between, without its result.
    const job = settled ? await queue.getJob(jobId) : undefined;
    if (job && state === "completed") return { state, outcome: job.returnvalue as SyncOutcome };
    if (job && state === "failed") return { state, failedReason: job.failedReason };
    // A job put back for a busy user has no error: only a failed attempt counts as retrying.
    if (job && state === "delayed" && job.failedReason) return { state, failedReason: job.failedReason };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}

const skipWhy: Record<SkipReason, string> = {
  "unknown-connection":
    "no tenant in the worker's tenants file lists the user's connection; SureCloud was not called",
  stale: "a newer change for this user was already applied",
  duplicate: "this event was already applied",
  "not-linked": "a deleted Auth0 user with no linked SureCloud account: nothing to deactivate",
};

/** One line: `applied: created ACTIVE; + Read Only`, `skipped: stale (…)`, `failed: unknown-group: …`. */
export function describeResult(result: JobResult): string {
  if (result.state === "completed") {
    const outcome = result.outcome;
    if (!outcome) return "completed (no outcome recorded)";
    const line = summariseOutcome(outcome);
    return outcome.outcome === "skipped" ? `${line} (${skipWhy[outcome.reason]})` : line;
  }
  const { reason, message } = classifyFailure(result.failedReason);
  if (result.state === "failed") return `failed: ${reason}: ${message}`;
  return `retrying: ${message} (a transient error; the worker tries again with backoff)`;
}

/** True when the job ended applied (or skipped as a duplicate of an applied one). */
export function succeeded(result: JobResult): boolean {
  return result.state === "completed" && result.outcome?.outcome === "applied";
}
