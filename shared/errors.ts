// The failure classes of a sync job. The worker's behaviour follows from the class:
// a RetryableError is retried with backoff, a PermanentError fails the job at once and keeps it.

/** The reasons a job can fail for good; each is shown to operators as-is. */
export const permanentReasons = [
  "invalid-job",
  "invalid-directive",
  "unknown-group",
  "conflict",
  "surecloud-rejected",
  "tenant-misconfigured",
] as const;
export type PermanentReason = (typeof permanentReasons)[number];

/** A failure a retry can fix: network errors, timeouts, 429 and 5xx. */
export class RetryableError extends Error {
  override readonly name = "RetryableError";
  readonly retryable = true;
  /** Milliseconds the server asked us to wait (429 Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** A failure no retry can fix; the job fails at once with `reason` and waits for an operator. */
export class PermanentError extends Error {
  override readonly name = "PermanentError";
  readonly retryable = false;
  readonly reason: PermanentReason;
  readonly status: number | undefined;

  constructor(reason: PermanentReason, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.status = options.status;
  }
}

/** A configuration that cannot run; raised at start-up with a message naming the field. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
