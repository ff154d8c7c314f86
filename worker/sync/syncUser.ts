// One job, start to finish, under the sync rules: route, lock, order, plan, apply, record.
import { PermanentError } from "../../shared/errors.js";
import { type SyncJob, syncJobSchema } from "../../shared/job.js";
import { formatIssues, type TenantsFile, tenantForConnection } from "../../shared/tenants.js";
import { auditEntryFor } from "../audit/auditEntry.js";
import type { AuditRecorder } from "../audit/auditTrail.js";
import { trackWrites } from "../audit/writeTracker.js";
import type { TenantRuntime } from "../tenantRuntime.js";
import { type AppliedChanges, applyPlan } from "./apply.js";
import type { SyncOutcome } from "./outcome.js";
import { planSync, type SyncPlan } from "./plan.js";
import { type UserLock, withLock } from "./userLock.js";
import type { UserVersions } from "./userVersions.js";

export interface SyncDeps {
  tenants: TenantsFile;
  runtimes: Map<string, TenantRuntime>;
  versions: UserVersions;
  lock: UserLock;
  /** Records each change made to SureCloud; none when absent. */
  audit?: AuditRecorder;
}

/** `locked`: another job holds this user; the caller puts the job back for a moment. */
export type SyncResult = SyncOutcome | { outcome: "locked" };

/** Validates a job's data; a job that does not parse can never succeed. */
export function parseJob(data: unknown): SyncJob {
  const parsed = syncJobSchema.safeParse(data);
  if (!parsed.success)
    throw new PermanentError("invalid-job", `Job data is invalid: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

export async function syncUser(job: SyncJob, deps: SyncDeps, owner: string): Promise<SyncResult> {
  const base = { auth0UserId: job.user.userId, eventId: job.event.id };
  const tenant = tenantForConnection(deps.tenants, job.connection);
  if (!tenant) return { outcome: "skipped", reason: "unknown-connection", ...base };
  const runtime = deps.runtimes.get(tenant.id);
  if (!runtime)
    throw new PermanentError("tenant-misconfigured", `Tenant "${tenant.id}" has no SureCloud client`);

  const lockKey = `${tenant.id}:${job.user.userId}`;
  if (!(await deps.lock.acquire(lockKey, owner))) return { outcome: "locked" };
  return withLock(deps.lock, lockKey, owner, async (): Promise<SyncOutcome> => {
    const verdict = await deps.versions.check(tenant.id, job.user.userId, job.version, job.event.id);
    if (verdict !== "newer") return { outcome: "skipped", reason: verdict, tenantId: tenant.id, ...base };

    const result = await planSync(job, tenant, runtime.directory, runtime.catalogue);
    if (result.kind === "skip") {
      // Recorded all the same: an older update delivered after this deletion must not recreate the user.
      await deps.versions.record(tenant.id, job.user.userId, job.version, job.event.id);
      return { outcome: "skipped", reason: result.reason, tenantId: tenant.id, ...base };
    }
    const { plan } = result;
    const applied = await applyAudited(job, owner, plan, runtime, deps.audit);
    await deps.versions.record(tenant.id, job.user.userId, job.version, job.event.id);
    return {
      outcome: "applied",
      tenantId: tenant.id,
      ...base,
      sureCloudUserId: applied.sureCloudUserId,
      created: applied.created,
      fields: applied.fields,
      status: plan.status,
      added: plan.memberships.add,
      removed: plan.memberships.remove,
    };
  });
}

/**
 * Applies the plan and records what was written, exactly once: a job that fails part-way records
 * the writes it made before rethrowing, and its retry plans (and records) only what is left.
 */
async function applyAudited(
  job: SyncJob,
  jobId: string,
  plan: SyncPlan,
  runtime: TenantRuntime,
  audit: AuditRecorder | undefined,
): Promise<AppliedChanges> {
  if (!audit) return applyPlan(plan, runtime.directory);
  const tracker = trackWrites(runtime.directory, plan);
  let complete = false;
  try {
    const applied = await applyPlan(plan, tracker.directory);
    complete = true;
    return applied;
  } finally {
    const entry = auditEntryFor(job, jobId, plan, tracker.writes(), complete);
    if (entry) await audit.record(entry);
  }
}
