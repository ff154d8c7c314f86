// Removes keys by prefix with SCAN (never KEYS or FLUSHALL), so local stacks and the benchmark can
// leave a shared Redis as they found it. On a Redis Cluster each master is scanned, and each key is
// unlinked on its own node (one UNLINK of keys in several slots would be refused).
import { Cluster } from "ioredis";
import type { RedisClient } from "../shared/redisConnection.js";
import { scanEach } from "../shared/redisScan.js";

/** Deletes every key whose name starts with `prefix`; resolves to how many were deleted. */
export async function deleteKeys(redis: RedisClient, prefix: string): Promise<number> {
  let deleted = 0;
  await scanEach(redis, `${prefix}*`, async (keys, node) => {
    if (!(redis instanceof Cluster)) deleted += await node.unlink(...keys);
    else for (const count of await Promise.all(keys.map((key) => node.unlink(key)))) deleted += count;
  });
  return deleted;
}
