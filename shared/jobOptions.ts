// BullMQ options for every sync job, whoever queues it (the Action, a resync), so that every job
// retries and is kept the same way.
import type { JobsOptions } from "bullmq";

/**
 * The backoff type of a sync job. It is not one of BullMQ's built-in types: the worker registers it
 * (`settings.backoffStrategy`, worker/queueWorker.ts), so the worker owns retry timing — BullMQ's
 * exponential curve with jitter from the delay and jitter below, never sooner than a 429's
 * Retry-After, and a base delay an operator can change (RETRY_BASE_DELAY_MS) without redeploying.
 */
export const RETRY_BACKOFF_TYPE = "surecloud";

/** Base of the exponential curve: the longest possible wait before the first retry. */
const BACKOFF_DELAY_MS = 2_000;

/**
 * Share of each wait that is random: a wait is between (1 − jitter) and 1 times the curve, so jobs
 * that failed together (a SureCloud outage) do not all retry in the same instant.
 */
const BACKOFF_JITTER = 0.5;

/**
 * Attempts including the first run. The waits double from 2 s up to 2048 s, each cut by up to half
 * by the jitter: 34 to 68 minutes from the first failure to the last attempt, so a SureCloud outage
 * of half an hour heals by itself (the design asks for at least 15 minutes).
 */
const ATTEMPTS = 12;

const SEVEN_DAYS_IN_SECONDS = 7 * 24 * 60 * 60;

export const syncJobOptions = {
  attempts: ATTEMPTS,
  backoff: { type: RETRY_BACKOFF_TYPE, delay: BACKOFF_DELAY_MS, jitter: BACKOFF_JITTER },
  /** Completed jobs stay a week (at most 10,000) so a replayed event id still finds its job. */
  removeOnComplete: { age: SEVEN_DAYS_IN_SECONDS, count: 10_000 },
  /** Failed jobs are kept for an operator to inspect and replay. */
  removeOnFail: false,
} as const satisfies JobsOptions;

/**
 * Shortest and longest time from a job's first failure to its last attempt, for a base delay: the
 * waits are base × 2^(n−1) for n = 1 … attempts−1, each less a random share of up to the jitter.
 */
export function retryWindowFor(baseDelayMs: number): { shortestMs: number; longestMs: number } {
  const sumOfCurve = baseDelayMs * (2 ** (ATTEMPTS - 1) - 1);
  return { shortestMs: Math.floor(sumOfCurve * (1 - BACKOFF_JITTER)), longestMs: sumOfCurve };
}

/**
 * How long a failing job is guaranteed to keep retrying (about 34 minutes): the jitter can only
 * shorten a wait, so this is the window when every draw is the shortest. A Retry-After only lengthens it.
 */
export const retryWindowMs = retryWindowFor(BACKOFF_DELAY_MS).shortestMs;
