// Opens the sync queue for an operations command. Unlike the worker, which waits out a Redis outage,
// a command fails at once with a message naming the (masked) Redis URL: an operator is waiting.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { maskUrl } from "../../shared/redact.js";

export interface QueueHandle {
  queue: Queue;
  /** The connection the queue uses, for the few reads BullMQ has no method for. */
  redis: Redis;
  close(): Promise<void>;
}

export interface ConnectQueueOptions {
  redisUrl: string;
  queueName: string;
  /** How long to wait for Redis to accept the connection. Default 5000 ms. */
  connectTimeoutMs?: number;
}

export async function connectQueue(options: ConnectQueueOptions): Promise<QueueHandle> {
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 1,
    // One attempt: a command that cannot reach Redis should say so, not retry in silence.
    retryStrategy: () => null,
  });
  // connect() rejects only with "Connection is closed"; the cause (ECONNREFUSED, a DNS failure, an
  // auth error) arrives as an error event, so keep the last one for the message.
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? (error as Error);
    throw new Error(`cannot reach Redis at ${maskUrl(options.redisUrl)}: ${cause.message}`);
  }
  const queue = new Queue(options.queueName, { connection: redis });
  return {
    queue,
    redis,
    async close() {
      await queue.close();
      // BullMQ leaves a connection it was given open; this command owns it.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
