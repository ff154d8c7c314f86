// One job, start to finish, under the sync rules: route, lock, order, plan, apply, record.

import { formatIssues } from "../../shared/configIssues.js";
import { PermanentError } from "../../shared/errors.js";
import { type SyncJob, syncJobSchema } from "../../shared/job.js";
import { applyPlan, nothingApplied } from "./apply.js";
import type { AppliedChange } from "./change.js";
import type { ChangeRecorder } from "./changeRecorder.js";
import type { SyncOutcome } from "./outcome.js";
import { planSync, type SyncPlan } from "./plan.js";
import { type Routing, routeConnection } from "./route.js";
import type { TenantRuntime } from "./tenantRuntime.js";
import { type UserLock, withLock } from "./userLock.js";
import type { UserVersions } from "./userVersions.js";

export interface SyncDeps extends Routing {
  versions: UserVersions;
  lock: UserLock;
  /** Records each change made to SureCloud (the audit trail); none when absent. */
  audit?: ChangeRecorder;
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
  const route = routeConnection(deps, job.connection);
  if (!route) return { outcome: "skipped", reason: "unknown-connection", ...base };
  const { tenant, runtime } = route;

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
    const { sureCloudUserId, change } = await applyRecorded(job, owner, plan, runtime, deps.audit);
    await deps.versions.record(tenant.id, job.user.userId, job.version, job.event.id);
    return { outcome: "applied", tenantId: tenant.id, ...base, sureCloudUserId, ...change };
  });
}

/**
 * Applies the plan and records what was written, exactly once: a job that fails part-way records
 * the writes SureCloud acknowledged before rethrowing, and its retry plans (and records) only what
 * is left.
 */
async function applyRecorded(
  job: SyncJob,
  jobId: string,
  plan: SyncPlan,
  runtime: TenantRuntime,
  recorder: ChangeRecorder | undefined,
): Promise<{ sureCloudUserId: string; change: AppliedChange }> {
  const applied = nothingApplied(plan);
  let complete = false;
  try {
    await applyPlan(plan, runtime.directory, applied);
    complete = true;
  } finally {
    await recorder?.record({ job, jobId, plan, ...applied, complete });
  }
  // applyPlan has thrown unless a user was created or matched.
  return { sureCloudUserId: applied.sureCloudUserId as string, change: applied.change };
}
