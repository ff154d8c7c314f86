// Removes keys by prefix with SCAN (never KEYS or FLUSHALL), so local stacks and the benchmark can
// leave a shared Redis as they found it.
import type { Redis } from "ioredis";

/** Deletes every key whose name starts with `prefix`; resolves to how many were deleted. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
