// Leaves Redis as the benchmark found it: the queues and keys each part created are removed when
// the part ends, and also when the run is interrupted with Ctrl-C halfway through.
import type { Redis } from "ioredis";

type Cleanup = () => Promise<void>;
const pending = new Set<Cleanup>();

/** Runs `work`, then `cleanup` — also if the run is interrupted while `work` runs. */
export async function withCleanup<T>(cleanup: Cleanup, work: () => Promise<T>): Promise<T> {
  pending.add(cleanup);
  try {
    return await work();
  } finally {
    pending.delete(cleanup);
    await cleanup();
  }
}

/** On SIGINT/SIGTERM, cleans up what is still open, then exits 130. */
export function cleanUpOnInterrupt(): void {
  const onSignal = (signal: string) => {
    process.stderr.write(`\n${signal}: cleaning up the benchmark's queues and keys...\n`);
    void Promise.allSettled([...pending].map((cleanup) => cleanup())).then(() => process.exit(130));
  };
  process.once("SIGINT", () => onSignal("SIGINT"));
  process.once("SIGTERM", () => onSignal("SIGTERM"));
}

/** Deletes every key whose name starts with `prefix` (the worker's lock and version keys). */
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
