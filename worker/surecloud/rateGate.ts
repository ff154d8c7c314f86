// The per-tenant gate every SureCloud request passes through: it spaces requests evenly to stay under
// the tenant's rate, and a 429 pauses the whole tenant, not just the job that met it.

export interface RateGate {
  /** Resolves when this caller may send one request; callers are served in arrival order. */
  acquire(): Promise<void>;
  /** Holds back every request of the tenant for `ms` from now (a longer pause already set wins). */
  pauseFor(ms: number): void;
}

export interface RateGateOptions {
  /** Most requests per second; requests are spaced 1000 / requestsPerSecond ms apart. */
  requestsPerSecond: number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms` milliseconds. Default a timer: the global setTimeout, so a test's fake timers reach it. */
  sleep?: (ms: number) => Promise<void>;
}

export function makeRateGate(options: RateGateOptions): RateGate {
  const { requestsPerSecond, now = Date.now, sleep = wait } = options;
  if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
    throw new RangeError(`requestsPerSecond must be a positive number, got ${requestsPerSecond}`);
  }
  const intervalMs = 1000 / requestsPerSecond;
  // Evenly spaced slots: each caller reserves the next free slot, so waiting callers keep their order
  // and never burst together when they wake.
  let nextSlotAt = Number.NEGATIVE_INFINITY;
  let pausedUntil = Number.NEGATIVE_INFINITY;

  return {
    async acquire() {
      for (;;) {
        const current = now();
        const slot = Math.max(current, nextSlotAt, pausedUntil);
        nextSlotAt = slot + intervalMs;
        if (slot > current) await sleep(slot - current);
        // A pause that arrived while this caller waited sends it round again for a slot after the pause.
        if (now() >= pausedUntil) return;
      }
    },
    pauseFor(ms) {
      if (!(ms > 0)) return;
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
