// SCAN in a way a Redis Cluster accepts: a cluster answers SCAN only for the node asked, so every
// master is scanned in turn; a single node (or a Sentinel's master) is scanned once. The product
// never uses KEYS, which blocks Redis and sees one node only.
import { Cluster } from "ioredis";
import type { RedisClient } from "./redisConnection.js";

/** Calls `each` with every batch of keys matching `pattern`, node by node. */
export async function scanEach(
  redis: RedisClient,
  pattern: string,
  each: (keys: string[], node: RedisClient) => Promise<void> | void,
  count = 1_000,
): Promise<void> {
  const nodes: RedisClient[] = redis instanceof Cluster ? redis.nodes("master") : [redis];
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", count);
      cursor = next;
      if (keys.length > 0) await each(keys, node);
    } while (cursor !== "0");
  }
}

/** Every key matching `pattern`, across all nodes. */
export async function scanKeys(redis: RedisClient, pattern: string, count = 1_000): Promise<string[]> {
  const found: string[] = [];
  await scanEach(redis, pattern, (keys) => void found.push(...keys), count);
  return found;
}
