// `surecloud-sync stream-status`: is the Auth0 event stream enabled, where does it deliver, and
// which events sit in its dead-letter list (failed deliveries, latest first).
import { formatDeliveryTable } from "../../auth0/deliveryFormat.js";
import type { EventStream } from "../../auth0/eventStreamSchemas.js";
import { type FailedDeliveries, listFailedDeliveries } from "../../auth0/failedDeliveries.js";
import {
  credentialsHelp,
  openStream,
  streamJson,
  streamOption,
  streamOptionHelp,
} from "../../auth0/streamCommand.js";
import { parseCommandArgs, parsePositiveInt, printJson, runGuarded } from "../args.js";
import type { CliCommand } from "../command.js";
import { formatTable } from "../table.js";

const options = {
  ...streamOption,
  limit: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

const DEFAULT_LIMIT = 10;

export const streamStatusCommand: CliCommand = {
  name: "stream-status",
  help: `Usage: surecloud-sync stream-status [--stream <name|id>] [--limit <n>] [--json]

Shows the Auth0 event stream that feeds the sync: whether it is enabled (Auth0 disables a stream
after 500 consecutive or 5,000 total failed deliveries), its destination (the Action or a webhook),
and its failed deliveries: how many, and the latest with event id, type, time, delivery attempts
and the last error. An event listed here never reached the queue; bring it back with
"surecloud-sync redeliver".

Options:
${streamOptionHelp}
  --limit <n>         How many of the latest failed deliveries to show (default ${DEFAULT_LIMIT})
  --json              Print the stream and all its failed deliveries as JSON

${credentialsHelp}
Scopes: read:event_streams, read:event_deliveries.

Example:
  surecloud-sync stream-status --stream surecloud-group-sync`,
  run: (args, io) =>
    runGuarded(io, "stream-status", async () => {
      const { values } = parseCommandArgs({ args, options, strict: true, allowPositionals: false });
      const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt("--limit", values.limit);
      const { client, stream } = await openStream(values, io);
      const failed = await listFailedDeliveries(client, stream, {});
      if (values.json) {
        printJson(io, {
          stream: { ...streamJson(stream), destination: destinationOf(stream) },
          failedDeliveries: {
            count: failed.deliveries.length,
            complete: failed.complete,
            latest: failed.deliveries,
          },
        });
      } else io.out(renderStreamStatus(stream, failed, limit));
      return 0;
    }),
};

function renderStreamStatus(stream: EventStream, failed: FailedDeliveries, limit: number): string {
  const destination = destinationOf(stream);
  const count = failed.deliveries.length;
  const shown = failed.deliveries.slice(0, limit);
  const status = {
    enabled: "enabled",
    disabled: 'DISABLED: Auth0 sends it no events (docs/operator.md, "Stream disabled")',
    unknown: "unknown (Auth0 did not say)",
  }[stream.status ?? "unknown"];
  const failures =
    count === 0
      ? "none"
      : `${failed.complete ? "" : "at least "}${count}${count > shown.length ? ` (latest ${shown.length} below)` : ""}`;
  const summary = formatTable(
    ["STREAM", stream.name],
    [
      ["id", stream.id],
      ["status", status],
      ["destination", [destination.type, destination.target].filter(Boolean).join(" ")],
      ["failed deliveries", failures],
    ],
  );
  if (count === 0) return summary;
  return `${summary}\n\n${formatDeliveryTable(shown)}\n\nRedeliver them with: surecloud-sync redeliver --stream ${stream.id} --since <when> (--dry-run first)`;
}

/** The destination's type and its non-secret target: the Action's id, or the webhook's URL without query. */
function destinationOf(stream: EventStream): { type: string; target?: string } {
  const type = stream.destination?.type ?? "unknown";
  const configuration = stream.destination?.configuration;
  if (configuration?.action_id) return { type, target: configuration.action_id };
  if (configuration?.webhook_endpoint) return { type, target: withoutQuery(configuration.webhook_endpoint) };
  return { type };
}

function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
}
