// Redis memory per queued job: realistic jobs left waiting on a queue with no worker (the backlog a
// SureCloud outage builds), measured by INFO's used_memory and, since a shared Redis moves used_memory
// for its own reasons, by the MEMORY USAGE of the queue's own keys.
import { randomUUID } from "node:crypto";
import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { REDIS_URL } from "../dev/localStack.js";
import { withCleanup } from "./cleanup.js";
import { addInChunks, realisticJobs } from "./rawBaseline.js";
import { round } from "./stats.js";

export interface RedisMemoryResult {
  jobs: number;
  /** used_memory after minus before, in bytes. */
  usedMemoryDelta: number;
  perJobBytes: number;
  /** Sum of MEMORY USAGE over the queue's keys. */
  queueKeysBytes: number;
  perJobKeysBytes: number;
  /** Bytes of one job's data as JSON, for scale. */
  jobDataBytes: number;
  addSeconds: number;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
}

/** Sum of MEMORY USAGE over every key whose name starts with `prefix`. */
export async function keysBytes(redis: Redis, prefix: string): Promise<number> {
  let total = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory("USAGE", key);
    for (const [error, bytes] of (await pipeline.exec()) ?? []) if (!error) total += Number(bytes ?? 0);
  } while (cursor !== "0");
  return total;
}

export async function measureRedisMemory(
  redis: Redis,
  jobCount: number,
  options: JobsOptions,
): Promise<RedisMemoryResult> {
  const queue = new Queue(`bench-mem-${randomUUID()}`, { connection: { url: REDIS_URL } });
  const cleanup = async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  };
  return withCleanup(cleanup, async () => {
    // A first job creates the queue's fixed keys (meta, events stream) outside the measurement.
    await addInChunks(queue, realisticJobs(1, "mem-warm"), options);
    const before = await usedMemory(redis);
    const started = performance.now();
    const chunk = 1_000;
    let jobDataBytes = 0;
    for (let start = 0; start < jobCount; start += chunk) {
      // Built a chunk at a time so the bench's own heap stays small.
      const jobs = realisticJobs(Math.min(chunk, jobCount - start), `mem-${start}`);
      jobDataBytes = Buffer.byteLength(JSON.stringify(jobs[0]?.data));
      await addInChunks(queue, jobs, options, chunk);
    }
    const addSeconds = (performance.now() - started) / 1000;
    const after = await usedMemory(redis);
    const queueKeysBytes = await keysBytes(redis, `bull:${queue.name}:`);
    return {
      jobs: jobCount,
      usedMemoryDelta: after - before,
      perJobBytes: Math.round((after - before) / jobCount),
      queueKeysBytes,
      perJobKeysBytes: Math.round(queueKeysBytes / (jobCount + 1)),
      jobDataBytes,
      addSeconds: round(addSeconds),
    };
  });
}
