// Reading a stream's dead-letter list: the failed deliveries Auth0 keeps after its own retries,
// a page at a time, filtered as a redelivery would be; and one event's delivery by its id.
import type { ManagementClient } from "auth0";
import { statusOf } from "../../worker/auth0/managementApi.js";
import { describeEventStreamError, eventStreamScopes } from "./eventStreamErrors.js";
import { type Delivery, deliveryPageSchema, deliverySchema, parseAnswer } from "./eventStreamSchemas.js";
import { auth0Time, deliveriesQuery, type RedeliverySelection } from "./redeliveryFilter.js";

/** Deliveries asked for per page (Auth0 allows at most 100). */
const PAGE_SIZE = 100;
/**
 * Most deliveries read. Auth0 disables a stream at 5,000 failures, so a list longer than this is
 * not expected; reaching it marks the result incomplete rather than reading without end.
 */
export const MAX_DELIVERIES = 10_000;

export interface FailedDeliveries {
  deliveries: DeliverySummary[];
  /** False when the listing stopped at MAX_DELIVERIES. */
  complete: boolean;
}

/** A delivery as the commands show it. */
export interface DeliverySummary {
  /** What `redeliver --event` takes. */
  eventId: string;
  eventType: string;
  /** When the event happened (else its first delivery attempt), to the second. */
  time: string;
  attempts: number;
  lastError: string;
}

export async function listFailedDeliveries(
  client: ManagementClient,
  stream: { id: string; name: string },
  selection: RedeliverySelection,
): Promise<FailedDeliveries> {
  const what = `listing failed deliveries of event stream "${stream.name}"`;
  const deliveries: DeliverySummary[] = [];
  let from: string | undefined;
  for (;;) {
    const query = { ...deliveriesQuery(selection), take: PAGE_SIZE, ...(from ? { from } : {}) };
    const page = await client.eventStreams.deliveries.list(stream.id, query).catch((error: unknown) => {
      throw describeEventStreamError(error, what, eventStreamScopes.readDeliveries);
    });
    const parsed = parseAnswer(deliveryPageSchema, page.response, what);
    deliveries.push(...parsed.deliveries.map(summariseDelivery));
    if (deliveries.length >= MAX_DELIVERIES) return { deliveries: latestFirst(deliveries), complete: false };
    if (!parsed.next || parsed.next === from || parsed.deliveries.length === 0) break;
    from = parsed.next;
  }
  return { deliveries: latestFirst(deliveries), complete: true };
}

/** One event's delivery, or undefined when the stream has no failed delivery of it. */
export async function readDelivery(
  client: ManagementClient,
  stream: { id: string; name: string },
  eventId: string,
): Promise<DeliverySummary | undefined> {
  const what = `reading the delivery of event ${eventId} on event stream "${stream.name}"`;
  try {
    const answer = await client.eventStreams.deliveries.getHistory(stream.id, eventId);
    return summariseDelivery(parseAnswer(deliverySchema, answer, what));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw statusOf(error) ? describeEventStreamError(error, what, eventStreamScopes.readDeliveries) : error;
  }
}

export function summariseDelivery(delivery: Delivery): DeliverySummary {
  const attempts = delivery.attempts;
  const when = delivery.event?.time ?? attempts[0]?.timestamp ?? "";
  const lastError = [...attempts].reverse().find((attempt) => attempt.error_message)?.error_message ?? "";
  return {
    eventId: delivery.id,
    eventType: delivery.event_type,
    time: toSecond(when),
    attempts: attempts.length,
    lastError: lastError.replace(/\s+/g, " ").trim(),
  };
}

function latestFirst(deliveries: DeliverySummary[]): DeliverySummary[] {
  return [...deliveries].sort((a, b) => b.time.localeCompare(a.time));
}

function toSecond(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : auth0Time(new Date(ms), "down");
}
