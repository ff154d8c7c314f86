// `surecloud-sync retry`: puts one failed job, or every failed job matching a filter, back on the queue.
import { awaitOutcomes, type JobOutcomeView } from "../../ops/awaitOutcomes.js";
import type { FailedJobFilter } from "../../ops/failedJob.js";
import { type RetryReport, retryFailedJob, retryFailedJobs } from "../../ops/retryJobs.js";
import {
  filterHelp,
  filterOptions,
  loadOptionalTenants,
  parseCommandArgs,
  parseFilter,
  parsePositiveInt,
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
import { formatTable } from "../table.js";

/** How long --wait waits by default: a retried job's transient retries can take longer still. */
const DEFAULT_WAIT_SECONDS = 300;

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
    "  --wait              Wait for each retried job to finish and print its outcome: applied",
    "                      (what changed), skipped (why), or failed (reason and message); exits 1",
    "                      when one failed again or did not finish in time",
    `  --timeout <s>       Longest --wait waits, in seconds (default ${DEFAULT_WAIT_SECONDS})`,
    queueOptionsHelp,
    "  --tenants <file>    Tenants file, to match --tenant by tenant id (env TENANTS_FILE)",
    "  --json              Print the result as JSON",
    "",
    "Examples:",
    "  surecloud-sync retry event-evt_9Rk2LmQ8xV4bN7cT1pZs3d",
    "  surecloud-sync retry --reason unknown-group --tenant acme",
    "  surecloud-sync retry --reason invalid-directive --wait",
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
          wait: { type: "boolean", default: false },
          timeout: { type: "string" },
        },
        strict: true,
        allowPositionals: true,
      });
      const filter = parseFilter(values);
      const jobId = singleJobId(positionals, filter, values.all);
      if (values.timeout !== undefined && !values.wait) throw new UsageError("--timeout goes with --wait");
      const waitSeconds =
        values.timeout === undefined ? DEFAULT_WAIT_SECONDS : parsePositiveInt("--timeout", values.timeout);
      const tenants = await loadOptionalTenants(values, io.env);
      const { report, outcomes } = await withQueue(queueSettings(values, io.env), async (handle) => {
        const { queue } = handle;
        const report =
          jobId === undefined
            ? await retryFailedJobs(queue, { ...filter, tenants })
            : await retryFailedJob(queue, jobId);
        const outcomes = values.wait
          ? await awaitOutcomes(handle, report.retried, { timeoutMs: waitSeconds * 1000 })
          : undefined;
        return { report, outcomes };
      });
      if (values.json) printJson(io, outcomes ? { ...report, outcomes } : report);
      else printReport(io, report, filter, outcomes);
      const unsettled = outcomes?.some((view) => ["failed", "unfinished", "gone"].includes(view.outcome));
      return report.errors.length > 0 || unsettled ? 1 : 0;
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

function printReport(
  io: CliIo,
  report: RetryReport,
  filter: FailedJobFilter,
  outcomes: JobOutcomeView[] | undefined,
): void {
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
  if (outcomes && outcomes.length > 0) {
    const rows = outcomes.map((view) => [view.jobId, view.outcome, view.detail]);
    io.out(`\n${formatTable(["JOB ID", "OUTCOME", "DETAIL"], rows)}`);
  }
}
