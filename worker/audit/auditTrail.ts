// The audit trail: every change the worker makes to SureCloud, as a structured log line (for log
// shipping) and in a capped Redis stream `group-sync:<queue>:audit` (for the `audit` command).
// Entries older than the retention, or beyond the entry cap, are trimmed as new ones arrive.
// Stream ids are Redis's clock at the write, so time filters read the stream by id. The worker
// only writes it; the operator's toolbox reads it (toolbox/audit/auditQuery.ts).
import type { Logger } from "../../shared/logger.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import { workerDefaults } from "../defaults.js";
import { auditStreamKey } from "../redisKeys.js";
import { type AuditEntry, summariseEntry } from "./auditEntry.js";

export interface AuditRecorder {
  /**
   * Records one change; `settles`, a key deleted in the same transaction (the job's intent, which
   * shares the stream's cluster slot: redisKeys.ts), so the entry and the end of the intent are
   * stored together or not at all. Never throws: a trail that
   * cannot be written must not undo a sync.
   */
  record(entry: AuditEntry, settles?: string): Promise<void>;
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

const DAY_MS = 24 * 3600 * 1000;

/** Kept here too for the toolbox's readers; redisKeys.ts holds the layout. */
export { auditStreamKey };

export function makeAuditRecorder(
  redis: RedisClient,
  queueName: string,
  options: AuditTrailOptions = {},
): AuditRecorder {
  const key = auditStreamKey(queueName);
  const retentionMs = (options.retentionDays ?? workerDefaults.AUDIT_RETENTION_DAYS) * DAY_MS;
  const maxEntries = options.maxEntries ?? workerDefaults.AUDIT_MAX_ENTRIES;
  const now = options.now ?? Date.now;

  return {
    async record(entry, settles) {
      // The log line comes first, so the change is on record even when Redis is down.
      options.logger?.info({ audit: true, ...entry }, `audit: ${summariseEntry(entry)}`);
      try {
        const cutoff = String(Math.max(0, now() - retentionMs));
        const fields = ["tenant", entry.tenantId, "user", entry.auth0UserId, "entry", JSON.stringify(entry)];
        // Exact trimming: at the trail's rate it removes an entry or two per write, and the
        // retention an auditor is told holds to the entry (`~` would keep whole stale blocks).
        const write = redis.multi().xadd(key, "MINID", cutoff, "*", ...fields);
        if (maxEntries > 0) write.xtrim(key, "MAXLEN", maxEntries);
        if (settles) write.del(settles);
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
  };
}
