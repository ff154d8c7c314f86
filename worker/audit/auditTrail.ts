// The audit trail: every change the worker makes to SureCloud, as a structured log line (for log
// shipping) and in a capped Redis stream `group-sync:<queue>:audit` (for the `audit` command).
// Entries older than the retention, or beyond the entry cap, are trimmed as new ones arrive.
// Stream ids are Redis's clock at the write, so time filters read the stream by id.
import type { Redis } from "ioredis";
import type { Logger } from "../../shared/logger.js";
import { syncStatePrefix } from "../redisKeys.js";
import { type AuditEntry, auditEntrySchema, type StoredAuditEntry, summariseEntry } from "./auditEntry.js";

export interface AuditRecorder {
  /** Records one change. Never throws: a trail that cannot be written must not undo a sync. */
  record(entry: AuditEntry): Promise<void>;
}

export interface AuditFilter {
  tenantId?: string;
  /** Matches the Auth0 user id or the SureCloud user id. */
  user?: string;
  since?: Date;
  until?: Date;
  /** The newest entries kept when more match. Default 1000. */
  limit?: number;
}

export interface AuditTrail extends AuditRecorder {
  /** Matching entries, oldest first. */
  query(filter?: AuditFilter): Promise<StoredAuditEntry[]>;
}

export interface AuditTrailOptions {
  /** Days an entry is kept. Default 400 (a yearly audit plus slack). */
  retentionDays?: number;
  /** Most entries kept, whatever their age; 0 for no cap. Default 500,000 (about 300 MB at worst). */
  maxEntries?: number;
  /** Writes the log copy of each entry; none when absent. */
  logger?: Logger;
  now?: () => number;
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 400;
export const DEFAULT_AUDIT_MAX_ENTRIES = 500_000;
const DAY_MS = 24 * 3600 * 1000;
const READ_BATCH = 500;

export function auditStreamKey(queueName: string): string {
  return `${syncStatePrefix(queueName)}:audit`;
}

export function makeAuditTrail(redis: Redis, queueName: string, options: AuditTrailOptions = {}): AuditTrail {
  const key = auditStreamKey(queueName);
  const retentionMs = (options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * DAY_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_AUDIT_MAX_ENTRIES;
  const now = options.now ?? Date.now;

  return {
    async record(entry) {
      // The log line comes first, so the change is on record even when Redis is down.
      options.logger?.info({ audit: true, ...entry }, `audit: ${summariseEntry(entry)}`);
      try {
        const cutoff = String(Math.max(0, now() - retentionMs));
        const fields = ["tenant", entry.tenantId, "user", entry.auth0UserId, "entry", JSON.stringify(entry)];
        // Exact trimming: at the trail's rate it removes an entry or two per write, and the
        // retention an auditor is told holds to the entry (`~` would keep whole stale blocks).
        const write = redis.multi().xadd(key, "MINID", cutoff, "*", ...fields);
        if (maxEntries > 0) write.xtrim(key, "MAXLEN", maxEntries);
        // A MULTI reports a failed command in its results rather than by rejecting.
        const failure = (await write.exec())?.find(([error]) => error)?.[0];
        if (failure) throw failure;
      } catch (error) {
        options.logger?.error(
          { audit: true, err: { message: (error as Error).message }, auth0UserId: entry.auth0UserId },
          "audit entry not stored in Redis: the log line above is its only copy",
        );
      }
    },
    query: (filter = {}) => readTrail(redis, key, filter),
  };
}

async function readTrail(redis: Redis, key: string, filter: AuditFilter): Promise<StoredAuditEntry[]> {
  const limit = filter.limit ?? 1000;
  const found: StoredAuditEntry[] = [];
  let end = filter.until ? String(filter.until.getTime()) : "+";
  const start = filter.since ? String(filter.since.getTime()) : "-";
  // Newest first, so a limit keeps the most recent entries; returned oldest first.
  while (found.length < limit) {
    const batch = await redis.xrevrange(key, end, start, "COUNT", READ_BATCH);
    for (const [id, fields] of batch) {
      const entry = parseEntry(id, fields);
      if (entry && matches(entry, filter)) found.push(entry);
      if (found.length >= limit) break;
    }
    const last = batch.at(-1);
    if (!last || batch.length < READ_BATCH) break;
    end = `(${last[0]}`;
  }
  return found.reverse();
}

function parseEntry(id: string, fields: string[]): StoredAuditEntry | undefined {
  const at = fields.indexOf("entry");
  const raw = at >= 0 ? fields[at + 1] : undefined;
  if (!raw) return undefined;
  try {
    const parsed = auditEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? { id, ...parsed.data } : undefined;
  } catch {
    // A foreign or damaged record in the stream: not an entry this version can show.
    return undefined;
  }
}

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.tenantId && entry.tenantId !== filter.tenantId) return false;
  if (filter.user && entry.auth0UserId !== filter.user && entry.sureCloudUserId !== filter.user) return false;
  return true;
}
