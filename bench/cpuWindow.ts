// CPU used by each process of the pipeline over a stretch of the run, in cores (CPU seconds per
// second of wall time): tells whether the worker, the bench process (Action + emulator) or Redis is busy.
import type { Redis } from "ioredis";
import type { ProcessSampler } from "./processSampler.js";
import { round } from "./stats.js";

export interface CpuUse {
  /** The worker process. */
  worker: number;
  /** This process: the Action's producer and the SureCloud emulator. */
  benchProcess: number;
  /** The Redis server (every client of it, so other users of a shared Redis show up too). */
  redis: number;
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

export async function startCpuWindow(
  redis: Redis,
  worker: ProcessSampler,
): Promise<{ end(): Promise<CpuUse> }> {
  const started = performance.now();
  const bench = process.cpuUsage();
  const workerStart = worker.cpuSeconds();
  const redisStart = await redisCpuSeconds(redis);
  return {
    async end() {
      const seconds = (performance.now() - started) / 1000;
      const benchUsed = process.cpuUsage(bench);
      return {
        worker: round((worker.cpuSeconds() - workerStart) / seconds),
        benchProcess: round((benchUsed.user + benchUsed.system) / 1e6 / seconds),
        redis: round(((await redisCpuSeconds(redis)) - redisStart) / seconds),
      };
    },
  };
}
