// Ordering (rule 2): the newest version applied for each Auth0 user, kept in Redis so every worker
// process agrees. Read and written only while the user's lock is held.
import type { Redis } from "ioredis";

export type VersionVerdict = "newer" | "stale" | "duplicate";

export interface UserVersions {
  /** Compares a job's version with the newest applied for the user. */
  check(tenantId: string, auth0UserId: string, version: string, eventId: string): Promise<VersionVerdict>;
  /** Records a version as applied. */
  record(tenantId: string, auth0UserId: string, version: string, eventId: string): Promise<void>;
  /** The Auth0 users of a tenant with a version recorded (synced in the retention period), sorted. */
  syncedUsers(tenantId: string): Promise<string[]>;
}

/** Applied versions are kept 180 days: far past Auth0's redelivery window. */
const RETENTION_SECONDS = 180 * 24 * 3600;

export function makeUserVersions(redis: Redis, prefix: string): UserVersions {
  const tenantPrefix = (tenantId: string) => `${prefix}:version:${tenantId}:`;
  const keyFor = (tenantId: string, userId: string) => `${tenantPrefix(tenantId)}${userId}`;
  return {
    async check(tenantId, auth0UserId, version, eventId) {
      const stored = await redis.get(keyFor(tenantId, auth0UserId));
      if (!stored) return "newer";
      const [storedMs, storedEventId] = splitOnce(stored);
      const jobMs = Date.parse(version);
      if (jobMs < Number(storedMs)) return "stale";
      if (jobMs === Number(storedMs) && storedEventId === eventId) return "duplicate";
      return "newer";
    },
    async record(tenantId, auth0UserId, version, eventId) {
      await redis.set(
        keyFor(tenantId, auth0UserId),
        `${Date.parse(version)}|${eventId}`,
        "EX",
        RETENTION_SECONDS,
      );
    },
    async syncedUsers(tenantId) {
      const start = tenantPrefix(tenantId);
      const ids: string[] = [];
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${start}*`, "COUNT", 1000);
        cursor = next;
        for (const key of keys) ids.push(key.slice(start.length));
      } while (cursor !== "0");
      return ids.sort();
    },
  };
}

function splitOnce(value: string): [string, string] {
  const at = value.indexOf("|");
  return at < 0 ? [value, ""] : [value.slice(0, at), value.slice(at + 1)];
}
