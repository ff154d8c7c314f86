// Each running worker process says so in Redis: a small record (host, pid, queue, start time and the
// fingerprint of the tenants file it runs) written on a heartbeat with a TTL, and removed at shutdown.
// A worker that dies without a word drops out when the TTL runs out. `surecloud-sync status` lists
// the records; `check-config` compares their fingerprints with the file on disk.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";
import type { Logger } from "../shared/logger.js";
import type { RedisClient } from "../shared/redisConnection.js";
import { withTimeout } from "../shared/withTimeout.js";
import { workerPresenceIndexKey, workerPresenceKey } from "./redisKeys.js";
import type { TenantsStatus } from "./tenantsReload.js";

/** How often a worker writes its record. */
export const PRESENCE_HEARTBEAT_MS = 10_000;
/** How long a record outlives its last heartbeat: three missed beats and the worker is gone. */
export const PRESENCE_TTL_MS = 30_000;

export const workerPresenceSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  queue: z.string(),
  /** ISO times: the process started; it last wrote this record. */
  startedAt: z.string(),
  seenAt: z.string(),
  /** The tenants file's path as the worker was given it, and the fingerprint of what it runs. */
  tenantsFile: z.string(),
  fingerprint: z.string(),
  loadedAt: z.string(),
  tenants: z.array(z.string()),
  /** The worker refused the file on disk at its last reload, and why. */
  rejected: z.object({ reason: z.string(), at: z.string() }).optional(),
});
export type WorkerPresence = z.infer<typeof workerPresenceSchema>;

export interface WorkerPresenceOptions {
  redis: RedisClient;
  queueName: string;
  tenants: () => TenantsStatus;
  logger: Logger;
  heartbeatMs?: number;
  ttlMs?: number;
}

export interface PresenceHandle {
  /** Writes the record now (after a reload), besides the heartbeat. Never throws. */
  publish(): Promise<void>;
  /** Stops the heartbeat and removes the record. */
  stop(): Promise<void>;
}

export function startWorkerPresence(options: WorkerPresenceOptions): PresenceHandle {
  const { redis, queueName, logger } = options;
  const ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
  const host = hostname();
  const id = `${host}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const key = workerPresenceKey(queueName, id);
  const indexKey = workerPresenceIndexKey(queueName);
  const startedAt = new Date().toISOString();

  const write = async (): Promise<void> => {
    const { file, fingerprint, loadedAt, tenants, rejected } = options.tenants();
    const record: WorkerPresence = {
      id,
      hostname: host,
      pid: process.pid,
      queue: queueName,
      startedAt,
      seenAt: new Date().toISOString(),
      tenantsFile: file,
      fingerprint,
      loadedAt,
      tenants,
      ...(rejected ? { rejected } : {}),
    };
    await redis.set(key, JSON.stringify(record), "PX", ttlMs);
    await redis.sadd(indexKey, id);
    await redis.pexpire(indexKey, ttlMs);
    await pruneIndex(redis, queueName, id);
  };

  // One write at a time: while Redis is down a write waits for it, and beats must not pile up. A
  // publish asked for during a write runs after it, so a reload is never left unpublished.
  let writing: Promise<void> | undefined;
  let again = false;
  const publish = (): Promise<void> => {
    if (writing) {
      again = true;
      return writing;
    }
    writing = write()
      .catch((error: Error) =>
        logger.warn({ err: { message: error.message } }, "worker presence not written"),
      )
      .finally(() => {
        writing = undefined;
        if (again) {
          again = false;
          void publish();
        }
      });
    return writing;
  };

  void publish();
  const heartbeat = setInterval(() => void publish(), options.heartbeatMs ?? PRESENCE_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    publish,
    async stop() {
      clearInterval(heartbeat);
      // At shutdown Redis may be down; the record then expires with its TTL.
      await withTimeout(Promise.all([redis.del(key), redis.srem(indexKey, id)]), 1_000, "Redis").catch(
        (error: Error) => logger.debug({ err: { message: error.message } }, "worker presence left to expire"),
      );
    },
  };
}

/** The workers of a queue that have written their record within its TTL, oldest first. */
export async function listWorkers(redis: RedisClient, queueName: string): Promise<WorkerPresence[]> {
  const ids = await redis.smembers(workerPresenceIndexKey(queueName));
  const texts = await Promise.all(ids.map((id) => redis.get(workerPresenceKey(queueName, id))));
  return texts
    .flatMap((text) => {
      const record = text === null ? undefined : workerPresenceSchema.safeParse(parseJson(text));
      // A record another version wrote in another shape is left out rather than misread.
      return record?.success ? [record.data] : [];
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** Drops from the index the workers whose record has expired (they died without removing it). */
async function pruneIndex(redis: RedisClient, queueName: string, self: string): Promise<void> {
  const indexKey = workerPresenceIndexKey(queueName);
  const others = (await redis.smembers(indexKey)).filter((id) => id !== self);
  const alive = await Promise.all(others.map((id) => redis.exists(workerPresenceKey(queueName, id))));
  const gone = others.filter((_, index) => alive[index] === 0);
  if (gone.length > 0) await redis.srem(indexKey, ...gone);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not a record: left out, as above
  }
}
