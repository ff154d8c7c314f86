// Asking Auth0 to redeliver failed deliveries of a stream: every one a selection covers, or one
// event by id. Auth0 accepts (202) and redelivers in the background; a redelivered event reaches
// the Action (or webhook) again, and the worker applies it like any other, at least once.
import type { ManagementClient } from "auth0";
import { describeEventStreamError, eventStreamScopes } from "./eventStreamErrors.js";
import { parseAnswer, type RedeliveryFilter, redeliveryFilterSchema } from "./eventStreamSchemas.js";
import { describeSelection, type RedeliverySelection, redeliveryBody } from "./redeliveryFilter.js";

export interface RedeliveryRequest {
  /** The body sent to `POST /event-streams/{id}/redeliver`. */
  sent: RedeliveryFilter;
  /** The filter Auth0 says it accepted (it echoes the body), or what was sent when it echoed nothing. */
  accepted: RedeliveryFilter;
}

export async function redeliverFailed(
  client: ManagementClient,
  stream: { id: string; name: string },
  selection: RedeliverySelection,
): Promise<RedeliveryRequest> {
  const sent = redeliveryBody(selection);
  const what = `redelivering failed events of event stream "${stream.name}" (${describeSelection(selection)})`;
  const answer = await client.eventStreams.redeliveries.create(stream.id, sent).catch((error: unknown) => {
    throw describeEventStreamError(error, what, eventStreamScopes.redeliver);
  });
  const echoed = answer ? parseAnswer(redeliveryFilterSchema, answer, what) : {};
  return { sent, accepted: Object.keys(echoed).length > 0 ? echoed : sent };
}

export async function redeliverEvent(
  client: ManagementClient,
  stream: { id: string; name: string },
  eventId: string,
): Promise<void> {
  const what = `redelivering event ${eventId} of event stream "${stream.name}"`;
  await client.eventStreams.redeliveries.createById(stream.id, eventId).catch((error: unknown) => {
    throw describeEventStreamError(error, what, eventStreamScopes.redeliver);
  });
}
