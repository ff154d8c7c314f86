// The SureCloudDirectory over HTTP, as surecloud-api.yaml describes it. Every answer is checked against
// the contract before it reaches the sync rules, and every failure leaves as a RetryableError or PermanentError.
import type { z } from "zod";
import {
  type Group,
  groupPageSchema,
  groupRefListSchema,
  MAX_GROUP_PAGE_LIMIT,
  type SureCloudUser,
  sureCloudUserSchema,
  type UserLookup,
  userListSchema,
} from "../../contract/surecloud.js";
import { formatIssues } from "../../shared/configIssues.js";
import { ConfigError, PermanentError, RetryableError } from "../../shared/errors.js";
import type { SureCloudDirectory } from "./directory.js";
import { describeErrorBody, errorForStatus, parseRetryAfter } from "./httpErrors.js";
import type { RateGate } from "./rateGate.js";

/** One HTTP request as metrics and logs see it. `operation` is the contract's operationId. */
export interface SureCloudCall {
  operation: string;
  method: string;
  /** The HTTP status, or how the request failed without one. */
  status: number | "network" | "timeout";
  /** From sending the request to reading the whole answer; time spent waiting at the gate is not included. */
  durationMs: number;
}

export interface SureCloudClientOptions {
  /** The tenant's API, up to and including `/api/v1`. */
  baseUrl: string;
  /** The tenant's API token; it never appears in an error or a report. */
  token: string;
  /** Limit for one request, answer body included. */
  timeoutMs: number;
  /** The tenant's gate, shared by every job of the tenant. Default: no limit. */
  gate?: RateGate;
  /** Told about every HTTP request once it ends. */
  onCall?: (call: SureCloudCall) => void;
  /** Default: the global fetch, looked up at each request. */
  fetch?: typeof fetch;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
interface ApiRequest {
  operation: string;
  method: Method;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** The largest page the contract allows, so a big tenant takes few requests. */
const groupPageLimit = MAX_GROUP_PAGE_LIMIT;

export function makeSureCloudClient(options: SureCloudClientOptions): SureCloudDirectory {
  const { send, sendForJson } = makeTransport(options);
  const path = (...segments: string[]) => `/${segments.map(encodeURIComponent).join("/")}`;

  return {
    async listGroups() {
      const groups: Group[] = [];
      const seenCursors = new Set<string>();
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = {
          limit: String(groupPageLimit),
          ...(cursor ? { cursor } : {}),
        };
        const request: ApiRequest = { operation: "listGroups", method: "GET", path: "/groups", query };
        const page = await sendForJson(request, groupPageSchema);
        groups.push(...page.items);
        cursor = page.nextCursor || null;
        // A server that hands back a cursor it gave before would keep us paging for ever.
        if (cursor && seenCursors.has(cursor)) {
          throw new PermanentError("surecloud-rejected", "SureCloud listGroups repeated a page cursor");
        }
        if (cursor) seenCursors.add(cursor);
      } while (cursor);
      return groups;
    },

    async findUser(lookup) {
      const [key, value] = lookupFilter(lookup);
      const request: ApiRequest = {
        operation: "findUsers",
        method: "GET",
        path: "/users",
        query: { [key]: value },
      };
      const { items } = await sendForJson(request, userListSchema);
      // Linking the wrong person is the worst mistake this worker can make: trust only a real match.
      const match = items.find((user) => matchesLookup(user, key, value));
      if (items.length > 0 && !match) {
        throw new PermanentError(
          "surecloud-rejected",
          `SureCloud findUsers answered users that do not match ${key}`,
        );
      }
      return match;
    },

    createUser(user) {
      return sendForJson(
        { operation: "createUser", method: "POST", path: "/users", body: user },
        sureCloudUserSchema,
      );
    },

    updateUser(userId, patch) {
      const request: ApiRequest = {
        operation: "updateUser",
        method: "PATCH",
        path: path("users", userId),
        body: patch,
      };
      return sendForJson(request, sureCloudUserSchema);
    },

    async listUserGroups(userId) {
      const request: ApiRequest = {
        operation: "listUserGroups",
        method: "GET",
        path: path("users", userId, "groups"),
      };
      return (await sendForJson(request, groupRefListSchema)).items;
    },

    async addMember(groupId, userId) {
      await send({ operation: "addMember", method: "PUT", path: path("groups", groupId, "members", userId) });
    },

    async removeMember(groupId, userId) {
      await send({
        operation: "removeMember",
        method: "DELETE",
        path: path("groups", groupId, "members", userId),
      });
    },
  };
}

type LookupKey = "externalId" | "userName" | "email";

function lookupFilter(lookup: UserLookup): [LookupKey, string] {
  if ("externalId" in lookup) return ["externalId", lookup.externalId];
  if ("userName" in lookup) return ["userName", lookup.userName];
  return ["email", lookup.email];
}

/** The contract's matching rules: externalId exact, userName and email case-insensitive. */
function matchesLookup(user: SureCloudUser, key: LookupKey, value: string): boolean {
  switch (key) {
    case "externalId":
      return user.externalId === value;
    case "userName":
    case "email":
      return user[key].toLowerCase() === value.toLowerCase();
    default: {
      const never: never = key;
      return never;
    }
  }
}

/** Sends requests through the gate, times them, and turns every failure into the job's error classes. */
function makeTransport(options: SureCloudClientOptions) {
  const { token, timeoutMs, gate, onCall } = options;
  if (!token) throw new ConfigError("SureCloud token is empty");
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // Servers can echo what they were sent; nothing that leaves this module may carry the token.
  const scrub = (text: string) => text.split(token).join("[redacted]");

  async function send(request: ApiRequest): Promise<{ status: number; text: string }> {
    const { operation, method } = request;
    await gate?.acquire();
    const started = performance.now();
    const report = (status: SureCloudCall["status"]) =>
      onCall?.({ operation, method, status, durationMs: performance.now() - started });
    let response: Response;
    let text: string;
    try {
      response = await doFetch(urlOf(baseUrl, request), {
        method,
        headers: headersFor(token, request.body !== undefined),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // The contract has no redirects; following one could carry the token elsewhere.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = nameOf(error) === "TimeoutError";
      report(timedOut ? "timeout" : "network");
      throw new RetryableError(
        timedOut
          ? `SureCloud ${operation} got no answer within ${timeoutMs} ms`
          : scrub(`SureCloud ${operation} could not reach the server: ${describeFailure(error)}`),
      );
    }
    report(response.status);
    if (response.ok) return { status: response.status, text };

    const retryAfterMs =
      response.status === 429 ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
    // The tenant as a whole is over its limit, so every job of the tenant waits, not just this one.
    if (retryAfterMs !== undefined) gate?.pauseFor(retryAfterMs);
    const message = scrub(`SureCloud ${operation} answered ${response.status}${describeErrorBody(text)}`);
    throw errorForStatus(response.status, message, retryAfterMs);
  }

  async function sendForJson<T>(request: ApiRequest, schema: z.ZodType<T>): Promise<T> {
    const { status, text } = await send(request);
    const fail = (why: string) =>
      new PermanentError(
        "surecloud-rejected",
        scrub(`SureCloud ${request.operation} answered ${status} ${why}`),
        {
          status,
        },
      );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail("with a body that is not JSON");
    }
    const result = schema.safeParse(json);
    if (!result.success)
      throw fail(
        `with a body outside the contract: ${formatIssues(result.error, { root: "(body)", limit: 3 })}`,
      );
    return result.data;
  }

  return { send, sendForJson };
}

function urlOf(baseUrl: string, { path, query }: ApiRequest): string {
  const pairs = Object.entries(query ?? {}).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  );
  return pairs.length === 0 ? `${baseUrl}${path}` : `${baseUrl}${path}?${pairs.join("&")}`;
}

function headersFor(token: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
  if (hasBody) headers["content-type"] = "application/json";
  return headers;
}

function nameOf(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset) sits in its cause. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
