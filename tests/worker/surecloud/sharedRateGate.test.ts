// The tenant's rate gate shared through Redis: two gates on one tenant (two worker processes) share
// one schedule of slots and one pause; without Redis a gate falls back to its own in-process limit.
// Every instant asserted on is read on Redis's clock, or on a virtual one.
import { randomUUID } from "node:crypto";
import { connect, createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../dev/freePort.js";
import { makeLogger } from "../../../shared/logger.js";
import { workerDefaults } from "../../../worker/defaults.js";
import {
  JITTER_ALLOWANCE_MS,
  makeSharedRateGate,
  type SharedRateGate,
  type SharedRateGateOptions,
  sharedRateGateKeys,
} from "../../../worker/surecloud/sharedRateGate.js";
import { makeVirtualClock } from "../../helpers/virtualClock.js";

// One connection per gate, as two worker processes would have.
const connections = [0, 1].map(() => new Redis(workerDefaults.REDIS_URL, { maxRetriesPerRequest: null }));
const [first, second] = connections as [Redis, Redis];
const prefixes: string[] = [];

afterEach(async () => {
  const keys = prefixes.splice(0).flatMap((prefix) => Object.values(sharedRateGateKeys(prefix, "acme")));
  if (keys.length > 0) await first.del(...keys);
});
beforeAll(async () => {
  // A gate sends nothing on a connection that is not ready yet: it limits on its own instead.
  await Promise.all(connections.map((connection) => connection.ping()));
});
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
});

/** Redis's clock, in ms. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await first.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

function captureLogs() {
  const lines: Array<{ level: string; msg: string }> = [];
  const logger = makeLogger(
    { name: "rate-gate-test" },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  return { lines, logger };
}

/** Gates on tenant acme under one fresh prefix, each with its own connection; `slots` collects what they grant. */
function gatesSharingATenant(requestsPerSecond: number, options: Partial<SharedRateGateOptions> = {}) {
  const prefix = `test-${randomUUID()}`;
  prefixes.push(prefix);
  const slots: number[] = [];
  const gateOn = (redis: Redis): SharedRateGate =>
    makeSharedRateGate({
      redis,
      prefix,
      tenantId: "acme",
      requestsPerSecond,
      logger: makeLogger({ level: "silent" }),
      onSlot: (slotAtMs) => slots.push(slotAtMs),
      ...options,
    });
  return { gates: [gateOn(first), gateOn(second)] as const, slots, prefix };
}

const intervalMs = (requestsPerSecond: number) => (1000 + JITTER_ALLOWANCE_MS) / requestsPerSecond;

describe("makeSharedRateGate on Redis", () => {
  it("spaces the slots of two gates on one tenant one interval apart, so no second holds more than the rate", async () => {
    const { gates, slots } = gatesSharingATenant(20);
    const both = gates.flatMap((gate) => Array.from({ length: 12 }, () => gate));

    await Promise.all(both.map((gate) => gate.acquire()));

    const sorted = [...slots].sort((a, b) => a - b);
    expect(sorted).toHaveLength(24);
    const gaps = sorted.slice(1).map((slot, k) => slot - (sorted[k] ?? 0));
    // Microseconds on Redis's clock, so the interval holds to within rounding.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(intervalMs(20) - 0.001);
    // What the tenants file promises: at most 20 slots in any one-second window (here, from each slot on).
    const busiest = Math.max(
      ...sorted.map((start) => sorted.filter((s) => s >= start && s < start + 1000).length),
    );
    expect(busiest).toBeLessThanOrEqual(20);
  });

  it("lets a caller through no earlier than its slot, on Redis's clock", async () => {
    const { gates, slots } = gatesSharingATenant(10);
    const released = await Promise.all([...gates, ...gates].map((gate) => gate.acquire().then(redisNow)));

    const sorted = [...slots].sort((a, b) => a - b);
    // One millisecond of timer granularity: Node may fire a timer up to 1 ms before its time.
    for (const [k, at] of [...released].sort((a, b) => a - b).entries()) {
      expect(at).toBeGreaterThanOrEqual((sorted[k] ?? Number.POSITIVE_INFINITY) - 1);
    }
  });

  it("a pause set through one gate holds back the other, even a caller already waiting for its slot", async () => {
    const { gates, slots } = gatesSharingATenant(10);
    const [pausing, other] = gates;
    await other.acquire();
    const waiting = [other.acquire(), other.acquire()];

    const pausedAt = await redisNow();
    await pausing.pauseFor(600);
    await Promise.all(waiting);

    const [before, ...after] = slots as [number, ...number[]];
    expect(before).toBeLessThan(pausedAt);
    expect(after).toHaveLength(2);
    for (const slot of after) expect(slot).toBeGreaterThanOrEqual(pausedAt + 600);
    expect(Math.abs((after[1] ?? 0) - (after[0] ?? 0))).toBeGreaterThanOrEqual(intervalMs(10) - 0.001);
  });

  it("gives up a slot it woke late for and takes a later one, twice at most", async () => {
    // Every timer of this gate fires 40 ms late, more than half the jitter allowance.
    const lateSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms + 40));
    const { gates, slots } = gatesSharingATenant(10, { sleep: lateSleep });

    await gates[0].acquire();
    await gates[0].acquire();

    // The second caller woke late for the next slot and the one after, and kept the third it took.
    const [first, kept] = slots as [number, number];
    expect(slots).toHaveLength(2);
    expect(kept - first).toBeGreaterThanOrEqual(3 * intervalMs(10) - 0.001);
  });

  it("keeps the longer pause when a shorter one arrives from another gate", async () => {
    const { gates, slots } = gatesSharingATenant(100);
    const pausedAt = await redisNow();

    await gates[0].pauseFor(800);
    await gates[1].pauseFor(100);
    await gates[1].acquire();

    expect(slots[0]).toBeGreaterThanOrEqual(pausedAt + 800);
  });
});

