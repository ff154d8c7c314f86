// The intake's producer: a Redis connection of its own that fails fast (no offline queue, a short
// connect timeout, a bounded wait per job), so that during a Redis outage a delivery gets 503 at
// once and Auth0 retries it, rather than hanging. The worker's own connection waits out outages.
import { Queue } from "bullmq";
import { jobIdFor, type SyncJob } from "../../shared/job.js";
import { syncJobOptions } from "../../shared/jobOptions.js";
import { openRedis } from "../../shared/redisConnection.js";
import { queuePrefix, type RedisSettings } from "../../shared/redisSettings.js";
import { withTimeout } from "../../shared/withTimeout.js";

export interface IntakeQueue {
  /** Stores the event's job and returns its id; throws when Redis does not store it in time. */
  store(job: SyncJob): Promise<string>;
  close(): Promise<void>;
}

export interface IntakeQueueOptions {
  /** The worker's Redis: a single node, a cluster or a sentinel group. */
  redis: RedisSettings;
  queueName: string;
  /** Longest wait for Redis to store one job. */
  storeTimeoutMs: number;
  /** Hears the first connection error of each outage (a reconnect that fails again is not repeated). */
  onConnectionError: (error: Error) => void;
}

/** Longest pause between reconnects: the intake heals within this once Redis is back. */
const MAX_RECONNECT_DELAY_MS = 1_000;

export function makeIntakeQueue(options: IntakeQueueOptions): IntakeQueue {
  // Unlike the Action's, this process lives on: it keeps reconnecting, so it heals by itself.
  const connection = openRedis(options.redis, {
    role: "producer",
    maxReconnectDelayMs: MAX_RECONNECT_DELAY_MS,
    // Lets an operator see in CLIENT LIST which connection is the intake's.
    connectionName: `group-sync-intake:${options.queueName}`,
  });
  let reported = false;
  connection.on("ready", () => {
    reported = false;
  });
  connection.on("error", (error: Error) => {
    if (reported) return;
    reported = true;
    options.onConnectionError(error);
  });
  const queue = new Queue<SyncJob>(options.queueName, { connection, prefix: queuePrefix(options.redis) });
  // BullMQ re-emits connection errors on the queue; the listener above has reported them.
  queue.on("error", () => undefined);
  return {
    async store(job) {
      // A redelivered event has the same job id, so BullMQ keeps the one job it has.
      const jobId = jobIdFor("event", job.event.id);
      const adding = queue.add(job.event.type, job, { ...syncJobOptions, jobId });
      await withTimeout(adding, options.storeTimeoutMs, "Redis");
      return jobId;
    },
    async close() {
      // Disconnect first: a queue still waiting for its first connection would never close.
      connection.disconnect();
      await queue.close().catch(() => undefined);
    },
  };
}
