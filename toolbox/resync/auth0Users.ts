// Reading a connection's users from Auth0: the v3 user search, a page at a time, paced by Auth0's
// rate-limit headers. Search pages reach only the first 1000 matches, so a larger connection is
// read through a users-export job instead (usersExport.ts).
import type { ManagementClient } from "auth0";
import type { Auth0User } from "../../shared/auth0Event.js";
import { describeManagementError, readAuth0User } from "../../worker/auth0/managementApi.js";
import { type Auth0UserPage, validUsers } from "./userPage.js";
import { exportConnectionUsers } from "./usersExport.js";

export type { Auth0UserPage } from "./userPage.js";

export interface Auth0UserSource {
  /** Every user of the connection, a page at a time. */
  connectionUsers(connection: string): AsyncGenerator<Auth0UserPage>;
  /** The user, or undefined when Auth0 has no user with this id. */
  getUser(userId: string): Promise<Auth0User | undefined>;
}

export interface Auth0UserSourceOptions {
  /** Users per search page (Auth0 allows at most 100). Default 100. */
  perPage?: number;
  /** Told when the listing waits for Auth0's rate-limit window. */
  onWait?: (ms: number) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Poll interval of a users-export job. Default 2 s. */
  exportPollMs?: number;
}

/** Auth0's user search returns at most this many matches, whatever the paging. */
export const SEARCH_RESULT_LIMIT = 1000;
/** Longest wait for a rate-limit window before the next page. */
const MAX_PACING_WAIT_MS = 60_000;

export function makeAuth0UserSource(
  client: ManagementClient,
  options: Auth0UserSourceOptions = {},
): Auth0UserSource {
  const perPage = Math.min(options.perPage ?? 100, 100);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function* searchPages(connection: string): AsyncGenerator<Auth0UserPage> {
    const q = `identities.connection:"${connection.replace(/["\\]/g, "\\$&")}"`;
    let listed = 0;
    for (let page = 0; ; page += 1) {
      const result = await client.users
        .list({ q, search_engine: "v3", page, per_page: perPage, include_totals: true })
        .catch((error: unknown) => {
          throw describeManagementError(error, `listing users of connection "${connection}" (page ${page})`);
        });
      const total = result.response.total;
      if (page === 0 && total !== undefined && total > SEARCH_RESULT_LIMIT) {
        yield* exportConnectionUsers(client, connection, { pollMs: options.exportPollMs, sleep, total });
        return;
      }
      const { users, rejected } = validUsers(result.data);
      listed += result.data.length;
      yield { users, rejected, listed, total, via: "search" };
      const done = result.data.length < perPage || (total !== undefined && listed >= total);
      if (done) return;
      const waitMs = pacingDelay(result.rawResponse.headers);
      if (waitMs > 0) {
        options.onWait?.(waitMs);
        await sleep(waitMs);
      }
    }
  }

  return {
    connectionUsers: searchPages,
    getUser: (userId) => readAuth0User(client, userId),
  };
}

/**
 * When the last answer left no requests in the current window, the time until the window resets
 * (`X-RateLimit-Reset`, epoch seconds), so the next page is not spent on a 429.
 */
export function pacingDelay(headers: Headers, now = Date.now()): number {
  const remaining = Number(headers.get("x-ratelimit-remaining"));
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (!headers.has("x-ratelimit-remaining") || !Number.isFinite(remaining) || remaining > 0) return 0;
  if (!Number.isFinite(reset)) return 1000;
  return Math.min(Math.max(reset * 1000 - now, 0), MAX_PACING_WAIT_MS);
}
