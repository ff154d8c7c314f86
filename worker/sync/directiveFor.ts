// Rule 7's first step: the directive a job carries for its tenant. From SCIM userType (the default
// source), or from the user's Entra app roles through the tenant's role mapping (`directiveSource:
// roles`): the union of the mapped roles' groups, any IGNORE role making the user IGNORE, none mapped
// giving the mapping's default, and roles the mapping does not name reported, never guessed.
// The worker, plan, drift and explain all decide here, so a preview never disagrees with a run.
import { z } from "zod";
import { type DirectiveSource, directiveSchema, resolveDirective } from "../../shared/directive.js";
import { roleMatches, roleNamesFromJson } from "../../shared/entraRoles.js";
import { PermanentError } from "../../shared/errors.js";
import type { SyncJob } from "../../shared/job.js";
import { directiveForRoles } from "../../shared/roleDirective.js";
import type { Tenant } from "../../shared/tenants.js";
import type { Remembered } from "./userVersions.js";

/** What the user's app roles gave, for a tenant whose directive comes from them. */
export const rolesReportSchema = z.object({
  matchBy: z.enum(roleMatches),
  /** Each mapped role the user has and what it gives on its own: which roles produced which groups. */
  contributions: z.array(z.object({ role: z.string(), directive: directiveSchema })),
  /** No role of the user's is mapped: the mapping's default applied. */
  usedDefault: z.boolean(),
  /** The user's roles the mapping does not name, left out. */
  unknownRoles: z.array(z.string()),
  nearMisses: z.array(z.object({ role: z.string(), didYouMean: z.string() })),
});
export type RolesReport = z.infer<typeof rolesReportSchema>;

export const directiveDecisionSchema = z.object({
  applied: z.boolean(),
  value: z.optional(directiveSchema),
  why: z.string(),
  /** Set when the directive came from the user's app roles. */
  roles: rolesReportSchema.optional(),
});
export type DirectiveDecision = z.infer<typeof directiveDecisionSchema>;

/** The directive for a job of this tenant; throws PermanentError("invalid-directive") for a bad value. */
export function directiveFor(job: SyncJob, tenant: Tenant): DirectiveDecision {
  if (job.user.blocked) return { applied: false, why: "the user is blocked: groups are kept as stored" };
  if (tenant.directiveSource === "roles") return rolesDirective(job, tenant);
  const value = resolveDirective(job.directive, tenant.missingDirective);
  const why =
    job.directive.state === "absent"
      ? `no directive: the tenant's missingDirective policy (${tenant.missingDirective})`
      : job.directive.state === "cleared"
        ? "the directive was cleared in Entra"
        : "the directive Entra sent";
  return { applied: value.kind !== "ignore", value, why };
}

function rolesDirective(job: SyncJob, tenant: Tenant): DirectiveDecision {
  const table = tenant.roles?.table;
  if (!tenant.roles || !table) {
    throw new PermanentError(
      "tenant-misconfigured",
      `Tenant "${tenant.id}" takes its directive from app roles, but no role mapping was loaded for it`,
    );
  }
  const source = rolesOf(job);
  if (source.state === "absent") {
    const value = resolveDirective(source, tenant.missingDirective);
    const why = `no app roles: the tenant's missingDirective policy (${tenant.missingDirective})`;
    return { applied: value.kind !== "ignore", value, why };
  }
  // Cleared: Entra took every role away, which reads as a user with no role.
  const names = source.state === "present" ? roleNamesFromJson(source.raw, tenant.roles.matchBy) : [];
  const { directive, ...given } = directiveForRoles(table, names);
  const report: RolesReport = { matchBy: tenant.roles.matchBy, ...given };
  return { applied: directive.kind !== "ignore", value: directive, why: whyOf(report), roles: report };
}

function whyOf(report: RolesReport): string {
  if (report.usedDefault) return "no mapped app role: the role mapping's default";
  const ignoring = report.contributions.find(({ directive }) => directive.kind === "ignore");
  if (ignoring) return `the app role "${ignoring.role}" means IGNORE`;
  const roles = report.contributions.map(({ role }) => `"${role}"`).join(", ");
  return `the union of the groups of the app roles ${roles}`;
}

/** The job's roles; a job from a producer older than roles carries none, which reads as absent. */
function rolesOf(job: SyncJob): DirectiveSource {
  return job.roles ?? { state: "absent" };
}

/** What to remember of this job's directive attributes, for the next job of the user (rule 7). */
export function directiveMemory(job: SyncJob): Pick<Remembered, "directiveSeen" | "rolesSeen"> {
  return { directiveSeen: job.directive.state === "present", rolesSeen: rolesOf(job).state === "present" };
}

/**
 * Rule 7: an attribute absent now but present when the worker last synced the user was cleared in
 * Entra, whether or not Auth0 sent `previous_object` (it is optional, and undocumented for SCIM).
 */
export function withDirectiveMemory(job: SyncJob, remembered: Remembered | undefined): SyncJob {
  const directiveCleared = job.directive.state === "absent" && remembered?.directiveSeen === true;
  const rolesCleared = rolesOf(job).state === "absent" && remembered?.rolesSeen === true;
  if (!directiveCleared && !rolesCleared) return job;
  return {
    ...job,
    ...(directiveCleared ? { directive: { state: "cleared" } } : {}),
    ...(rolesCleared ? { roles: { state: "cleared" } } : {}),
  };
}
