// `surecloud-sync status`: queue depths, jobs finished in the last minute and hour, failures by reason.
import { maskUrl } from "../../../shared/redact.js";
import { getQueueStatus, type QueueStatus, queueStates } from "../../ops/queueStatus.js";
import {
  parseCommandArgs,
  printJson,
  queueOptions,
  queueOptionsHelp,
  queueSettings,
  runGuarded,
  withQueue,
} from "../args.js";
import type { CliCommand } from "../command.js";
import { formatTable } from "../table.js";

export const statusCommand: CliCommand = {
  name: "status",
  help: [
    "Usage: surecloud-sync status [options]",
    "",
    "Shows how many jobs are waiting, active, delayed, completed, failed and paused; how many",
    "completed and failed in the last minute and hour; and the failed jobs by reason",
    "(invalid-directive, unknown-group, conflict, ...; `transient` = retries ran out on",
    "network errors, timeouts, 429 or 5xx).",
    "",
    "Options:",
    queueOptionsHelp,
    "  --json              Print the status as JSON",
    "",
    "Example:",
    "  surecloud-sync status --queue surecloud-group-sync",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "status", async () => {
      const { values } = parseCommandArgs({
        args,
        options: queueOptions,
        strict: true,
        allowPositionals: false,
      });
      const settings = queueSettings(values, io.env);
      const status = await withQueue(settings, (handle) => getQueueStatus(handle));
      if (values.json) printJson(io, status);
      else io.out(renderStatus(status, maskUrl(settings.redisUrl)));
      return 0;
    }),
};

function renderStatus(status: QueueStatus, redis: string): string {
  const { lastMinute, lastHour } = status.finished;
  const reasons = Object.entries(status.failedByReason).filter(([, count]) => count > 0);
  return [
    `Queue ${status.queue} on ${redis}${status.paused ? " (PAUSED: workers take no new jobs)" : ""}`,
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
  ].join("\n");
}
