// How the SureCloud client talks HTTP: each request goes through the tenant's gate, is timed and
// reported, has its answer read up to a size limit, and leaves as the answer's text or as one of
// the job's error classes. The token never leaves this module in an error.
import type { z } from "zod";
import { formatIssues } from "../../shared/configIssues.js";
import { ConfigError, PermanentError, RetryableError } from "../../shared/errors.js";
import { workerDefaults } from "../defaults.js";
import { formatBytes, readBoundedText } from "./boundedBody.js";
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

export interface TransportOptions {
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
  /** The tenant's id, named in the errors of reads given up as too long or too large. */
  tenantId?: string;
  /** Longest 429 Retry-After honoured, in ms. Default workerDefaults.SURECLOUD_RETRY_AFTER_CAP_MS. */
  retryAfterCapMs?: number;
  /** Largest answer read, in bytes. Default workerDefaults.SURECLOUD_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
export interface ApiRequest {
  /** The contract's operationId. */
  operation: string;
  method: Method;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** Enough of an error answer for the contract's error body; the rest is not read. */
const ERROR_BODY_BYTES = 64 * 1024;

/** Sends requests through the gate, times them, and turns every failure into the job's error classes. */
export function makeTransport(options: TransportOptions) {
  const { token, timeoutMs, gate, onCall } = options;
  if (!token) throw new ConfigError("SureCloud token is empty");
  const retryAfterCapMs = options.retryAfterCapMs ?? workerDefaults.SURECLOUD_RETRY_AFTER_CAP_MS;
  const maxResponseBytes = options.maxResponseBytes ?? workerDefaults.SURECLOUD_MAX_RESPONSE_BYTES;
  const forTenant = options.tenantId === undefined ? "" : ` for tenant "${options.tenantId}"`;
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
    let text: string | undefined;
    try {
      response = await doFetch(urlOf(baseUrl, request), {
        method,
        headers: headersFor(token, request.body !== undefined),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // The contract has no redirects; following one could carry the token elsewhere.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      // An error answer is read only far enough to say what went wrong.
      text = await readBoundedText(response, response.ok ? maxResponseBytes : ERROR_BODY_BYTES);
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
    if (response.ok) {
      if (text !== undefined) return { status: response.status, text };
      throw new PermanentError(
        "surecloud-rejected",
        `SureCloud ${operation}${forTenant} answered ${response.status} with more than the ${formatBytes(maxResponseBytes)} allowed for one answer; reading stopped there`,
        { status: response.status },
      );
    }

    const retryAfterMs =
      response.status === 429
        ? parseRetryAfter(response.headers.get("retry-after"), retryAfterCapMs)
        : undefined;
    // The tenant as a whole is over its limit, so every job of the tenant waits, not just this one.
    if (retryAfterMs !== undefined) gate?.pauseFor(retryAfterMs);
    const message = scrub(
      `SureCloud ${operation} answered ${response.status}${describeErrorBody(text ?? "")}`,
    );
    throw errorForStatus(response.status, message, retryAfterMs);
  }

  async function sendForJson<T>(request: ApiRequest, schema: z.ZodType<T>): Promise<T> {
    const { status, text } = await send(request);
    const fail = (why: string) =>
      new PermanentError(
        "surecloud-rejected",
        scrub(`SureCloud ${request.operation} answered ${status} ${why}`),
        { status },
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

  return { send, sendForJson, forTenant };
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
