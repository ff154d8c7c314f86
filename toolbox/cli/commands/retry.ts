// `surecloud-sync retry`: puts one failed job, or every failed job matching a filter, back on the queue.
import type { FailedJobFilter } from "../../ops/failedJob.js";
import { type RetryReport, retryFailedJob, retryFailedJobs } from "../../ops/retryJobs.js";
import {
  filterHelp,
  filterOptions,
  loadOptionalTenants,
  parseCommandArgs,
  parseFilter,
  printJson,
  queueOptions,
  queueOptionsHelp,
  queueSettings,
  runGuarded,
  tenantsOption,
  UsageError,
  withQueue,
} from "../args.js";
import type { CliCommand, CliIo } from "../command.js";

export const retryCommand: CliCommand = {
  name: "retry",
  help: [
    "Usage: surecloud-sync retry <job-id> [options]",
    "       surecloud-sync retry (--reason <reason> | --tenant <id> | --all) [options]",
    "",
    "Moves failed jobs back to waiting, with a fresh attempt count, and prints how many.",
    "A retried job runs under the normal sync rules: if a newer change for the same user was",
    "applied meanwhile, it ends `skipped: stale` and changes nothing. Fix the cause first",
    "(the directive in Entra, the group in SureCloud, the tenants file), then retry.",
    "Retrying every failed job needs --all. `surecloud-sync failed` with the same filters",
    "shows the jobs a retry would take.",
    "",
    "Options:",
    filterHelp,
    "  --all               Retry every failed job (required when no filter is given)",
    queueOptionsHelp,
    "  --tenants <file>    Tenants file, to match --tenant by tenant id (env TENANTS_FILE)",
    "  --json              Print the result as JSON",
    "",
    "Examples:",
    "  surecloud-sync retry event-evt_9Rk2LmQ8xV4bN7cT1pZs3d",
    "  surecloud-sync retry --reason unknown-group --tenant acme",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "retry", async () => {
      const { values, positionals } = parseCommandArgs({
        args,
        options: {
          ...queueOptions,
          ...tenantsOption,
          ...filterOptions,
          all: { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: true,
      });
      const filter = parseFilter(values);
      const jobId = singleJobId(positionals, filter, values.all);
      const tenants = await loadOptionalTenants(values, io.env);
      const report = await withQueue(queueSettings(values, io.env), ({ queue }) =>
        jobId === undefined ? retryFailedJobs(queue, { ...filter, tenants }) : retryFailedJob(queue, jobId),
      );
      if (values.json) printJson(io, report);
      else printReport(io, report, filter);
      return report.errors.length > 0 ? 1 : 0;
    }),
};

/** The job id when one is given; checks that the call is one job or a filter, never both or neither. */
function singleJobId(positionals: string[], filter: FailedJobFilter, all: boolean): string | undefined {
  if (positionals.length > 1) throw new UsageError("give one job id at a time, or a filter");
  const [jobId] = positionals;
  const filtered = filter.reason !== undefined || filter.tenant !== undefined;
  if (jobId !== undefined && (filtered || all)) {
    throw new UsageError("give either a job id or --reason/--tenant/--all, not both");
  }
  if (jobId === undefined && !filtered && !all) {
    throw new UsageError("refusing to retry every failed job without --reason, --tenant or --all");
  }
  return jobId;
}

function printReport(io: CliIo, report: RetryReport, filter: FailedJobFilter): void {
  const scope = [
    filter.reason ? `reason ${filter.reason}` : "",
    filter.tenant ? `tenant ${filter.tenant}` : "",
  ].filter(Boolean);
  const suffix = scope.length > 0 ? ` (${scope.join(", ")})` : "";
  if (report.matched === 0) {
    io.out(`No failed jobs match${suffix}; nothing retried.`);
    return;
  }
  io.out(`Retried ${report.retried.length} of ${report.matched} failed job(s)${suffix}.`);
  for (const { jobId, message } of report.errors) io.err(`Could not retry job ${jobId}: ${message}`);
}
