// The tenant's rate gate shared by every worker process: one schedule of evenly spaced slots per
// tenant, kept in Redis, so `requestsPerSecond` holds for the tenant however many replicas run, and
// a 429 met by one replica pauses the tenant in all of them.
//
// Why a script and not rate-limiter-flexible: its Redis limiters count requests in fixed windows of
// whole seconds (SET … EX, then INCRBY), so R requests at the end of one window and R at the start of
// the next pass 2R inside one second, and the tenants file promises at most R in any second. Evenly
// spaced slots (GCRA without burst) keep that promise: each call of one short script takes the
// tenant's next free slot and moves it on by one interval, on Redis's clock (TIME), so every replica
// reads one clock and no two slots are closer than the interval.
//
// Why slots are (1000 + JITTER_ALLOWANCE_MS) / R ms apart, not 1000 / R: SureCloud counts arrivals,
// and a request arrives a little after its slot, by a delay that varies (a late timer, a busy event
// loop, the network). With exactly 1000 / R, one request delayed 1 ms more than the one R slots later
// puts R + 1 arrivals in one second. The allowance costs 5% of the rate; a caller that wakes more than
// half of it after its slot takes a new slot, so only the trip itself spends the other half. What no
// gate can see is the trip after it: a worker's first request, which opens its connection, or one
// whose process (or the server) is not scheduled for a while can arrive later still, beside the next
// R. On a loaded test machine that was a request or two over R in the first second after workers
// start, and one second of R + 1 now and then after it.
//
// When Redis does not answer: this process falls back to its own in-process gate at the tenant's
// rate, and says so in a warning at most once a minute per tenant. Letting requests through unlimited
// could flood SureCloud, and waiting for Redis would hang jobs; the fallback is bounded, because
// without Redis no worker can take a new job, so only the jobs already running send requests.
import type { Logger } from "../../shared/logger.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import { makeRateGate, type RateGate } from "./rateGate.js";

/** How much later than its slot a request may arrive without the tenant's limit being passed, in ms. */
export const JITTER_ALLOWANCE_MS = 50;

/** A caller that wakes this much after its slot takes a new one; the rest of the allowance is the trip's. */
const LATE_MS = JITTER_ALLOWANCE_MS / 2;
const MAX_LATE_ROUNDS = 2;

/** Longest wait for Redis before this process limits the tenant on its own, in ms. */
const REDIS_TIMEOUT_MS = 1_000;

/** Fewest ms between two warnings that the shared limit is unavailable, per tenant. */
const WARN_EVERY_MS = 60_000;

// KEYS[1] the tenant's next free slot, KEYS[2] the end of its pause; ARGV[1] the interval. Times are
// whole microseconds on Redis's clock, written with %d: Lua would print them in %.14g and lose digits.
const reserveScript = `
local clock = redis.call("TIME")
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local slot = math.max(now, tonumber(redis.call("GET", KEYS[1]) or 0), tonumber(redis.call("GET", KEYS[2]) or 0))
local nextSlot = slot + tonumber(ARGV[1])
redis.call("SET", KEYS[1], string.format("%d", nextSlot), "PX", math.ceil((nextSlot - now) / 1000) + 1000)
return {string.format("%d", slot), string.format("%d", now)}`;

// KEYS[1] the end of the tenant's pause; ARGV[1] the pause in ms. A longer pause already set wins.
const pauseScript = `
local clock = redis.call("TIME")
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local untilAt = now + tonumber(ARGV[1]) * 1000
if tonumber(redis.call("GET", KEYS[1]) or 0) < untilAt then
  redis.call("SET", KEYS[1], string.format("%d", untilAt), "PX", ARGV[1])
end
return 1`;

export interface SharedRateGateOptions {
  /** The worker's Redis connection; nothing is sent while it is not ready. */
  redis: RedisClient;
  /** The worker's key prefix (`syncStatePrefix(queueName)`). */
  prefix: string;
  tenantId: string;
  /** Most requests per second to the tenant from every process together. */
  requestsPerSecond: number;
  /** Told when the shared limit is unavailable (at most once a minute) and when it is back. */
  logger: Pick<Logger, "warn" | "info">;
  /** Told the slot each caller was let through at, in ms on Redis's clock; not told in fallback. */
  onSlot?: (slotAtMs: number) => void;
  /** Clock of the local pause and of the warnings, in ms. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms` milliseconds. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SharedRateGate extends RateGate {
  /** As RateGate's; resolves once the pause is written to Redis (or could not be), and never rejects. */
  pauseFor(ms: number): Promise<void>;
}

