// `surecloud-sync failed --superseded`: the failed jobs a newer change for the same user superseded,
// newest first, with what superseded them. They are no longer in the failed list.
import type { FailedJobFilter } from "../ops/failedJob.js";
import { listSupersededJobs } from "../ops/supersededList.js";
import { printJson, type QueueSettings, withQueue } from "./args.js";
import type { CliIo } from "./command.js";
import { formatTable } from "./table.js";

export async function showSupersededJobs(
  io: CliIo,
  settings: QueueSettings,
  filter: FailedJobFilter & { limit: number },
  json: boolean,
): Promise<number> {
  const list = await withQueue(settings, ({ redis }) =>
    listSupersededJobs(redis, settings.queueName, filter),
  );
  if (json) {
    printJson(io, list);
    return 0;
  }
  if (list.matched === 0) {
    io.out("No superseded jobs match.");
    return 0;
  }
  io.out(
    formatTable(
      ["JOB ID", "REASON", "AUTH0 USER", "TENANT", "FAILED AT", "SUPERSEDED BY JOB", "SUPERSEDED AT"],
      list.jobs.map((job) => [
        job.jobId,
        job.reason,
        job.auth0UserId,
        job.tenant,
        job.failedAt ?? "-",
        job.supersededBy.jobId,
        job.supersededAt,
      ]),
    ),
  );
  if (list.matched > list.jobs.length) {
    io.out(
      `\nShowing ${list.jobs.length} of ${list.matched} matching superseded jobs; use --limit to see more.`,
    );
  }
  return 0;
}
