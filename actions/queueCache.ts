// The Action's BullMQ queues, one per Redis (node, cluster or sentinel group) and queue name, kept
// while the Auth0 container is warm so that each event costs one Redis round trip rather than a new
// connection.
import { Queue } from "bullmq";
import type { SyncJob } from "../shared/job.js";
import { openRedis, type RedisClient } from "../shared/redisConnection.js";
import { queuePrefix, type RedisSettings } from "../shared/redisSettings.js";

export type SyncQueue = Queue<SyncJob>;

interface CachedQueue {
  queue: SyncQueue;
  connection: RedisClient;
}

const cache = new Map<string, CachedQueue>();

/** How long the TCP connect may take; Auth0 gives the whole run about 10 s. */
const CONNECT_TIMEOUT_MS = 2_000;
/** Reconnect attempts before the client gives up; a run then fails and the next one reconnects. */
const MAX_RECONNECTS = 3;
const MAX_RECONNECT_DELAY_MS = 1_000;

/** Hears connection errors; the failed add reports the cause too, so once per connection is enough. */
export type ConnectionErrorListener = (error: Error) => void;

/** The cached queue for this Redis and queue name, created (and connected) on first use. */
export function queueFor(
  redis: RedisSettings,
  queueName: string,
  onError: ConnectionErrorListener,
): SyncQueue {
  const key = cacheKey(redis, queueName);
  const cached = cache.get(key);
  // A client whose reconnects ran out is dead for good: replace it rather than fail this run too.
  if (cached && cached.connection.status !== "end") return cached.queue;
  if (cached) discard(key, cached);
  const created = createQueue(redis, queueName, onError);
  cache.set(key, created);
  return created.queue;
}

/** Forgets a queue after a failure so that the next run connects afresh. */
export function dropQueue(redis: RedisSettings, queueName: string): void {
  const key = cacheKey(redis, queueName);
  const cached = cache.get(key);
  if (cached) discard(key, cached);
}

/** Closes every cached queue and its connection, so that a script or test can exit. */
export async function closeQueues(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map(closeGracefully));
}

function createQueue(redis: RedisSettings, queueName: string, onError: ConnectionErrorListener): CachedQueue {
  const connection = openRedis(redis, {
    // A producer fails fast: never park a command while Redis is away.
    role: "producer",
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    maxReconnects: MAX_RECONNECTS,
    maxReconnectDelayMs: MAX_RECONNECT_DELAY_MS,
    // Lets an operator (and the tests) see in CLIENT LIST which connections the Action holds.
    connectionName: connectionNameFor(queueName),
    // CLIENT SETINFO is not among the commands the Action's Redis user is granted (`surecloud-sync
    // redis-acl`): refused on every connect, it would only fill Redis's ACL LOG.
    disableClientInfo: true,
  });
  // Without a listener ioredis prints every failed reconnect attempt.
  connection.once("error", onError);
  connection.on("error", () => undefined);
  const queue: SyncQueue = new Queue<SyncJob>(queueName, { connection, prefix: queuePrefix(redis) });
  // BullMQ re-emits connection errors on the queue, where an unheard 'error' event would throw;
  // the connection listener above has already reported them.
  queue.on("error", () => undefined);
  return { queue, connection };
}

function discard(key: string, cached: CachedQueue): void {
  cache.delete(key);
  // Redis may be unreachable, so do not wait for a polite QUIT.
  cached.connection.disconnect();
  cached.queue.close().catch(() => undefined);
}

async function closeGracefully(cached: CachedQueue): Promise<void> {
  await cached.queue.close().catch(() => undefined);
  await cached.connection.quit().catch(() => cached.connection.disconnect());
}

function cacheKey(redis: RedisSettings, queueName: string): string {
  return JSON.stringify([redis, queueName]);
}

/** Redis client names may not contain spaces or newlines. */
export function connectionNameFor(queueName: string): string {
  return `group-sync-action:${queueName.replace(/[^\w.:-]/g, "_")}`;
}
