// Reading the audit trail the worker writes (worker/audit/auditTrail.ts): the entries matching a
// filter, newest kept when more match, returned oldest first.
import type { RedisClient } from "../../shared/redisConnection.js";
import { type AuditEntry, auditEntrySchema, type StoredAuditEntry } from "../../worker/audit/auditEntry.js";
import { auditStreamKey } from "../../worker/audit/auditTrail.js";

export interface AuditFilter {
  tenantId?: string;
  /** Matches the Auth0 user id or the SureCloud user id. */
  user?: string;
  since?: Date;
  until?: Date;
  /** The newest entries kept when more match. Default 1000. */
  limit?: number;
}

const READ_BATCH = 500;

/** Matching entries of the queue's audit trail, oldest first. */
export function queryAuditTrail(
  redis: RedisClient,
  queueName: string,
  filter: AuditFilter = {},
): Promise<StoredAuditEntry[]> {
  return readTrail(redis, auditStreamKey(queueName), filter);
}

async function readTrail(redis: RedisClient, key: string, filter: AuditFilter): Promise<StoredAuditEntry[]> {
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
