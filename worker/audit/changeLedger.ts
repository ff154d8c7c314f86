// The worker's ChangeRecorder: a job's intent kept in Redis from before its first write until the
// audit entry of what it wrote is stored, in the same transaction that deletes it. A worker killed
// anywhere in between leaves the intent, and the next job of the user records what SureCloud holds
// (worker/sync/recover.ts), so every acknowledged write is in the trail exactly once.
import type { Logger } from "../../shared/logger.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import { auditIntentKey, legacyAuditIntentKey } from "../redisKeys.js";
import { type ChangeRecorder, changeIntentSchema } from "../sync/changeRecorder.js";
import { auditEntryFor } from "./auditEntry.js";
import type { AuditRecorder } from "./auditTrail.js";

/** An intent outlives any retry of its job; a user never synced again keeps it this long. */
const INTENT_RETENTION_SECONDS = 180 * 24 * 3600;

export function makeChangeLedger(
  redis: RedisClient,
  queueName: string,
  trail: AuditRecorder,
  logger?: Logger,
): ChangeRecorder {
  const intentKey = (tenantId: string, auth0UserId: string) =>
    auditIntentKey(queueName, tenantId, auth0UserId);
  /** The intent, moved first from where a worker before cluster support left it (one upgrade only). */
  const readIntent = async (tenantId: string, auth0UserId: string): Promise<string | null> => {
    const key = intentKey(tenantId, auth0UserId);
    const raw = await redis.get(key);
    if (raw) return raw;
    const legacyKey = legacyAuditIntentKey(queueName, tenantId, auth0UserId);
    const legacy = await redis.get(legacyKey);
    if (!legacy) return null;
    await redis.set(key, legacy, "EX", INTENT_RETENTION_SECONDS);
    await redis.del(legacyKey);
    return legacy;
  };
  return {
    async intend(intent) {
      const key = intentKey(intent.plan.tenantId, intent.job.user.userId);
      await redis.set(key, JSON.stringify(intent), "EX", INTENT_RETENTION_SECONDS);
    },
    async pending(tenantId, auth0UserId) {
      const raw = await readIntent(tenantId, auth0UserId);
      if (!raw) return undefined;
      const parsed = changeIntentSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
      // Written by another version of the worker: it cannot be read back, so say so and let it go.
      logger?.error({ audit: true, tenantId, auth0UserId }, "unreadable audit intent dropped");
      await redis.del(intentKey(tenantId, auth0UserId));
      return undefined;
    },
    async record(recorded) {
      const key = intentKey(recorded.plan.tenantId, recorded.job.user.userId);
      const entry = auditEntryFor(recorded);
      if (entry) return trail.record(entry, key);
      // Nothing was written: the intent ends with no entry.
      await redis.del(key).catch((error: Error) => {
        logger?.warn({ audit: true, err: { message: error.message } }, "audit intent not cleared");
      });
    },
  };
}
