// Faults the emulator injects into API requests, switchable at run time: added latency, a share of
// 500s (seeded, or every k-th request, so tests stay deterministic) and bursts of 429 + Retry-After.
import { z } from "zod";
import { parseConfig } from "../../shared/configFile.js";
import { HttpError } from "./httpError.js";

export const faultsSchema = z
  .object({
    /** Milliseconds added before every API request is answered. Default 0. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Share of API requests (0..1) answered 500. Default 0. */
    errorRate: z.number().min(0).max(1).default(0),
    /** Seed for the errorRate draws: the same seed gives the same sequence. Default: random. */
    seed: z.number().int().optional(),
    /** Every k-th API request (counted from this setting) answers 500. Default: off. */
    errorEvery: z.number().int().min(1).optional(),
    /** The next `count` API requests answer 429 with `Retry-After: retryAfterSeconds`. Default: off. */
    throttle: z
      .object({
        count: z.number().int().min(1),
        retryAfterSeconds: z.number().int().min(0).default(1),
      })
      .strict()
      .optional(),
  })
  // Strict: a misspelt fault in a test would otherwise silently inject nothing.
  .strict();
export type FaultsInput = z.input<typeof faultsSchema>;

export interface FaultsStatus {
  latencyMs: number;
  errorRate: number;
  seed: number | null;
  errorEvery: number | null;
  /** `remaining` counts down as 429s are served; null once the burst is over. */
  throttle: { remaining: number; retryAfterSeconds: number } | null;
  /** API requests the fault layer has seen since the faults were last set. */
  seen: number;
}

/** What to do with one request: wait `delayMs`, then either answer `failure` or serve it. */
export interface FaultDecision {
  delayMs: number;
  failure: HttpError | undefined;
}

export interface FaultInjector {
  /** Replaces every fault setting (`{}` switches all off) and restarts the counters. */
  set(input: FaultsInput): void;
  current(): FaultsStatus;
  decide(): FaultDecision;
}

/** mulberry32: tiny, fast and good enough to spread failures evenly (and to seed tests' fuzzing). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeFaultInjector(initial: FaultsInput = {}): FaultInjector {
  let config = parseConfig(faultsSchema, initial, "emulator faults");
  let random = seededRandom(config.seed ?? Math.floor(Math.random() * 2 ** 32));
  let throttleLeft = config.throttle?.count ?? 0;
  let seen = 0;

  const set = (input: FaultsInput): void => {
    config = parseConfig(faultsSchema, input, "emulator faults");
    random = seededRandom(config.seed ?? Math.floor(Math.random() * 2 ** 32));
    throttleLeft = config.throttle?.count ?? 0;
    seen = 0;
  };

  const current = (): FaultsStatus => ({
    latencyMs: config.latencyMs,
    errorRate: config.errorRate,
    seed: config.seed ?? null,
    errorEvery: config.errorEvery ?? null,
    throttle:
      config.throttle && throttleLeft > 0
        ? { remaining: throttleLeft, retryAfterSeconds: config.throttle.retryAfterSeconds }
        : null,
    seen,
  });

  const decide = (): FaultDecision => {
    seen += 1;
    const delayMs = config.latencyMs;
    if (config.throttle && throttleLeft > 0) {
      throttleLeft -= 1;
      const seconds = config.throttle.retryAfterSeconds;
      const failure = new HttpError(429, "rate_limited", `too many requests; retry after ${seconds} s`, {
        "retry-after": String(seconds),
      });
      return { delayMs, failure };
    }
    const everyHit = config.errorEvery !== undefined && seen % config.errorEvery === 0;
    // Draw on every request, so a seeded sequence does not depend on the other settings.
    const rateHit = random() < config.errorRate;
    if (everyHit || rateHit) {
      return { delayMs, failure: new HttpError(500, "internal_error", "injected fault: internal error") };
    }
    return { delayMs, failure: undefined };
  };

  return { set, current, decide };
}
