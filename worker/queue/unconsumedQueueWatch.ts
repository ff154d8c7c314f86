// The worker's periodic look for queues with waiting jobs that no worker consumes
// (unconsumedQueues.ts): a gauge by queue, and a warning in the log at most once per few minutes
// per queue, so a mistyped QUEUE_NAME in the Action is seen rather than waited on for ever.

import type { Logger } from "../../shared/logger.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import type { WorkerMetrics } from "../metrics.js";
import { findUnconsumedQueues, type UnconsumedQueue } from "./unconsumedQueues.js";

export interface UnconsumedQueueWatchOptions {
  redis: RedisClient;
  /** The worker's own queue: consumed by this process, so never reported. */
  queueName: string;
  metrics: WorkerMetrics;
  logger: Logger;
  /** BullMQ prefix to look under. Default `bull`. */
  prefix?: string;
  /** Between two looks. Default 60 s. */
  intervalMs?: number;
  /** Least time between two warnings about one queue. Default 5 minutes. */
  warnEveryMs?: number;
  now?: () => number;
}

export interface UnconsumedQueueWatch {
  /** Looks once: sets the gauge, warns where due, returns what it found. */
  check(): Promise<UnconsumedQueue[]>;
  stop(): void;
}

/** Starts looking at once and then every interval; the timer never keeps the process alive. */
export function watchUnconsumedQueues(options: UnconsumedQueueWatchOptions): UnconsumedQueueWatch {
  const { redis, metrics, logger } = options;
  const now = options.now ?? Date.now;
  const warnEveryMs = options.warnEveryMs ?? 5 * 60_000;
  const warnedAt = new Map<string, number>();

  const check = async (): Promise<UnconsumedQueue[]> => {
    const found = await findUnconsumedQueues(redis, { prefix: options.prefix, exclude: [options.queueName] });
    metrics.unconsumedQueueJobs.reset();
    for (const queue of found) {
      metrics.unconsumedQueueJobs.set({ queue: queue.queue }, queue.waiting);
      const last = warnedAt.get(queue.queue);
      if (last !== undefined && now() - last < warnEveryMs) continue;
      warnedAt.set(queue.queue, now());
      logger.warn(
        { ...queue, workerQueue: options.queueName },
        `queue "${queue.queue}" has ${queue.waiting} waiting job(s) and no worker consumes it ` +
          `(this worker consumes "${options.queueName}"): is the Action's QUEUE_NAME the worker's?`,
      );
    }
    return found;
  };
  const look = () =>
    void check().catch((error: Error) =>
      // Redis being down is already logged by the connection; one line at debug is enough here.
      logger.debug({ err: { message: error.message } }, "looking for unconsumed queues failed"),
    );
  look();
  const timer = setInterval(look, options.intervalMs ?? 60_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
