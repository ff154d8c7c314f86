// `surecloud-sync redeliver`: asks Auth0 to deliver again the events its event stream could not
// hand to the Action (or webhook) after its own three retries: those of a time range and event
// types, or one event by id. --dry-run lists them from the dead-letter list and sends nothing.
import { formatDeliveryTable } from "../../auth0/deliveryFormat.js";
import { type DeliverySummary, listFailedDeliveries, readDelivery } from "../../auth0/failedDeliveries.js";
import { redeliverEvent, redeliverFailed } from "../../auth0/redelivery.js";
import {
  describeSelection,
  parseEventTypes,
  type RedeliverySelection,
} from "../../auth0/redeliveryFilter.js";
import {
  credentialsHelp,
  instantOf,
  openStream,
  type StreamSession,
  streamJson,
  streamOption,
  streamOptionHelp,
} from "../../auth0/streamCommand.js";
import { parseCommandArgs, printJson, runGuarded, UsageError } from "../args.js";
import type { CliCommand } from "../command.js";

const options = {
  ...streamOption,
  since: { type: "string" },
  until: { type: "string" },
  "event-type": { type: "string", multiple: true },
  event: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
} as const;

type Target = { kind: "range"; selection: RedeliverySelection } | { kind: "event"; eventId: string };

export const redeliverCommand: CliCommand = {
  name: "redeliver",
  help: `Usage: surecloud-sync redeliver [--stream <name|id>] [--since <when>] [--until <when>]
                                [--event-type <type>] [--dry-run] [--json]
       surecloud-sync redeliver [--stream <name|id>] --event <event_id> [--dry-run] [--json]

Asks Auth0 to deliver again the events of the event stream that failed (the Action threw, or the
webhook answered an error, three retries over about 7 s). Auth0 keeps them in the stream's
dead-letter list and redelivers in the background; the worker applies a redelivered event like any
other, and one already applied changes nothing.

Options:
${streamOptionHelp}
  --since <when>      Failed events from this time: ISO 8601 (2026-11-02T08:00:00Z) or an age (90m, 24h, 7d)
  --until <when>      Up to this time (exclusive), same forms; default now
  --event-type <type> Only these types: user.created, user.updated, user.deleted (repeat, or a comma list)
  --event <event_id>  Only this event (as stream-status lists it); not with the options above
  --dry-run           List the failed deliveries that would be redelivered; send nothing
  --json              Print what was sent and accepted (or, with --dry-run, listed) as JSON

Without --since, --until and --event-type every failed delivery of the stream is redelivered.
${credentialsHelp}
Scopes: read:event_streams, update:event_deliveries; --dry-run read:event_deliveries instead.

Examples:
  surecloud-sync redeliver --since 2026-11-02T08:00:00Z --until 2026-11-02T08:45:00Z --dry-run
  surecloud-sync redeliver --since 2h --event-type user.updated,user.deleted`,
  run: (args, io) =>
    runGuarded(io, "redeliver", async () => {
      const { values } = parseCommandArgs({ args, options, strict: true, allowPositionals: false });
      const target = targetOf(values);
      const session = await openStream(values, io);
      const { stream } = session;
      if (stream.status === "disabled") {
        io.err(
          `Note: event stream "${stream.name}" is disabled: Auth0 sends it no new events until it is re-enabled (docs/operator.md, "Stream disabled").`,
        );
      }
      if (values["dry-run"]) return dryRun(session, target, values.json);
      return redeliver(session, target, values.json);
    }),
};

function targetOf(values: {
  since?: string | undefined;
  until?: string | undefined;
  "event-type"?: string[] | undefined;
  event?: string | undefined;
}): Target {
  const eventTypeValues = values["event-type"] ?? [];
  if (values.event !== undefined) {
    if (values.since !== undefined || values.until !== undefined || eventTypeValues.length > 0) {
      throw new UsageError("--event redelivers one event: leave out --since, --until and --event-type");
    }
    if (values.event.trim() === "") throw new UsageError("--event needs an event id");
    return { kind: "event", eventId: values.event.trim() };
  }
  const since = instantOf(values.since, "--since");
  const until = instantOf(values.until, "--until");
  if (since && until && since.getTime() >= until.getTime()) {
    throw new UsageError("--since must be before --until");
  }
  let eventTypes: RedeliverySelection["eventTypes"];
  try {
    eventTypes = parseEventTypes(eventTypeValues);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { kind: "range", selection: { since, until, eventTypes } };
}

async function dryRun({ io, client, stream }: StreamSession, target: Target, json: boolean): Promise<number> {
  let deliveries: DeliverySummary[];
  let complete = true;
  if (target.kind === "event") {
    const delivery = await readDelivery(client, stream, target.eventId);
    deliveries = delivery ? [delivery] : [];
  } else {
    ({ deliveries, complete } = await listFailedDeliveries(client, stream, target.selection));
  }
  const scope = target.kind === "event" ? `for event ${target.eventId}` : describeSelection(target.selection);
  if (json) {
    printJson(io, { stream: streamJson(stream), dryRun: true, scope, complete, deliveries });
    return 0;
  }
  const count = `${complete ? "" : "at least "}${deliveries.length} failed ${deliveries.length === 1 ? "delivery" : "deliveries"}`;
  io.out(
    `Dry run: event stream "${stream.name}" (${stream.id}): ${count} ${scope}.\nNothing was redelivered.`,
  );
  if (deliveries.length > 0) {
    io.out(
      `\n${formatDeliveryTable(deliveries)}\n\nRun the same command without --dry-run to redeliver them.`,
    );
  }
  return 0;
}

async function redeliver(
  { io, client, stream }: StreamSession,
  target: Target,
  json: boolean,
): Promise<number> {
  const named = `event stream "${stream.name}" (${stream.id})`;
  if (target.kind === "event") {
    await redeliverEvent(client, stream, target.eventId);
    if (json)
      printJson(io, { stream: streamJson(stream), dryRun: false, eventId: target.eventId, accepted: true });
    else io.out(`Auth0 accepted the redelivery of event ${target.eventId} on ${named}.`);
  } else {
    const request = await redeliverFailed(client, stream, target.selection);
    if (json) printJson(io, { stream: streamJson(stream), dryRun: false, ...request });
    else {
      io.out(
        `Auth0 accepted the redelivery of the failed events of ${named}, ${describeSelection(target.selection)}.`,
      );
    }
  }
  if (!json) {
    io.out(
      `Auth0 redelivers in the background. Follow it with: surecloud-sync stream-status --stream ${stream.id} and surecloud-sync status`,
    );
  }
  return 0;
}
