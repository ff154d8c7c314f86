// Where the worker keeps its own state in Redis, beside BullMQ's queue keys: one prefix per queue,
// so two deployments sharing a Redis never read each other's versions, locks or audit trail.
//
// Cluster slots. A Redis Cluster runs a script or a MULTI only when all its keys share one slot; a
// key's slot is the hash of its first `{hash tag}`, or of its whole name when it has none. So:
// - state read and written one key per command (versions, locks, presence, a user's failed jobs)
//   has no tag, and spreads over the nodes user by user;
// - a tenant's two rate-gate keys share the tag `{<tenant>}` (one script reads both;
//   surecloud/sharedRateGate.ts);
// - an audit intent carries the audit stream's whole name as its tag: it lands in the stream's slot,
//   so the MULTI that appends the entry and deletes the intent is one slot, and the stream keeps the
//   name it has always had (no migration of a trail auditors rely on).
// - BullMQ's keys take their tag from the queue name (shared/redisSettings.ts `queuePrefix`).
// No code path uses KEYS; SCAN goes node by node (shared/redisScan.ts).

export function syncStatePrefix(queueName: string): string {
  return `group-sync:${queueName}`;
}

/** The audit trail: a capped Redis stream (audit/auditTrail.ts), read by `surecloud-sync audit`. */
export function auditStreamKey(queueName: string): string {
  return `${syncStatePrefix(queueName)}:audit`;
}

/** A job's audit intent (audit/changeLedger.ts), in the audit stream's slot (see above). */
export function auditIntentKey(queueName: string, tenantId: string, auth0UserId: string): string {
  return `${syncStatePrefix(queueName)}:intent:{${auditStreamKey(queueName)}}:${tenantId}:${auth0UserId}`;
}

/** Where an intent was kept before cluster support; read once, then moved (changeLedger.ts). */
export function legacyAuditIntentKey(queueName: string, tenantId: string, auth0UserId: string): string {
  return `${syncStatePrefix(queueName)}:intent:${tenantId}:${auth0UserId}`;
}

/** One worker process's presence record (workerPresence.ts): a string with a TTL. */
export function workerPresenceKey(queueName: string, workerId: string): string {
  return `${syncStatePrefix(queueName)}:worker:${workerId}`;
}

/** The set of worker ids whose presence records may still exist, so readers need no SCAN. */
export function workerPresenceIndexKey(queueName: string): string {
  return `${syncStatePrefix(queueName)}:workers`;
}

/** One Auth0 user's failed jobs, awaiting a newer change that supersedes them (queue/supersede.ts). */
export function failedByUserKey(queueName: string, tenantId: string, auth0UserId: string): string {
  return `${syncStatePrefix(queueName)}:failed-by-user:${tenantId}:${auth0UserId}`;
}

/** Failed jobs a newer change superseded, kept for inspection (`surecloud-sync failed --superseded`). */
export function supersededJobsKey(queueName: string): string {
  return `${syncStatePrefix(queueName)}:superseded`;
}
