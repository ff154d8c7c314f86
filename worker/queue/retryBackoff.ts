// Retry timing is the worker's: the `surecloud` backoff that shared/jobOptions.ts names, computed here.
import type { BackoffStrategy } from "bullmq";
import { RetryableError } from "../../shared/errors.js";
import { workerDefaults } from "../defaults.js";

/** Base delay for a job that names the worker's backoff without one; the Action always sets it. */
const FALLBACK_BASE_DELAY_MS = 2_000;

/**
 * The `surecloud` backoff of actions/jobOptions.ts: BullMQ's exponential curve with jitter — wait
 * base × 2^(retry−1), less a random share of up to `jitter` of it — from the job's own delay and
 * jitter (or `baseDelayMs`), and never sooner than the Retry-After of a 429, up to `retryAfterCapMs`
 * (a Retry-After of years would otherwise park the job for years instead of failing it visibly).
 */
export function retryBackoff(
  baseDelayMs?: number,
  random: () => number = Math.random,
  retryAfterCapMs: number = workerDefaults.SURECLOUD_RETRY_AFTER_CAP_MS,
): BackoffStrategy {
  return (attemptsMade, _type, error, job) => {
    const own = job?.opts.backoff;
    const options = typeof own === "object" ? own : undefined;
    const base = baseDelayMs ?? options?.delay ?? FALLBACK_BASE_DELAY_MS;
    const jitter = options?.jitter ?? 0;
    const full = base * 2 ** (Math.max(1, attemptsMade) - 1);
    const backoff = Math.floor(full * (1 - jitter) + full * jitter * random());
    const retryAfterMs = error instanceof RetryableError ? (error.retryAfterMs ?? 0) : 0;
    return Math.max(backoff, Math.min(retryAfterMs, retryAfterCapMs));
  };
}
