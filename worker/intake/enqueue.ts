// The intake's producer: a Redis connection of its own that fails fast (no offline queue, a short
// connect timeout, a bounded wait per job), so that during a Redis outage a delivery gets 503 at
// once and Auth0 retries it, rather than hanging. The worker's own connection waits out outages.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { jobIdFor, type SyncJob } from "../../shared/job.js";
import { syncJobOptions } from "../../shared/jobOptions.js";
import { withTimeout } from "../../shared/withTimeout.js";

export interface IntakeQueue {
  /** Stores the event's job and returns its id; throws when Redis does not store it in time. */
  store(job: SyncJob): Promise<string>;
  close(): Promise<void>;
}

export interface IntakeQueueOptions {
  redisUrl: string;
  queueName: string;
  /** Longest wait for Redis to store one job. */
  storeTimeoutMs: number;
  /** Hears the first connection error of each outage (a reconnect that fails again is not repeated). */
  onConnectionError: (error: Error) => void;
}

/** How long the TCP connect may take. */
const CONNECT_TIMEOUT_MS = 2_000;
/** Longest pause between reconnects: the intake heals within this once Redis is back. */
const MAX_RECONNECT_DELAY_MS = 1_000;

export function makeIntakeQueue(options: IntakeQueueOptions): IntakeQueue {
  const connection = new Redis(options.redisUrl, {
    // A producer must fail fast: never park a command while Redis is away.
    enableOfflineQueue: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Unlike the Action's, this process lives on: it keeps reconnecting, so it heals by itself.
    retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
    // Lets an operator see in CLIENT LIST which connection is the intake's.
    connectionName: `group-sync-intake:${options.queueName}`,
  });
  let reported = false;
  connection.on("ready", () => {
    reported = false;
  });
  connection.on("error", (error) => {
    if (reported) return;
    reported = true;
    options.onConnectionError(error);
  });
  const queue = new Queue<SyncJob>(options.queueName, { connection });
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
