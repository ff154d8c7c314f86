// Puts failed jobs back on the queue for `surecloud-sync retry`. A retried job runs under the normal
// sync rules: if a newer change for the user was applied meanwhile, it ends `skipped: stale`.
import type { Job, Queue } from "bullmq";
import type { TenantsFile } from "../../shared/tenants.js";
import { eachFailedJob, type FailedJobFilter, matchesFilter, viewFailedJob } from "./failedJob.js";

export interface RetryReport {
  /** Failed jobs that matched. */
  matched: number;
  /** Jobs moved back to waiting. */
  retried: string[];
  /** Jobs that could not be moved (e.g. another operator retried them first), with why. */
  errors: Array<{ jobId: string; message: string }>;
}

/** Throws, naming the job, when it does not exist or has not failed. */
export async function retryFailedJob(queue: Queue, jobId: string): Promise<RetryReport> {
  const job = await queue.getJob(jobId);
  if (!job) throw new Error(`job "${jobId}" not found in queue "${queue.name}"`);
  const state = await job.getState();
  if (state !== "failed")
    throw new Error(`job "${jobId}" is ${state}, not failed: only failed jobs are retried`);
  await retry(job);
  return { matched: 1, retried: [jobId], errors: [] };
}

export interface RetryMatchingOptions extends FailedJobFilter {
  tenants?: TenantsFile;
}

/** Retries every failed job the filter matches; an empty filter retries them all. */
export async function retryFailedJobs(queue: Queue, options: RetryMatchingOptions): Promise<RetryReport> {
  // Collect first: each retry takes a job out of the failed set we are paging through.
  const matching: Job[] = [];
  for await (const job of eachFailedJob(queue)) {
    if (matchesFilter(viewFailedJob(job, options.tenants), options)) matching.push(job);
  }
  const report: RetryReport = { matched: matching.length, retried: [], errors: [] };
  for (const job of matching) {
    try {
      await retry(job);
      report.retried.push(job.id ?? "");
    } catch (error) {
      report.errors.push({ jobId: job.id ?? "", message: (error as Error).message });
    }
  }
  return report;
}

function retry(job: Job): Promise<void> {
  // A fresh attempt count gives a job that ran out of retries during an outage its full backoff again.
  return job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
}
