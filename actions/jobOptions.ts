// BullMQ options for every sync job: the Action sets them when it adds a job, and the resync and
// worker can import them so that a job retries the same way whoever queued it.
import type { JobsOptions } from "bullmq";

/** First retry delay; BullMQ's exponential backoff doubles it after each failed attempt. */
const BACKOFF_DELAY_MS = 2_000;

/**
 * Attempts including the first run. With exponential backoff the waits are 2 s, 4 s, … 2048 s:
 * 2 s × (2¹¹ − 1) ≈ 68 minutes in all, so a SureCloud outage of up to about an hour heals by itself
 * (the design asks for at least 15 minutes).
 */
const ATTEMPTS = 12;

const SEVEN_DAYS_IN_SECONDS = 7 * 24 * 60 * 60;

export const syncJobOptions = {
  attempts: ATTEMPTS,
  backoff: { type: "exponential", delay: BACKOFF_DELAY_MS },
  /** Completed jobs stay a week (at most 10,000) so a replayed event id still finds its job. */
  removeOnComplete: { age: SEVEN_DAYS_IN_SECONDS, count: 10_000 },
  /** Failed jobs are kept for an operator to inspect and replay. */
  removeOnFail: false,
} as const satisfies JobsOptions;

/** The longest a job can keep retrying, from its first failure to its last attempt. */
export const retryWindowMs = BACKOFF_DELAY_MS * (2 ** (ATTEMPTS - 1) - 1);
