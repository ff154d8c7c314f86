// The worker's Redis connection and how its trouble is told. An outage is waited out (reconnects back
// off, see shared/redisConnection.ts) and logged as one line without a stack at most every few
// seconds, then one line when Redis is back; a Redis that answers but refuses the worker (a wrong
// password, a database it does not have) is no outage, so `onRefused` hears it once, to stop.
import type { Logger } from "../shared/logger.js";
import { openRedis, type RedisClient, redisRefusal } from "../shared/redisConnection.js";
import { describeRedis, type RedisSettings } from "../shared/redisSettings.js";

export interface WorkerRedisOptions {
  logger: Pick<Logger, "warn" | "info">;
  /** Told, once, what Redis refused; the worker stops, since no reconnect can fix it. */
  onRefused: (problem: string) => void;
  /** Fewest ms between two lines about one outage. Default 5000. */
  reportEveryMs?: number;
  now?: () => number;
}

const REPORT_EVERY_MS = 5_000;

export function openWorkerRedis(settings: RedisSettings, options: WorkerRedisOptions): RedisClient {
  const redis = openRedis(settings, { role: "worker", connectionName: "group-sync-worker" });
  const reporter = makeOutageReporter(describeRedis(settings), options);
  redis.on("error", reporter.failed);
  // A cluster also reports each node's own failures.
  redis.on("node error", reporter.failed);
  redis.on("ready", reporter.ready);
  return redis;
}

/** Tells one outage in few lines: the first failure, then at most one line every `reportEveryMs`. */
export function makeOutageReporter(redis: string, options: WorkerRedisOptions) {
  const { logger, now = Date.now, reportEveryMs = REPORT_EVERY_MS } = options;
  let failures = 0;
  let lastReportAt = Number.NEGATIVE_INFINITY;
  let refused = false;
  return {
    failed(error: Error) {
      const refusal = redisRefusal(error);
      if (refusal) {
        if (!refused) options.onRefused(refusal);
        refused = true;
        return;
      }
      failures += 1;
      if (now() - lastReportAt < reportEveryMs) return;
      lastReportAt = now();
      const code = (error as { code?: unknown }).code;
      logger.warn(
        { redis, failedAttempts: failures, err: { message: error.message, ...(code ? { code } : {}) } },
        "cannot reach Redis; retrying with backoff (jobs wait until it answers)",
      );
    },
    ready() {
      if (failures > 0) logger.info({ redis, failedAttempts: failures }, "Redis connection restored");
      failures = 0;
      lastReportAt = Number.NEGATIVE_INFINITY;
    },
  };
}
