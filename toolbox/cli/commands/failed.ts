// `surecloud-sync failed`: the failed jobs, newest first, with why each failed and whose change it was.
import type { FailedJobView } from "../../ops/failedJob.js";
import { listFailedJobs } from "../../ops/failedJobs.js";
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
  withQueue,
} from "../args.js";
import type { CliCommand } from "../command.js";
import { formatTable } from "../table.js";

const DEFAULT_LIMIT = 50;

export const failedCommand: CliCommand = {
  name: "failed",
  help: [
    "Usage: surecloud-sync failed [options]",
    "",
    "Lists failed jobs, newest failure first: job id, reason, Auth0 user id, tenant, event id",
    "and type, when it failed, attempts made, and the failure message.",
    "",
    "Options:",
    filterHelp,
    `  --limit <n>         Show at most n jobs (default ${DEFAULT_LIMIT})`,
    queueOptionsHelp,
    "  --tenants <file>    Tenants file, to name tenants by id (env TENANTS_FILE; optional:",
    "                      without it the tenant column shows the Auth0 connection)",
    "  --json              Print the jobs as JSON",
    "",
    "Example:",
    "  surecloud-sync failed --reason unknown-group --tenant acme --limit 20",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "failed", async () => {
      const { values } = parseCommandArgs({
        args,
        options: { ...queueOptions, ...tenantsOption, ...filterOptions, limit: { type: "string" } },
        strict: true,
        allowPositionals: false,
      });
      const filter = parseFilter(values);
      const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt("--limit", values.limit);
      const tenants = await loadOptionalTenants(values, io.env);
      const list = await withQueue(queueSettings(values, io.env), ({ queue }) =>
        listFailedJobs(queue, { ...filter, limit, tenants }),
      );
      if (values.json) {
        printJson(io, list);
        return 0;
      }
      if (list.matched === 0) {
        io.out("No failed jobs match.");
        return 0;
      }
      io.out(renderJobs(list.jobs));
      if (list.matched > list.jobs.length) {
        io.out(
          `\nShowing ${list.jobs.length} of ${list.matched} matching failed jobs; use --limit to see more.`,
        );
      }
      return 0;
    }),
};

function renderJobs(jobs: FailedJobView[]): string {
  return formatTable(
    ["JOB ID", "REASON", "AUTH0 USER", "TENANT", "EVENT", "TYPE", "FAILED AT", "ATTEMPTS", "MESSAGE"],
    jobs.map((job) => [
      job.jobId,
      job.reason,
      job.auth0UserId ?? "-",
      job.tenant ?? "-",
      job.eventId ?? "-",
      job.eventType ?? "-",
      job.failedAt ?? "-",
      String(job.attempts),
      shorten(job.message, 100),
    ]),
  );
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
