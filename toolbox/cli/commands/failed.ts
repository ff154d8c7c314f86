// `surecloud-sync failed`: the failed jobs, newest first, with why each failed and whose change it was.
import type { FailedJobView } from "../../ops/failedJob.js";
import { listFailedJobs } from "../../ops/failedJobs.js";
import { failedJobsOf, idsOfPerson } from "../../person/personRecords.js";
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
import type { CliCommand } from "../command.js";
import { showSupersededJobs } from "../supersededTable.js";
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
    "  --user <who>        Only this person's jobs: email, userName or Auth0 user id",
    `  --limit <n>         Show at most n jobs (default ${DEFAULT_LIMIT})`,
    "  --superseded        List instead the failed jobs a newer applied change for the same",
    "                      user superseded (no longer failed): what superseded each, and when",
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
        options: {
          ...queueOptions,
          ...tenantsOption,
          ...filterOptions,
          limit: { type: "string" },
          user: { type: "string" },
          superseded: { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: false,
      });
      const filter = parseFilter(values);
      const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt("--limit", values.limit);
      if (values.superseded) {
        if (values.user !== undefined) throw new UsageError("--superseded does not take --user");
        return showSupersededJobs(io, queueSettings(values, io.env), { ...filter, limit }, values.json);
      }
      const tenants = await loadOptionalTenants(values, io.env);
      const list = await withQueue(queueSettings(values, io.env), async ({ queue, redis }) =>
        values.user === undefined
          ? listFailedJobs(queue, { ...filter, limit, tenants })
          : failedJobsOf(
              queue,
              { ...filter, limit, tenants },
              await idsOfPerson({ queue, redis, env: io.env, tenants }, values.user),
            ),
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
      // Whole: a terminal's table wraps it (toolbox/cli/table.ts).
      job.message.replace(/\s+/g, " "),
    ]),
  );
}
