// One job at a time per user, across every worker process (rule 2). The lock is owned by a job
// id, so a job picked up again after its worker died reclaims its own lock at once.
import type { RedisClient } from "../../shared/redisConnection.js";
import { workerDefaults } from "../defaults.js";

export interface UserLock {
  /** How often a holder renews the lock: a third of its lifetime, so two renewals can fail in a row. */
  readonly renewEveryMs: number;
  /** Takes the user's lock for `owner`; false when another job holds it. */
  acquire(key: string, owner: string): Promise<boolean>;
  /** Keeps the lock alive while a long job runs. */
  extend(key: string, owner: string): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
}

const acquireScript = `
local current = redis.call("GET", KEYS[1])
if current == false or current == ARGV[1] then
  redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
  return 1
end
return 0`;

const extendScript = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`;

const releaseScript = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

/**
 * `ttlMs` bounds how long a dead holder blocks other jobs for its user; the worker passes its BullMQ
 * lock duration, so the job's lock and its user's lock lapse together.
 */
export function makeUserLock(
  redis: RedisClient,
  prefix: string,
  ttlMs: number = workerDefaults.WORKER_LOCK_DURATION_MS,
): UserLock {
  const keyOf = (key: string) => `${prefix}:lock:${key}`;
  return {
    renewEveryMs: Math.max(100, Math.floor(ttlMs / 3)),
    async acquire(key, owner) {
      return (await redis.eval(acquireScript, 1, keyOf(key), owner, ttlMs)) === 1;
    },
    async extend(key, owner) {
      return (await redis.eval(extendScript, 1, keyOf(key), owner, ttlMs)) === 1;
    },
    async release(key, owner) {
      await redis.eval(releaseScript, 1, keyOf(key), owner);
    },
  };
}

/** Runs `work` holding the lock, renewing it every third of its lifetime. */
export async function withLock<T>(
  lock: UserLock,
  key: string,
  owner: string,
  work: () => Promise<T>,
  renewEveryMs = lock.renewEveryMs,
): Promise<T> {
  const timer = setInterval(() => void lock.extend(key, owner).catch(() => undefined), renewEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await lock.release(key, owner);
  }
}