describe("makeSharedRateGate without Redis", () => {
  // Never connected: a gate on it finds Redis not ready and sends nothing.
  const idle = new Redis(1, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: null });

  it("falls back to the in-process gate at the tenant's rate and warns at most once a minute", async () => {
    const clock = makeVirtualClock();
    const { lines, logger } = captureLogs();
    const gate = makeSharedRateGate({
      redis: idle,
      prefix: "unused",
      tenantId: "acme",
      requestsPerSecond: 10,
      logger,
      ...clock,
    });

    const released = await Promise.all([0, 1, 2].map(() => gate.acquire().then(clock.now)));
    expect(released).toEqual([0, 100, 200]);
    expect(lines.filter((line) => line.level === "warn")).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/tenant "acme".*on its own to 10 requests\/s/);

    await clock.sleep(60_000);
    await gate.acquire();
    expect(lines.filter((line) => line.level === "warn")).toHaveLength(2);
  });

  it("holds the pause it was told of itself, when it cannot tell the other workers", async () => {
    const clock = makeVirtualClock();
    const gate = makeSharedRateGate({
      redis: idle,
      prefix: "unused",
      tenantId: "acme",
      requestsPerSecond: 10,
      logger: makeLogger({ level: "silent" }),
      ...clock,
    });

    await gate.pauseFor(3000);
    await gate.acquire();

    expect(clock.now()).toBe(3000);
  });

  it("falls back when Redis stops answering on an open connection, and says why", async () => {
    // A proxy to the real Redis that can go silent, as a network partition does: the connection
    // stays open and ready, and what is sent vanishes.
    let silent = false;
    const proxy = createServer((client) => {
      const { hostname, port } = new URL(workerDefaults.REDIS_URL);
      const upstream = connect(Number(port || 6379), hostname);
      client.on("data", (chunk) => silent || upstream.write(chunk));
      upstream.on("data", (chunk) => client.write(chunk));
      client.on("close", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    const port = await freePort();
    await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
    const partitioned = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: null });
    const { lines, logger } = captureLogs();
    const prefix = `test-${randomUUID()}`;
    prefixes.push(prefix);
    const gate = makeSharedRateGate({
      redis: partitioned,
      prefix,
      tenantId: "acme",
      requestsPerSecond: 10,
      logger,
    });
    try {
      await partitioned.ping();
      silent = true;
      await gate.acquire();
      expect(lines.map((line) => line.msg)).toEqual([expect.stringMatching(/unavailable for tenant "acme"/)]);
      expect(JSON.stringify(lines[0])).toMatch(/no answer in \d+ ms/);
    } finally {
      partitioned.disconnect();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("goes back to the shared schedule once Redis answers, and says so", async () => {
    const prefix = `test-${randomUUID()}`;
    prefixes.push(prefix);
    const late = new Redis(workerDefaults.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null });
    const { lines, logger } = captureLogs();
    const slots: number[] = [];
    const gate = makeSharedRateGate({
      redis: late,
      prefix,
      tenantId: "acme",
      requestsPerSecond: 100,
      logger,
      onSlot: (slot) => slots.push(slot),
    });
    try {
      await gate.acquire();
      expect(slots).toEqual([]);

      await late.connect();
      await gate.acquire();

      expect(slots).toHaveLength(1);
      expect(lines.map((line) => line.level)).toEqual(["warn", "info"]);
    } finally {
      late.disconnect();
    }
  });
});
