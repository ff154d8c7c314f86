// Lists failed jobs for `surecloud-sync failed`: newest failure first, filtered by reason and tenant.
import type { Queue } from "bullmq";
import type { TenantsFile } from "../../shared/tenants.js";
import {
  eachFailedJob,
  type FailedJobFilter,
  type FailedJobView,
  matchesFilter,
  viewFailedJob,
} from "./failedJob.js";

export interface ListFailedJobsOptions extends FailedJobFilter {
  /** Most jobs to return. Default 50. */
  limit?: number;
  tenants?: TenantsFile;
}

export interface FailedJobList {
  jobs: FailedJobView[];
  /** Failed jobs that matched the filter, the listed ones included. */
  matched: number;
}

export async function listFailedJobs(
  queue: Queue,
  options: ListFailedJobsOptions = {},
): Promise<FailedJobList> {
  const limit = options.limit ?? 50;
  const jobs: FailedJobView[] = [];
  let matched = 0;
  // Read on past the limit so the operator learns how many more there are.
  for await (const job of eachFailedJob(queue)) {
    const view = viewFailedJob(job, options.tenants);
    if (!matchesFilter(view, options)) continue;
    matched += 1;
    if (jobs.length < limit) jobs.push(view);
  }
  return { jobs, matched };
}
