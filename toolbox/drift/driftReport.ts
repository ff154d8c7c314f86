// Drift: for one tenant, the users whose SureCloud account differs from what their current Auth0
// state says it should be (a membership changed by hand, a missed event…), each with the plan that
// would fix it. It is a resync dry run, read by kind of difference.
import { z } from "zod";
import type { Tenant } from "../../shared/tenants.js";
import type { SyncPlan } from "../../worker/sync/plan.js";
import type { Auth0Attributes } from "../../worker/sync/verify.js";
import type { Auth0UserSource } from "../resync/auth0Users.js";
import { type Preview, type PreviewDeps, previewSchema } from "../resync/preview.js";
import type { Progress } from "../resync/progress.js";
import { runResync } from "../resync/resync.js";

/**
 * missing: no SureCloud user · unlinked: found by userName/email, not yet linked · status: ACTIVE or
 * INACTIVE is wrong · memberships: groups differ from the directive · profile: names or email differ.
 */
export const driftKinds = ["missing", "unlinked", "status", "memberships", "profile"] as const;
export type DriftKind = (typeof driftKinds)[number];

export const driftReportSchema = z.object({
  tenantId: z.string(),
  /** Auth0 users compared. */
  checked: z.number(),
  inStep: z.number(),
  drifted: z.array(
    z.object({ auth0UserId: z.string(), kinds: z.array(z.enum(driftKinds)), preview: previewSchema }),
  ),
  /** Users whose plan fails (conflict, invalid-directive, unknown-group…): the worker cannot fix them either. */
  failed: z.array(previewSchema),
  /** Auth0 records that were not usable users. */
  rejected: z.number(),
  /** For a tenant planned from app roles: the roles its role mapping does not name, and how many users hold each. */
  unknownRoles: z.array(z.object({ role: z.string(), users: z.number(), didYouMean: z.string().optional() })),
});
export type DriftReport = z.infer<typeof driftReportSchema>;

export interface DriftOptions {
  tenant: Tenant;
  source: Auth0UserSource;
  preview: PreviewDeps;
  attributes: Auth0Attributes;
  progress?: (tenant: Tenant) => Progress;
}

export async function buildDriftReport(options: DriftOptions): Promise<DriftReport> {
  const run = await runResync({
    tenants: [options.tenant],
    source: options.source,
    attributes: options.attributes,
    mode: { kind: "dry-run", preview: options.preview },
    progress: options.progress,
  });
  const report: DriftReport = {
    tenantId: options.tenant.id,
    checked: run.previews.length,
    inStep: 0,
    drifted: [],
    failed: [],
    rejected: run.tenants[0]?.rejected ?? 0,
    unknownRoles: unknownRolesOf(run.previews),
  };
  for (const preview of run.previews) {
    const kinds = preview.outcome === "plan" ? driftOf(preview.plan) : [];
    if (preview.outcome === "failed") report.failed.push(preview);
    else if (kinds.length > 0) report.drifted.push({ auth0UserId: preview.auth0UserId, kinds, preview });
    else report.inStep += 1;
  }
  return report;
}

function unknownRolesOf(previews: readonly Preview[]): DriftReport["unknownRoles"] {
  const byRole = new Map<string, DriftReport["unknownRoles"][number]>();
  for (const preview of previews) {
    const roles = preview.outcome === "plan" ? preview.plan.directive.roles : undefined;
    for (const role of roles?.unknownRoles ?? []) {
      const entry = byRole.get(role) ?? { role, users: 0 };
      const miss = roles?.nearMisses.find((candidate) => candidate.role === role);
      byRole.set(role, {
        ...entry,
        users: entry.users + 1,
        ...(miss ? { didYouMean: miss.didYouMean } : {}),
      });
    }
  }
  return [...byRole.values()].sort((a, b) => b.users - a.users || a.role.localeCompare(b.role));
}

export function driftOf(plan: SyncPlan): DriftKind[] {
  if (plan.create) return ["missing"];
  const kinds: DriftKind[] = [];
  if (plan.match.by === "userName" || plan.match.by === "email") kinds.push("unlinked");
  if (plan.status) kinds.push("status");
  if (plan.memberships.add.length > 0 || plan.memberships.remove.length > 0) kinds.push("memberships");
  const profile = Object.keys(plan.patch).filter((field) => field !== "status" && field !== "externalId");
  if (profile.length > 0) kinds.push("profile");
  return kinds;
}
