// Which failed deliveries a redelivery (or its dry run) covers: a time range and event types,
// written the way the Management API takes them: RFC 3339 without fractions of a second, the
// start inclusive and the end exclusive.
import {
  FAILED,
  type RedeliveryEventType,
  type RedeliveryFilter,
  redeliveryEventTypeSchema,
} from "./eventStreamSchemas.js";

export interface RedeliverySelection {
  since?: Date | undefined;
  until?: Date | undefined;
  /** Empty or absent: every event type of the stream. */
  eventTypes?: RedeliveryEventType[] | undefined;
}

/**
 * An instant as Auth0 takes it: whole seconds. The start rounds down and the (exclusive) end rounds
 * up, so the range never shrinks and an event in the last fraction of a second is kept.
 */
export function auth0Time(instant: Date, rounding: "down" | "up"): string {
  const ms = instant.getTime();
  const whole = rounding === "down" ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Date(whole * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The body of `POST /event-streams/{id}/redeliver`; only what was asked for is sent. */
export function redeliveryBody(selection: RedeliverySelection): RedeliveryFilter {
  return {
    ...(selection.since ? { date_from: auth0Time(selection.since, "down") } : {}),
    ...(selection.until ? { date_to: auth0Time(selection.until, "up") } : {}),
    statuses: [FAILED],
    ...(selection.eventTypes?.length ? { event_types: [...selection.eventTypes] } : {}),
  };
}

/** The same selection as the query of `GET /event-streams/{id}/deliveries` (comma lists). */
export function deliveriesQuery(selection: RedeliverySelection): Record<string, string> {
  const body = redeliveryBody(selection);
  return {
    statuses: FAILED,
    ...(body.event_types ? { event_types: body.event_types.join(",") } : {}),
    ...(body.date_from ? { date_from: body.date_from } : {}),
    ...(body.date_to ? { date_to: body.date_to } : {}),
  };
}

/**
 * Event types from repeated flags and comma lists, repeats folded. Throws naming the value that is
 * not one of the user events this stream carries.
 */
export function parseEventTypes(values: string[]): RedeliveryEventType[] {
  const types = new Set<RedeliveryEventType>();
  for (const entry of values.flatMap((value) => value.split(","))) {
    const trimmed = entry.trim();
    if (trimmed === "") continue;
    const parsed = redeliveryEventTypeSchema.safeParse(trimmed);
    if (!parsed.success) {
      throw new Error(
        `--event-type "${trimmed}" is not one of ${redeliveryEventTypeSchema.options.join(", ")}`,
      );
    }
    types.add(parsed.data);
  }
  return [...types];
}

/** One line saying what a selection covers, for the commands' output. */
export function describeSelection(selection: RedeliverySelection): string {
  const from = selection.since ? auth0Time(selection.since, "down") : "the oldest kept";
  const to = selection.until ? auth0Time(selection.until, "up") : "now";
  const types = selection.eventTypes?.length ? selection.eventTypes.join(", ") : "all event types";
  return `from ${from} to ${to}, ${types}`;
}
