// `surecloud-sync status`: queue depths, jobs finished in the last minute and hour, failures by reason,
// and the running workers with the fingerprint of the tenants file each runs.
import { describeRedis } from "../../../shared/redisSettings.js";
import { queueStates } from "../../ops/queueStatus.js";
import { getStatusReport, type StatusReport } from "../../ops/statusReport.js";
import {
  loadOptionalTenants,
  parseCommandArgs,
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
import { renderWorkers } from "../workerList.js";

export const statusCommand: CliCommand = {
  name: "status",
  help: [
    "Usage: surecloud-sync status [options]",
    "",
    "Shows how many jobs are waiting, active, delayed, completed, failed and paused; how many",
    "completed and failed in the last minute and hour; and the failed jobs by reason",
    "(invalid-directive, unknown-group, conflict, ...; `transient` = retries ran out on",
    "network errors, timeouts, 429 or 5xx). Then the running workers, each with the",
    "fingerprint of the tenants file it runs (check-config compares it with the file on disk).",
    "",
    "Completed jobs are also counted by outcome: applied, and skipped by reason",
    "(unknown-connection, stale, duplicate, not-linked). A warning names every queue whose",
    "waiting jobs no worker consumes (jobs queued under another QUEUE_NAME than the workers').",
    "",
    "Options:",
    "  --tenant <id>       Count only this tenant's jobs (tenant id, or Auth0 connection name)",
    queueOptionsHelp,
    "  --tenants <file>    Tenants file, to match --tenant by tenant id (env TENANTS_FILE)",
    "  --json              Print the status as JSON",
    "",
    "Example:",
    "  surecloud-sync status --queue surecloud-group-sync",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "status", async () => {
      const { values } = parseCommandArgs({
        args,
        options: { ...queueOptions, ...tenantsOption, tenant: { type: "string" } },
        strict: true,
        allowPositionals: false,
      });
      const settings = queueSettings(values, io.env);
      const tenants = await loadOptionalTenants(values, io.env);
      const status = await withQueue(settings, (handle) =>
        getStatusReport(handle, { tenant: values.tenant, tenants }),
      );
      if (values.json) printJson(io, status);
      else io.out(renderStatus(status, describeRedis(settings.redis)));
      return 0;
    }),
};

function renderStatus(status: StatusReport, redis: string): string {
  const { lastMinute, lastHour } = status.finished;
  const reasons = Object.entries(status.failedByReason).filter(([, count]) => count > 0);
  return [
    `Queue ${status.queue} on ${redis}${status.paused ? " (PAUSED: workers take no new jobs)" : ""}` +
      (status.tenant ? `, tenant ${status.tenant} only` : ""),
    "",
    formatTable(
      ["STATE", "JOBS"],
      queueStates.map((state) => [state, String(status.counts[state])]),
    ),
    "",
    formatTable(
      ["FINISHED", "COMPLETED", "FAILED"],
      [
        ["last minute", String(lastMinute.completed), String(lastMinute.failed)],
        ["last hour", String(lastHour.completed), String(lastHour.failed)],
      ],
    ),
    "",
    reasons.length > 0
      ? formatTable(
          ["FAILED BY REASON", "JOBS"],
          reasons.sort(([, a], [, b]) => b - a).map(([reason, count]) => [reason, String(count)]),
        )
      : "No failed jobs.",
    "",
    renderOutcomes(status),
    "",
    renderWorkers(status.workers),
    ...renderUnconsumed(status),
  ].join("\n");
}

function renderOutcomes(status: StatusReport): string {
  const { applied, skipped } = status.completedByOutcome;
  const rows = [["applied", String(applied)]];
  for (const [reason, count] of Object.entries(skipped))
    if (count > 0) rows.push([`skipped: ${reason}`, String(count)]);
  return formatTable(["COMPLETED BY OUTCOME", "JOBS"], rows);
}

/** Most unconsumed queues named in the text; --json lists them all. */
const SHOWN_UNCONSUMED = 5;

/** One warning line per queue whose waiting jobs no worker takes; none when every queue is consumed. */
function renderUnconsumed(status: StatusReport, now = Date.now()): string[] {
  const queues = status.unconsumedQueues;
  if (queues.length === 0) return [];
  const lines = queues.slice(0, SHOWN_UNCONSUMED).map((queue) => {
    const since = queue.oldestWaitingSince;
    const oldest = since ? `, the oldest waiting ${waitedFor(now - Date.parse(since))} (since ${since})` : "";
    const which = queue.queue === status.queue ? "this queue" : `queue ${queue.queue}`;
    return `WARNING: ${which} has ${queue.waiting} waiting job(s) and no worker consumes it${oldest}.`;
  });
  if (queues.length > SHOWN_UNCONSUMED) {
    lines.push(`WARNING: ${queues.length - SHOWN_UNCONSUMED} more queue(s) like these; --json lists them.`);
  }
  lines.push("Check that the Action's QUEUE_NAME secret and the workers' QUEUE_NAME are the same.");
  return ["", ...lines];
}

function waitedFor(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days`;
}
