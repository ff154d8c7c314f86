// Opens the sync queue for an operations command. Unlike the worker, which waits out a Redis outage,
// a command fails at once with a message naming the Redis (its password masked): an operator is
// waiting. A Redis that answers but refuses the settings (password, database number) is a
// RedisRefusedError, which the CLI reports as a usage error (exit 2): only new settings can help.
import { Queue } from "bullmq";
import { scrubSecrets } from "../../shared/redact.js";
import { openRedis, type RedisClient, redisRefusal } from "../../shared/redisConnection.js";
import { describeRedis, queuePrefix, type RedisSettings, redisSecrets } from "../../shared/redisSettings.js";

export interface QueueHandle {
  queue: Queue;
  /** The connection the queue uses, for the few reads BullMQ has no method for. */
  redis: RedisClient;
  close(): Promise<void>;
}

export interface ConnectQueueOptions {
  /** A single node, a cluster or a sentinel group (shared/redisSettings.ts). */
  redis: RedisSettings;
  queueName: string;
  /** How long to wait for Redis to accept the connection. Default 5000 ms. */
  connectTimeoutMs?: number;
}

/** Redis answered and refused the settings: no retry helps, the settings must change. */
export class RedisRefusedError extends Error {
  override readonly name = "RedisRefusedError";
}

export async function connectQueue(options: ConnectQueueOptions): Promise<QueueHandle> {
  // One attempt, when asked: a command that cannot reach Redis should say so, not retry in silence.
  const redis = openRedis(options.redis, {
    role: "command",
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
  });
  // connect() rejects only with "Connection is closed"; the cause (ECONNREFUSED, a DNS failure, an
  // auth error) arrives as an error event, so keep the first one for the message. A refused
  // database number even lets the connection become ready (on database 0), so check for it too.
  let firstError: Error | undefined;
  redis.on("error", (error: Error) => {
    firstError ??= error;
  });
  const where = describeRedis(options.redis);
  const secrets = redisSecrets(options.redis);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const cause = firstError ?? (error as Error);
    const refusal = redisRefusal(cause);
    if (refusal) throw new RedisRefusedError(`Redis at ${where} ${refusal}`);
    throw new Error(`cannot reach Redis at ${where}: ${scrubSecrets(cause.message, secrets)}`);
  }
  const refusal = firstError && redisRefusal(firstError);
  if (refusal) {
    redis.disconnect();
    throw new RedisRefusedError(`Redis at ${where} ${refusal}`);
  }
  // An operator's command writes no queue metadata: a read (status, check-config) leaves Redis as it
  // was, even for a mistyped queue name, and the worker writes the metadata of the queue it runs.
  const queue = new Queue(options.queueName, {
    connection: redis,
    prefix: queuePrefix(options.redis),
    skipMetasUpdate: true,
  });
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
