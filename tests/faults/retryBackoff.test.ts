// Retry timing for failures a retry can fix: the Action's job options name the worker's backoff,
// whose waits double with jitter, never come sooner than a 429's Retry-After, and keep a failing
// job retrying for well over the 15 minutes the design asks for.
import type { MinimalJob } from "bullmq";
import { expect, it } from "vitest";
import { PermanentError, RetryableError } from "../../shared/errors.js";
import { retryWindowFor, retryWindowMs, syncJobOptions } from "../../shared/jobOptions.js";
import { retryBackoff } from "../../worker/queue/retryBackoff.js";

const job = { opts: { ...syncJobOptions } } as unknown as MinimalJob;
/** Every wait a job with these options can see, from its first failure to its last attempt. */
const retries = Array.from({ length: syncJobOptions.attempts - 1 }, (_, index) => index + 1);

it("waits double from 2 s, each cut by up to half at random, so failed jobs do not retry in step", () => {
  const shortest = retryBackoff(undefined, () => 0);
  const longest = retryBackoff(undefined, () => 0.999_999);
  const error = new RetryableError("SureCloud answered 503");
  expect(retries.map((n) => shortest(n, "surecloud", error, job))).toEqual(
    retries.map((n) => 1000 * 2 ** (n - 1)),
  );
  retries.forEach((n) => {
    const wait = longest(n, "surecloud", error, job) as number;
    expect(wait).toBeLessThan(2000 * 2 ** (n - 1));
    expect(wait).toBeGreaterThan(0.999 * 2000 * 2 ** (n - 1));
  });
  const draws = new Set(Array.from({ length: 20 }, () => retryBackoff()(3, "surecloud", error, job)));
  expect(draws.size).toBeGreaterThan(1);
  for (const wait of draws) expect(wait).toBeGreaterThanOrEqual(4000);
});

it("a failing job keeps retrying for 34 to 68 minutes, and the published window says so", () => {
  const total = (random: () => number) =>
    retries.reduce(
      (sum, n) => sum + (retryBackoff(undefined, random)(n, "surecloud", undefined, job) as number),
      0,
    );
  expect(total(() => 0)).toBe(retryWindowMs);
  expect(retryWindowMs).toBeGreaterThanOrEqual(15 * 60 * 1000);
  expect(retryWindowMs).toBe(retryWindowFor(2000).shortestMs);
  const longestWindow = retryWindowFor(2000).longestMs;
  expect(total(() => 0.999_999)).toBeLessThanOrEqual(longestWindow);
  expect(total(() => 0.999_999)).toBeGreaterThan(0.999 * longestWindow);
});

it("never retries sooner than SureCloud's Retry-After", () => {
  const backoff = retryBackoff(undefined, () => 0);
  const throttled = new RetryableError("SureCloud answered 429", { status: 429, retryAfterMs: 30_000 });
  expect(backoff(1, "surecloud", throttled, job)).toBe(30_000);
  expect(backoff(7, "surecloud", throttled, job)).toBe(64_000);
  expect(backoff(1, "surecloud", new PermanentError("conflict", "x"), job)).toBe(1000);
});

it("an operator's RETRY_BASE_DELAY_MS replaces the base the job carries", () => {
  expect(retryBackoff(50, () => 0)(3, "surecloud", undefined, job)).toBe(100);
});
