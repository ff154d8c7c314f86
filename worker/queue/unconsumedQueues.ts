// Queues with waiting jobs that no worker consumes: jobs queued under another QUEUE_NAME than the
// workers' wait forever without a sign. Queues are found by their BullMQ wait lists under a prefix
// (SCAN, never KEYS); consumers by the client names BullMQ workers give their connections
// (`Queue.getWorkersCount()`). Read by the worker (unconsumedQueueWatch.ts) and by `status`.
import { Queue } from "bullmq";
import type { RedisClient } from "../../shared/redisConnection.js";
import { scanKeys } from "../../shared/redisScan.js";

/** BullMQ's key prefix when none is configured: the worker, the Action and the CLI all use it. */
export const BULLMQ_PREFIX = "bull";

export interface UnconsumedQueue {
  queue: string;
  /** Jobs waiting (prioritized ones included). */
  waiting: number;
  /** When the job waiting longest was queued (ISO 8601); null when it could not be read. */
  oldestWaitingSince: string | null;
}

export interface FindUnconsumedOptions {
  prefix?: string;
  /** Queues not to report, such as the worker's own while it starts. */
  exclude?: string[];
}

/** Every queue under the prefix with waiting jobs and no worker, by queue name. */
export async function findUnconsumedQueues(
  redis: RedisClient,
  options: FindUnconsumedOptions = {},
): Promise<UnconsumedQueue[]> {
  const prefix = options.prefix ?? BULLMQ_PREFIX;
  const names = (await scanQueueNames(redis, prefix)).filter((name) => !options.exclude?.includes(name));
  const found: UnconsumedQueue[] = [];
  for (const name of names.sort()) {
    // Looking must not write: no queue metadata for another queue's name.
    const queue = new Queue(name, { connection: redis, prefix, skipMetasUpdate: true });
    queue.on("error", () => undefined);
    try {
      const unconsumed = await inspect(redis, queue);
      if (unconsumed) found.push(unconsumed);
    } finally {
      await queue.close();
    }
  }
  return found;
}

async function inspect(redis: RedisClient, queue: Queue): Promise<UnconsumedQueue | undefined> {
  const [waitingCount, prioritized] = await Promise.all([
    redis.llen(queue.toKey("wait")),
    redis.zcard(queue.toKey("prioritized")),
  ]);
  const waiting = waitingCount + prioritized;
  if (waiting === 0 || (await queue.getWorkersCount()) > 0) return undefined;
  // BullMQ pushes new jobs on the left and takes from the right: the oldest is last.
  const oldestId = waitingCount > 0 ? await redis.lindex(queue.toKey("wait"), -1) : null;
  const queuedAt = oldestId ? Number(await redis.hget(queue.toKey(oldestId), "timestamp")) : Number.NaN;
  return {
    queue: queue.name,
    waiting,
    oldestWaitingSince: Number.isFinite(queuedAt) && queuedAt > 0 ? new Date(queuedAt).toISOString() : null,
  };
}

/** The names of the queues under `prefix` that have a wait list: one SCAN, node by node on a cluster. */
export async function scanQueueNames(redis: RedisClient, prefix: string): Promise<string[]> {
  const start = `${prefix}:`;
  const end = ":wait";
  const keys = await scanKeys(redis, `${escapeGlob(start)}*${end}`);
  const names = new Set(keys.map((key) => key.slice(start.length, -end.length)));
  return [...names].filter((name) => name.length > 0 && !name.includes(":"));
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
