// Finding the event stream a command is about, by id (`est_…`) or by name, and reading its status.
// Names are unique in a tenant (Auth0 refuses a second stream with one), so a name finds one stream.
import type { ManagementClient } from "auth0";
import { statusOf } from "../../worker/auth0/managementApi.js";
import { describeEventStreamError, eventStreamScopes } from "./eventStreamErrors.js";
import {
  type EventStream,
  eventStreamListSchema,
  eventStreamSchema,
  parseAnswer,
} from "./eventStreamSchemas.js";

/** Streams asked for per page (Auth0 allows at most 100). */
const PAGE_SIZE = 100;
/** Stops a listing whose cursor never ends; no tenant has this many streams. */
const MAX_PAGES = 50;

export async function findStream(client: ManagementClient, nameOrId: string): Promise<EventStream> {
  if (/^est_/.test(nameOrId)) {
    const byId = await streamById(client, nameOrId);
    if (byId) return byId;
  }
  const streams = await listStreams(client);
  const match = streams.find((stream) => stream.name === nameOrId);
  if (match) return match;
  const known = streams.map((stream) => `${stream.name} (${stream.id})`).join(", ") || "none";
  throw new Error(`no event stream named or with id "${nameOrId}" in this Auth0 tenant (streams: ${known})`);
}

async function streamById(client: ManagementClient, id: string): Promise<EventStream | undefined> {
  const what = `reading event stream ${id}`;
  try {
    return parseAnswer(eventStreamSchema, await client.eventStreams.get(id), what);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw statusOf(error) ? describeEventStreamError(error, what, eventStreamScopes.readStreams) : error;
  }
}

export async function listStreams(client: ManagementClient): Promise<EventStream[]> {
  const streams: EventStream[] = [];
  let from: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const what = "listing event streams";
    const result = await client.eventStreams
      .list({ take: PAGE_SIZE, ...(from ? { from } : {}) })
      .catch((error: unknown) => {
        throw describeEventStreamError(error, what, eventStreamScopes.readStreams);
      });
    const { eventStreams, next } = parseAnswer(eventStreamListSchema, result.response, what);
    streams.push(...eventStreams);
    if (!next || next === from || eventStreams.length === 0) break;
    from = next;
  }
  return streams;
}
