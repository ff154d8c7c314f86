// What the worker remembers of each Auth0 user it synced, kept in Redis so every worker process
// agrees: the newest version applied (ordering, rule 2), the SureCloud user it is linked to (so an
// update needs no look-up), and whether the directive attribute was present (so a directive that
// disappears is recognised without `previous_object`, rule 7). Read and written only while the
// user's lock is held.
import type { RedisClient } from "../../shared/redisConnection.js";
import { scanKeys } from "../../shared/redisScan.js";

export type VersionVerdict = "newer" | "stale" | "duplicate";

/** What the last applied job left for the next one. */
export interface Remembered {
  /** The SureCloud user the Auth0 user was linked to or created as. */
  sureCloudUserId?: string;
  /** The directive attribute was present in that job. */
  directiveSeen: boolean;
  /** The app roles attribute was present in that job (for tenants whose directive comes from roles). */
  rolesSeen?: boolean;
}

export interface VersionCheck {
  verdict: VersionVerdict;
  /** Undefined for a user never synced. */
  remembered: Remembered | undefined;
}

export interface UserVersions {
  /** Compares a job's version with the newest applied for the user, and returns what is remembered. */
  check(tenantId: string, auth0UserId: string, version: string, eventId: string): Promise<VersionCheck>;
  /** Records a version as applied, with what to remember. */
  record(
    tenantId: string,
    auth0UserId: string,
    version: string,
    eventId: string,
    remembered: Remembered,
  ): Promise<void>;
  /** The Auth0 users of a tenant with a version recorded (synced in the retention period), sorted. */
  syncedUsers(tenantId: string): Promise<string[]>;
}

/** Applied versions are kept 180 days: far past Auth0's redelivery window. */
const RETENTION_SECONDS = 180 * 24 * 3600;

export function makeUserVersions(redis: RedisClient, prefix: string): UserVersions {
  const tenantPrefix = (tenantId: string) => `${prefix}:version:${tenantId}:`;
  const keyFor = (tenantId: string, userId: string) => `${tenantPrefix(tenantId)}${userId}`;
  return {
    async check(tenantId, auth0UserId, version, eventId) {
      const stored = parseStored(await redis.get(keyFor(tenantId, auth0UserId)));
      if (!stored) return { verdict: "newer", remembered: undefined };
      const jobMs = Date.parse(version);
      const verdict: VersionVerdict =
        jobMs < stored.ms
          ? "stale"
          : jobMs === stored.ms && stored.eventId === eventId
            ? "duplicate"
            : "newer";
      return { verdict, remembered: stored.remembered };
    },
    async record(tenantId, auth0UserId, version, eventId, remembered) {
      const value: StoredVersion = { ms: Date.parse(version), eventId, remembered };
      await redis.set(keyFor(tenantId, auth0UserId), JSON.stringify(value), "EX", RETENTION_SECONDS);
    },
    async syncedUsers(tenantId) {
      const start = tenantPrefix(tenantId);
      // Versions spread over a cluster's nodes (one key a user, no hash tag): scanned node by node.
      const keys = await scanKeys(redis, `${start}*`);
      return keys.map((key) => key.slice(start.length)).sort();
    },
  };
}

interface StoredVersion {
  ms: number;
  eventId: string;
  remembered: Remembered | undefined;
}

/** Reads both layouts: JSON, and `<ms>|<eventId>` from before anything else was remembered. */
function parseStored(stored: string | null): StoredVersion | undefined {
  if (!stored) return undefined;
  if (stored.startsWith("{")) {
    const value = JSON.parse(stored) as StoredVersion;
    return { ms: Number(value.ms), eventId: String(value.eventId), remembered: value.remembered };
  }
  const at = stored.indexOf("|");
  const [ms, eventId] = at < 0 ? [stored, ""] : [stored.slice(0, at), stored.slice(at + 1)];
  return { ms: Number(ms), eventId, remembered: undefined };
}
