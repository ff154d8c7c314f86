// Management API failures of the event-stream commands, reworded for operators: a 403 names the
// scope the call needs (Auth0 answers 403 for a scope the application was not granted), a 404 the
// stream or event, a 409 the event that cannot be redelivered.
import { ManagementError } from "auth0";
import { describeManagementError, statusOf } from "../../worker/auth0/managementApi.js";

/** The Management API scopes these commands use, one per kind of call. */
export const eventStreamScopes = {
  /** `GET /event-streams`, `GET /event-streams/{id}`: finding the stream and its status. */
  readStreams: "read:event_streams",
  /** `GET /event-streams/{id}/deliveries[/{event_id}]`: the failed deliveries. */
  readDeliveries: "read:event_deliveries",
  /** `POST /event-streams/{id}/redeliver[/{event_id}]`. */
  redeliver: "update:event_deliveries",
} as const;
export type EventStreamScope = (typeof eventStreamScopes)[keyof typeof eventStreamScopes];

export function describeEventStreamError(error: unknown, what: string, scope: EventStreamScope): Error {
  const status = statusOf(error);
  const said = auth0Message(error);
  const suffix = said ? ` (Auth0: ${said})` : "";
  if (status === 403) {
    return new Error(
      `Auth0 refused ${what} (403): grant the application (AUTH0_CLIENT_ID) the ${scope} scope on the Management API${suffix}`,
      { cause: error },
    );
  }
  if (status === 401) {
    return new Error(`Auth0 refused ${what} (401): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET${suffix}`, {
      cause: error,
    });
  }
  if (status === 404) return new Error(`Auth0 found nothing for ${what} (404)${suffix}`, { cause: error });
  if (status === 409) {
    return new Error(
      `Auth0 will not redeliver: ${what} (409): not in a state that allows redelivery${suffix}`,
      {
        cause: error,
      },
    );
  }
  return describeManagementError(error, what);
}

/** Auth0's own one-line message from an error body, when it sent one. */
function auth0Message(error: unknown): string | undefined {
  if (!(error instanceof ManagementError)) return undefined;
  const body = error.body as { message?: unknown } | undefined;
  return typeof body?.message === "string" && body.message ? body.message : undefined;
}
