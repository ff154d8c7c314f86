// One job, start to finish, under the sync rules: route, lock, order, plan, apply, record.

import { formatIssues } from "../../shared/configIssues.js";
import { PermanentError } from "../../shared/errors.js";
import { type SyncJob, syncJobSchema } from "../../shared/job.js";
import { applyPlan, nothingApplied } from "./apply.js";
import type { AppliedChange } from "./change.js";
import type { ChangeRecorder } from "./changeRecorder.js";
import { directiveMemory, withDirectiveMemory } from "./directiveFor.js";
import type { SyncOutcome } from "./outcome.js";
import { planIsEmpty, planSync, type SyncPlan } from "./plan.js";
import { recoverPending } from "./recover.js";
import { type Routing, routeConnection } from "./route.js";
import type { TenantRuntime } from "./tenantRuntime.js";
import { type UserLock, withLock } from "./userLock.js";
import type { UserVersions } from "./userVersions.js";
import { type Auth0Attributes, type Auth0Truth, jobFromAuth0 } from "./verify.js";

export interface SyncDeps extends Routing {
  /** Where jobs of tenants with `verifyWithAuth0` are checked; required when any tenant has it. */
  auth0?: { truth: Auth0Truth } & Auth0Attributes;
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

/** How this run of a job started. */
export interface RunContext {
  /**
   * The job's first run. Only then may a creation be tried without look-ups: a job run again (a
   * retry, or after its worker died) may have created the user itself, and a create-first plan
   * would then be recorded as if it had been the one to create it.
   */
  firstRun: boolean;
}

/** Runs one job; `claim` is the job as queued (for a tenant that verifies with Auth0, only a claim). */
export async function syncUser(
  claim: SyncJob,
  deps: SyncDeps,
  owner: string,
  run: RunContext = { firstRun: true },
): Promise<SyncResult> {
  const base = { auth0UserId: claim.user.userId, eventId: claim.event.id };
  const route = routeConnection(deps, claim.connection);
  if (!route) return { outcome: "skipped", reason: "unknown-connection", ...base };
  const { tenant, runtime } = route;

  const lockKey = `${tenant.id}:${claim.user.userId}`;
  if (!(await deps.lock.acquire(lockKey, owner))) return { outcome: "locked" };
  return withLock(deps.lock, lockKey, owner, async (): Promise<SyncOutcome> => {
    const job = tenant.verifyWithAuth0 ? await verified(claim, tenant.id, deps.auth0) : claim;
    const { verdict, remembered } = await deps.versions.check(
      tenant.id,
      job.user.userId,
      job.version,
      job.event.id,
    );
    if (verdict !== "newer") return { outcome: "skipped", reason: verdict, tenantId: tenant.id, ...base };
    // A worker that died mid-job left its writes unrecorded: record them before anything else.
    if (deps.audit) await recoverPending(deps.audit, runtime.directory, tenant.id, job.user.userId);
    const current = withDirectiveMemory(job, remembered);
    const seen = directiveMemory(job);

    const result = await planSync(current, tenant, runtime.directory, runtime.catalogue, {
      rememberedId: remembered?.sureCloudUserId,
      createFirst: run.firstRun && job.event.type === "user.created",
    });
    if (result.kind === "skip") {
      // Recorded all the same: an older update delivered after this deletion must not recreate the user.
      await deps.versions.record(tenant.id, job.user.userId, job.version, job.event.id, seen);
      return { outcome: "skipped", reason: result.reason, tenantId: tenant.id, ...base };
    }
    const { sureCloudUserId, change } = await applyOrLookUp(
      { job: current, jobId: owner, runtime, recorder: deps.audit },
      result.plan,
    );
    await deps.versions.record(tenant.id, job.user.userId, job.version, job.event.id, {
      sureCloudUserId,
      ...seen,
    });
    const { roles } = result.plan.directive;
    return {
      outcome: "applied",
      tenantId: tenant.id,
      ...base,
      sureCloudUserId,
      ...change,
      ...(roles ? { roles } : {}),
    };
  });
}

/** The job as Auth0 holds it now (verify.ts), for a tenant that verifies with Auth0. */
function verified(claim: SyncJob, tenantId: string, auth0: SyncDeps["auth0"]): Promise<SyncJob> {
  if (!auth0) {
    const message = `Tenant "${tenantId}" verifies jobs with Auth0, but the worker has no Auth0 credentials`;
    return Promise.reject(new PermanentError("tenant-misconfigured", message));
  }
  return jobFromAuth0(claim, auth0.truth, auth0);
}

/**
 * Applies the plan. A create tried without look-ups that SureCloud refuses as taken (409) wrote
 * nothing: the job is planned again with the look-ups (rule 3) and that plan applied.
 */
async function applyOrLookUp(run: Applying, plan: SyncPlan): Promise<Written> {
  try {
    return await applyRecorded(run, plan);
  } catch (error) {
    const taken = error instanceof PermanentError && error.reason === "conflict" && error.status === 409;
    if (!plan.match.assumedNew || !taken) throw error;
  }
  const { job, runtime } = run;
  const again = await planSync(job, runtime.tenant, runtime.directory, runtime.catalogue);
  if (again.kind === "skip") throw new Error("a user that is not deleted always has a plan");
  return applyRecorded(run, again.plan);
}

/** One job applying its plan: the job, its BullMQ id, its tenant's runtime, and who records. */
interface Applying {
  job: SyncJob;
  jobId: string;
  runtime: TenantRuntime;
  recorder: ChangeRecorder | undefined;
}

/** What a job wrote, and to which SureCloud user. */
interface Written {
  sureCloudUserId: string;
  change: AppliedChange;
}

/**
 * Applies the plan and records what was written, exactly once: the intent is stated before the first
 * write; the record of what SureCloud acknowledged settles it, also when a write fails part-way (the
 * retry plans, and records, only what is left). A worker that dies in between leaves the intent
 * for the next job of the user to recover.
 */
async function applyRecorded(run: Applying, plan: SyncPlan): Promise<Written> {
  const { job, jobId, runtime, recorder } = run;
  const applied = nothingApplied(plan);
  const records = recorder !== undefined && !planIsEmpty(plan);
  if (records) await recorder.intend({ job, jobId, plan, at: new Date().toISOString() });
  let complete = false;
  try {
    await applyPlan(plan, runtime.directory, applied);
    complete = true;
  } finally {
    if (records) await recorder.record({ job, jobId, plan, ...applied, complete });
  }
  // applyPlan has thrown unless a user was created or matched.
  return { sureCloudUserId: applied.sureCloudUserId as string, change: applied.change };
}
