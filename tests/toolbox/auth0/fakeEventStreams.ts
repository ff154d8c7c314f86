// The Management API's event-stream endpoints behind nock, at HTTP level: the token endpoint,
// streams listed a few per page (cursor `next`) and read by id, failed deliveries filtered and paged
// as Auth0 documents, redelivery (202) of a filter or of one event, and 403 for a scope the
// application was not granted. Every request is recorded with its query and JSON body.
import nock from "nock";
import { interceptManagementApi } from "../../helpers/fakeManagementHost.js";

export interface FakeStream {
  id: string;
  name: string;
  status: "enabled" | "disabled";
  destination: { type: string; configuration: Record<string, unknown> };
}

export interface FakeDelivery {
  id: string;
  event_stream_id: string;
  status: "failed";
  event_type: string;
  attempts: Array<{ status: "failed"; timestamp: string; error_message?: string }>;
  event: { id: string; type: string; time: string; source: string; specversion: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export const allScopes = ["read:event_streams", "read:event_deliveries", "update:event_deliveries"] as const;

export interface FakeEventStreams {
  env: Record<string, string>;
  addStream(stream: Partial<FakeStream> & { id: string; name: string }): FakeStream;
  addDelivery(streamId: string, delivery: { id: string; type: string; time: string; error?: string }): void;
  /** The scopes the application holds; a request needing another answers 403. Default: all. */
  grant(scopes: readonly string[]): void;
  /** Answers GET deliveries as a bare array (the shape Auth0's reference page shows). */
  deliveriesAsArray(): void;
  /** Events whose single redelivery answers 409 (not in a state that allows it). */
  refuseRedelivery(eventId: string): void;
  /** Requests to /api/v2, in order. */
  requests: RecordedRequest[];
  posts(): RecordedRequest[];
  close(): void;
}

type Reply = [number, unknown?];

export function fakeEventStreams(domain = "streams-test.eu.auth0.com", pageSize = 2): FakeEventStreams {
  const streams: FakeStream[] = [];
  const deliveries: FakeDelivery[] = [];
  const requests: RecordedRequest[] = [];
  const refused = new Set<string>();
  let granted = new Set<string>(allScopes);
  let asArray = false;

  const forbidden = (scope: string): Reply | undefined =>
    granted.has(scope)
      ? undefined
      : [
          403,
          {
            statusCode: 403,
            error: "Forbidden",
            message: `Insufficient scope, expected any of: ${scope}`,
            errorCode: "insufficient_scope",
          },
        ];
  const notFound = (what: string): Reply => [404, { statusCode: 404, error: "Not Found", message: what }];

  const page = <T>(items: T[], query: URLSearchParams) => {
    const start = Number(query.get("from") ?? 0);
    const take = Math.min(Number(query.get("take") ?? 50), pageSize);
    const slice = items.slice(start, start + take);
    return { slice, next: start + take < items.length ? String(start + take) : undefined };
  };

  const matching = (streamId: string, query: URLSearchParams) => {
    const types = query.get("event_types")?.split(",");
    const statuses = query.get("statuses")?.split(",");
    const from = query.get("date_from");
    const to = query.get("date_to");
    return deliveries.filter(
      (delivery) =>
        delivery.event_stream_id === streamId &&
        (!types || types.includes(delivery.event_type)) &&
        (!statuses || statuses.includes(delivery.status)) &&
        (!from || Date.parse(delivery.event.time) >= Date.parse(from)) &&
        (!to || Date.parse(delivery.event.time) < Date.parse(to)),
    );
  };

  const handle = (method: string, url: URL, body: unknown): Reply => {
    const path = url.pathname.replace(/^\/api\/v2/, "");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    const [root, id, sub, eventId] = parts;
    if (root !== "event-streams") return notFound(`not in the fake: ${method} ${path}`);
    const stream = streams.find((candidate) => candidate.id === id);
    if (method === "GET" && !id) {
      const listed = page(streams, url.searchParams);
      return forbidden("read:event_streams") ?? [200, { eventStreams: listed.slice, next: listed.next }];
    }
    if (method === "GET" && !sub) {
      return (
        forbidden("read:event_streams") ??
        (stream ? [200, stream] : notFound("The event stream does not exist."))
      );
    }
    if (!stream) return notFound("The event stream does not exist.");
    if (method === "GET" && sub === "deliveries" && eventId) {
      const delivery = deliveries.find(
        (candidate) => candidate.id === eventId && candidate.event_stream_id === id,
      );
      return (
        forbidden("read:event_deliveries") ??
        (delivery ? [200, delivery] : notFound("The event does not exist."))
      );
    }
    if (method === "GET" && sub === "deliveries") {
      const listed = page(matching(stream.id, url.searchParams), url.searchParams);
      const answer = asArray ? listed.slice : { deliveries: listed.slice, next: listed.next };
      return forbidden("read:event_deliveries") ?? [200, answer];
    }
    if (method === "POST" && sub === "redeliver" && eventId) {
      const denied = forbidden("update:event_deliveries");
      if (denied) return denied;
      if (refused.has(eventId)) {
        return [
          409,
          {
            statusCode: 409,
            error: "Conflict",
            message: "The event is not in a state that allows redelivery.",
          },
        ];
      }
      return deliveries.some((delivery) => delivery.id === eventId)
        ? [202]
        : notFound("The event does not exist.");
    }
    if (method === "POST" && sub === "redeliver") return forbidden("update:event_deliveries") ?? [202, body];
    return notFound(`not in the fake: ${method} ${path}`);
  };

  // nock 15 hands a reply function the fetch Request (a two-argument function would be callback-style).
  const respond = async (request: Request): Promise<Reply> => {
    const url = new URL(request.url);
    const text = await request.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    requests.push({ method: request.method, path: url.pathname, query: url.searchParams, body });
    return handle(request.method, url, body);
  };

  const scope = interceptManagementApi(domain, "fake-streams-token", respond);

  return {
    env: {
      AUTH0_DOMAIN: domain,
      AUTH0_CLIENT_ID: "streams-cli-client",
      AUTH0_CLIENT_SECRET: "streams-cli-secret",
    },
    addStream(partial) {
      const stream: FakeStream = {
        status: "enabled",
        destination: { type: "action", configuration: { action_id: "act_groupsync0001" } },
        ...partial,
      };
      streams.push(stream);
      return stream;
    },
    addDelivery(streamId, { id, type, time, error = "Error: connect ECONNREFUSED 10.0.0.5:6379" }) {
      const start = Date.parse(time);
      const attempts = [0, 1000, 3000, 7000].map((offset) => ({
        status: "failed" as const,
        timestamp: new Date(start + offset).toISOString(),
        error_message: error,
      }));
      deliveries.push({
        id,
        event_stream_id: streamId,
        status: "failed",
        event_type: type,
        attempts,
        event: { id, type, time, source: `urn:auth0:${domain}`, specversion: "1.0" },
      });
    },
    grant(scopes) {
      granted = new Set(scopes);
    },
    deliveriesAsArray() {
      asArray = true;
    },
    refuseRedelivery: (eventId) => void refused.add(eventId),
    requests,
    posts: () => requests.filter((request) => request.method === "POST"),
    close() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}