/** The tenant's keys; the `{tenant}` hash tag keeps both in one cluster slot, so one script may use both. */
export function sharedRateGateKeys(prefix: string, tenantId: string) {
  const base = `${prefix}:rate:{${tenantId}}`;
  return { nextSlot: `${base}:next-slot`, pausedUntil: `${base}:paused-until` };
}

export function makeSharedRateGate(options: SharedRateGateOptions): SharedRateGate {
  const { redis, tenantId, requestsPerSecond, logger, onSlot, now = Date.now, sleep = wait } = options;
  // The in-process gate validates the rate, and is the fallback when Redis does not answer.
  const local = makeRateGate({ requestsPerSecond, now, sleep });
  const keys = sharedRateGateKeys(options.prefix, tenantId);
  const intervalUs = Math.ceil(((1000 + JITTER_ALLOWANCE_MS) * 1000) / requestsPerSecond);
  let localPauseUntil = Number.NEGATIVE_INFINITY;
  let lastWarnAt = Number.NEGATIVE_INFINITY;
  let degraded = false;

  const call = async <T>(send: () => Promise<T>): Promise<T> => {
    if (redis.status !== "ready") throw new Error(`Redis connection is ${redis.status}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([send(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const unavailable = (error: unknown) => {
    degraded = true;
    if (now() - lastWarnAt < WARN_EVERY_MS) return;
    lastWarnAt = now();
    logger.warn(
      { tenant: tenantId, requestsPerSecond, err: { message: messageOf(error) } },
      `the rate limit shared with other workers is unavailable for tenant "${tenantId}": until Redis answers, this process limits it on its own to ${requestsPerSecond} requests/s and pauses it only for the 429s it meets`,
    );
  };

  const available = () => {
    if (!degraded) return;
    degraded = false;
    logger.info(
      { tenant: tenantId },
      `the rate limit shared with other workers is back for tenant "${tenantId}"`,
    );
  };

  /** One slot of the shared schedule: when it is, on Redis's clock, and how long from now, in µs. */
  const reserve = async (): Promise<{ slotUs: number; waitUs: number }> => {
    const reply = await call(() => redis.eval(reserveScript, 2, keys.nextSlot, keys.pausedUntil, intervalUs));
    const [slotUs, nowUs] = (reply as [string, string]).map(Number) as [number, number];
    return { slotUs, waitUs: slotUs - nowUs };
  };

  /** The end of the tenant's pause, in µs on Redis's clock; 0 when none, or when it cannot be read. */
  const pausedUntilUs = () =>
    call(() => redis.get(keys.pausedUntil)).then(Number, (error) => {
      unavailable(error);
      return 0;
    });

  const waitOutLocalPause = async () => {
    while (localPauseUntil > now()) await sleep(localPauseUntil - now());
  };

  return {
    async acquire() {
      for (let lateRounds = 0; ; ) {
        await waitOutLocalPause();
        let slot: { slotUs: number; waitUs: number };
        try {
          slot = await reserve();
        } catch (error) {
          unavailable(error);
          return local.acquire();
        }
        available();
        if (slot.waitUs > 0) {
          const dueAt = performance.now() + slot.waitUs / 1000;
          await sleep(Math.ceil(slot.waitUs / 1000));
          // A pause set while this caller waited, here or by another replica, sends it round again
          // for a slot after the pause. (A slot granted at once was checked against it by the script.)
          if ((await pausedUntilUs()) > slot.slotUs || localPauseUntil > now()) continue;
          // So does waking late (a busy event loop, a GC pause): sent now, the request would crowd
          // the next slots. Twice at most, so a process that is always late still gets requests out.
          const lateMs = performance.now() - dueAt;
          if (lateMs > LATE_MS && lateRounds++ < MAX_LATE_ROUNDS) continue;
        }
        onSlot?.(slot.slotUs / 1000);
        return;
      }
    },
    pauseFor(ms) {
      if (!(ms > 0)) return Promise.resolve();
      local.pauseFor(ms);
      localPauseUntil = Math.max(localPauseUntil, now() + ms);
      return call(() => redis.eval(pauseScript, 1, keys.pausedUntil, Math.ceil(ms))).then(
        () => undefined,
        unavailable,
      );
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
