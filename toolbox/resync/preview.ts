// What the worker would do with a job, computed with the worker's own planning code (planSync)
// against read-only directories: the answer of `plan`, `resync --dry-run` and the drift report.
import { z } from "zod";
import { PermanentError, RetryableError } from "../../shared/errors.js";
import type { SyncJob } from "../../shared/job.js";
import { skipReasons } from "../../worker/sync/outcome.js";
import { planIsEmpty, planSync, type SyncPlan, syncPlanSchema } from "../../worker/sync/plan.js";
import { type Routing, routeConnection } from "../../worker/sync/route.js";

/** create: no SureCloud user yet · link: found by userName/email · update: linked, out of step · none: in step. */
export const planActions = ["create", "link", "update", "none"] as const;
export type PlanAction = (typeof planActions)[number];

const base = { auth0UserId: z.string(), tenantId: z.string().optional() };

export const previewSchema = z.discriminatedUnion("outcome", [
  z.object({ ...base, outcome: z.literal("plan"), action: z.enum(planActions), plan: syncPlanSchema }),
  z.object({ ...base, outcome: z.literal("skipped"), reason: z.enum(skipReasons) }),
  /** The failure the job would hit: a permanent reason, or `transient` when SureCloud could not be read. */
  z.object({ ...base, outcome: z.literal("failed"), reason: z.string(), message: z.string() }),
]);
export type Preview = z.infer<typeof previewSchema>;

/** Routing over read-only runtimes (readOnlyRuntimes): a preview must not write. */
export type PreviewDeps = Routing;

export async function previewJob(job: SyncJob, deps: PreviewDeps): Promise<Preview> {
  const auth0UserId = job.user.userId;
  let tenantId: string | undefined;
  try {
    const route = routeConnection(deps, job.connection);
    if (!route) return { auth0UserId, outcome: "skipped", reason: "unknown-connection" };
    const { tenant, runtime } = route;
    tenantId = tenant.id;
    const result = await planSync(job, tenant, runtime.directory, runtime.catalogue);
    if (result.kind === "skip") return { auth0UserId, tenantId, outcome: "skipped", reason: result.reason };
    return { auth0UserId, tenantId, outcome: "plan", action: actionOf(result.plan), plan: result.plan };
  } catch (error) {
    if (error instanceof PermanentError)
      return { auth0UserId, tenantId, outcome: "failed", reason: error.reason, message: error.message };
    if (error instanceof RetryableError)
      return { auth0UserId, tenantId, outcome: "failed", reason: "transient", message: error.message };
    throw error;
  }
}

export function actionOf(plan: SyncPlan): PlanAction {
  if (plan.create) return "create";
  if (plan.match.by === "userName" || plan.match.by === "email") return "link";
  return planIsEmpty(plan) ? "none" : "update";
}

/** True when the preview says the job would change SureCloud. */
export function previewChanges(preview: Preview): boolean {
  return preview.outcome === "plan" && preview.action !== "none";
}
