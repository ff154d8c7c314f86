// One job, start to finish, under the sync rules: route, lock, order, plan, apply, record.
import { PermanentError } from "../../shared/errors.js";
import { type SyncJob, syncJobSchema } from "../../shared/job.js";
import { formatIssues, type TenantsFile, tenantForConnection } from "../../shared/tenants.js";
import type { TenantRuntime } from "../tenantRuntime.js";
import { applyPlan } from "./apply.js";
import type { SyncOutcome } from "./outcome.js";
import { planSync } from "./plan.js";
import { type UserLock, withLock } from "./userLock.js";
import type { UserVersions } from "./userVersions.js";

export interface SyncDeps {
  tenants: TenantsFile;
  runtimes: Map<string, TenantRuntime>;
  versions: UserVersions;
  lock: UserLock;
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
    if (result.kind === "skip")
      return { outcome: "skipped", reason: result.reason, tenantId: tenant.id, ...base };
    const { plan } = result;
    const applied = await applyPlan(plan, runtime.directory);
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
