// How a SureCloud HTTP answer that is not a success becomes one of the job's failure classes:
// 429 and 5xx can be retried, 409 is a conflict, every other status is a rejection.
import { errorBodySchema } from "../../contract/surecloud.js";
import { PermanentError, RetryableError } from "../../shared/errors.js";

/**
 * `Retry-After` as milliseconds, whole seconds or an HTTP date, and never more than `capMs`;
 * undefined when absent or unreadable. The cap is ours: a server asking for years must not get them.
 */
export function parseRetryAfter(
  header: string | null,
  capMs: number,
  nowMs: number = Date.now(),
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, capMs);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - nowMs), capMs);
}

/** The server's `(code): message`, when the body has the contract's error shape. */
export function describeErrorBody(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "";
  }
  const body = errorBodySchema.safeParse(parsed);
  return body.success ? ` (${body.data.error.code}): ${body.data.error.message}` : "";
}

/**
 * The error for a non-2xx answer. `message` is already free of secrets; the caller pauses the tenant
 * on a 429 using the error's retryAfterMs.
 */
export function errorForStatus(status: number, message: string, retryAfterMs?: number): Error {
  if (status === 429) return new RetryableError(message, { status, retryAfterMs });
  if (status >= 500) return new RetryableError(message, { status });
  if (status === 409) return new PermanentError("conflict", message, { status });
  return new PermanentError("surecloud-rejected", message, { status });
}
