// The per-tenant rate gate: requests are spaced to the tenant's rate, and a pause holds back every caller.
import { describe, expect, it, vi } from "vitest";
import { makeRateGate } from "../../../worker/surecloud/rateGate.js";
import { makeVirtualClock } from "../../helpers/virtualClock.js";

/** Starts `count` acquires at once and resolves to the virtual time each one was let through. */
function acquireAll(gate: ReturnType<typeof makeRateGate>, clock: { now: () => number }, count: number) {
  return Promise.all(Array.from({ length: count }, () => gate.acquire().then(() => clock.now())));
}

describe("makeRateGate", () => {
  it("spaces callers evenly at the configured rate", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 10, ...clock });

    expect(await acquireAll(gate, clock, 5)).toEqual([0, 100, 200, 300, 400]);
  });

  it("lets n sequential requests through in about n / rate", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 4, ...clock });

    for (let i = 0; i < 8; i++) await gate.acquire();

    // The first request goes at once, so 8 requests at 4/s span 7 intervals of 250 ms.
    expect(clock.now()).toBe(1750);
  });

  it("does not wait when the tenant has been idle", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 1, ...clock });
    await gate.acquire();
    await clock.sleep(5000);

    await gate.acquire();

    expect(clock.now()).toBe(5000);
  });

  it("holds back every caller until a pause ends, then resumes at the rate", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 10, ...clock });
    await gate.acquire();

    gate.pauseFor(3000);

    expect(await acquireAll(gate, clock, 3)).toEqual([3000, 3100, 3200]);
  });

  it("sends a caller already waiting for its slot round again when a pause arrives", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 10, ...clock });
    await gate.acquire();

    const waiting = gate.acquire().then(() => clock.now());
    gate.pauseFor(2000);

    expect(await waiting).toBe(2000);
  });

  it("keeps the longer pause when a shorter one arrives", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 100, ...clock });

    gate.pauseFor(5000);
    gate.pauseFor(1000);
    await gate.acquire();

    expect(clock.now()).toBe(5000);
  });

  it("uses the platform clock and timers by default", async () => {
    // Fake timers stand in for Date.now and setTimeout, so the spacing is read on the clock the gate
    // itself uses, exactly, whatever the machine's load.
    vi.useFakeTimers();
    try {
      const gate = makeRateGate({ requestsPerSecond: 50 });
      const started = Date.now();
      const released: number[] = [];
      const all = Promise.all(
        Array.from({ length: 5 }, () => gate.acquire().then(() => released.push(Date.now() - started))),
      );

      await vi.advanceTimersByTimeAsync(79);
      expect(released).toEqual([0, 20, 40, 60]);
      await vi.advanceTimersByTimeAsync(1);
      await all;
      expect(released).toEqual([0, 20, 40, 60, 80]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a rate that is not a positive number", () => {
    expect(() => makeRateGate({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(() => makeRateGate({ requestsPerSecond: Number.NaN })).toThrow(/requestsPerSecond/);
  });
});
