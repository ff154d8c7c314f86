// Lists the failed jobs a newer change superseded (worker/queue/supersededJobs.ts), newest first,
// for `surecloud-sync failed --superseded`, with the same filters as the failed list.
import type { RedisClient } from "../../shared/redisConnection.js";
import { parseSupersededJob, type SupersededJob } from "../../worker/queue/supersededJobs.js";
import { supersededJobsKey } from "../../worker/redisKeys.js";
import type { FailedJobFilter } from "./failedJob.js";

export interface SupersededList {
  jobs: SupersededJob[];
  /** Superseded jobs that matched the filter, the listed ones included. */
  matched: number;
}

const READ_BATCH = 500;

export async function listSupersededJobs(
  redis: RedisClient,
  queueName: string,
  options: FailedJobFilter & { limit?: number } = {},
): Promise<SupersededList> {
  const limit = options.limit ?? 50;
  const key = supersededJobsKey(queueName);
  const jobs: SupersededJob[] = [];
  let matched = 0;
  // The list is capped (10,000 entries), so reading it whole to count the matches is bounded.
  for (let end = "+"; ; ) {
    const batch = await redis.xrevrange(key, end, "-", "COUNT", READ_BATCH);
    for (const [, fields] of batch) {
      const job = parseSupersededJob(fields);
      if (!job || !matches(job, options)) continue;
      matched += 1;
      if (jobs.length < limit) jobs.push(job);
    }
    const last = batch.at(-1);
    if (!last || batch.length < READ_BATCH) return { jobs, matched };
    end = `(${last[0]}`;
  }
}

function matches(job: SupersededJob, filter: FailedJobFilter): boolean {
  if (filter.reason && job.reason !== filter.reason) return false;
  if (filter.tenant && job.tenant !== filter.tenant && job.connection !== filter.tenant) return false;
  return true;
}
