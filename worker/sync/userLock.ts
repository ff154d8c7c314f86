// One job at a time per user, across every worker process (rule 2). The lock is owned by a job
// id, so a job picked up again after its worker died reclaims its own lock at once.
import type { Redis } from "ioredis";

export interface UserLock {
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

export function makeUserLock(redis: Redis, prefix: string, ttlMs = 30_000): UserLock {
  const keyOf = (key: string) => `${prefix}:lock:${key}`;
  return {
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
  renewEveryMs = 10_000,
): Promise<T> {
  const timer = setInterval(() => void lock.extend(key, owner).catch(() => undefined), renewEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await lock.release(key, owner);
  }
}
