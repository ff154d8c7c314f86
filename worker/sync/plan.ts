// Planning: what one job would change in SureCloud, computed with reads only. The worker applies
// exactly this plan, and the dry-run/plan commands print it, so a plan never disagrees with a run.
import { z } from "zod";
import {
  type GroupRef,
  groupRefSchema,
  type SureCloudUser,
  type UserPatch,
  type UserStatus,
  userPatchSchema,
  userStatusSchema,
  userWriteSchema,
} from "../../contract/surecloud.js";
import { directiveSchema, resolveDirective } from "../../shared/directive.js";
import { PermanentError } from "../../shared/errors.js";
import type { SyncJob } from "../../shared/job.js";
import type { Tenant } from "../../shared/tenants.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import { statusChangeSchema } from "./change.js";
import type { GroupCatalogue } from "./groupCatalogue.js";
import { type MatchedUser, matchUser } from "./match.js";

export const syncPlanSchema = z.object({
  tenantId: z.string(),
  auth0UserId: z.string(),
  match: z.object({
    by: z.enum(["externalId", "userName", "email", "none"]),
    sureCloudUserId: z.string().optional(),
  }),
  /** Set when no SureCloud user matched: the user to create. */
  create: userWriteSchema.optional(),
  /** Fields to change on the matched user (externalId when linking, profile fields, status). */
  patch: userPatchSchema,
  status: statusChangeSchema.optional(),
  /** The directive and whether it applies (not for a blocked or deleted user). */
  directive: z.object({ applied: z.boolean(), value: z.optional(directiveSchema), why: z.string() }),
  memberships: z.object({ add: z.array(groupRefSchema), remove: z.array(groupRefSchema) }),
});
export type SyncPlan = z.infer<typeof syncPlanSchema>;

export type PlanResult = { kind: "plan"; plan: SyncPlan } | { kind: "skip"; reason: "not-linked" };

/** True when applying the plan would write nothing. */
export function planIsEmpty(plan: SyncPlan): boolean {
  return (
    !plan.create &&
    Object.keys(plan.patch).length === 0 &&
    plan.memberships.add.length === 0 &&
    plan.memberships.remove.length === 0
  );
}

/** Computes the plan for a job. Throws PermanentError for failures (conflict, invalid-directive, …). */
export async function planSync(
  job: SyncJob,
  tenant: Tenant,
  directory: SureCloudDirectory,
  catalogue: GroupCatalogue,
): Promise<PlanResult> {
  if (job.event.type === "user.deleted") return planDelete(job, tenant, directory);

  const matched = await matchUser(job.user, directory);
  const targetStatus = job.user.blocked ? "INACTIVE" : "ACTIVE";
  const directive = directiveFor(job, tenant);
  const target =
    directive.applied && directive.value && directive.value.kind !== "ignore"
      ? await catalogue.resolve(directive.value)
      : undefined;

  if (!matched) {
    const create = userToCreate(job, targetStatus);
    const add = target?.kind === "exact" ? target.groups : [];
    return planOf(
      job,
      tenant,
      { by: "none" },
      { create, patch: {}, directive, add, remove: [] },
      null,
      targetStatus,
    );
  }

  const current = matched.user;
  const patch: UserPatch = { ...linkPatch(matched), ...profilePatch(job, current) };
  if (current.status !== targetStatus) patch.status = targetStatus;
  const memberships = target
    ? await membershipChanges(directory, current.id, target)
    : { add: [], remove: [] };
  return planOf(
    job,
    tenant,
    { by: matched.by, sureCloudUserId: current.id },
    { patch, directive, ...memberships },
    current.status,
    targetStatus,
  );
}

async function planDelete(job: SyncJob, tenant: Tenant, directory: SureCloudDirectory): Promise<PlanResult> {
  const linked = await directory.findUser({ externalId: job.user.userId });
  if (!linked) return { kind: "skip", reason: "not-linked" };
  const patch: UserPatch = linked.status === "INACTIVE" ? {} : { status: "INACTIVE" };
  const directive = { applied: false, why: "the Auth0 user was deleted: groups are kept" };
  return planOf(
    job,
    tenant,
    { by: "externalId", sureCloudUserId: linked.id },
    { patch, directive, add: [], remove: [] },
    linked.status,
    "INACTIVE",
  );
}

type DirectiveDecision = SyncPlan["directive"];

function directiveFor(job: SyncJob, tenant: Tenant): DirectiveDecision {
  if (job.user.blocked) return { applied: false, why: "the user is blocked: groups are kept as stored" };
  const value = resolveDirective(job.directive, tenant.missingDirective);
  const why =
    job.directive.state === "absent"
      ? `no directive: the tenant's missingDirective policy (${tenant.missingDirective})`
      : job.directive.state === "cleared"
        ? "the directive was cleared in Entra"
        : "the directive Entra sent";
  return { applied: value.kind !== "ignore", value, why };
}

interface PlanParts {
  create?: SyncPlan["create"];
  patch: UserPatch;
  directive: DirectiveDecision;
  add: GroupRef[];
  remove: GroupRef[];
}

function planOf(
  job: SyncJob,
  tenant: Tenant,
  match: SyncPlan["match"],
  parts: PlanParts,
  from: UserStatus | null,
  to: UserStatus,
): PlanResult {
  return {
    kind: "plan",
    plan: {
      tenantId: tenant.id,
      auth0UserId: job.user.userId,
      match,
      create: parts.create,
      patch: parts.patch,
      status: from !== to ? { from, to } : undefined,
      directive: parts.directive,
      memberships: { add: parts.add, remove: parts.remove },
    },
  };
}

function userToCreate(job: SyncJob, status: UserStatus): SyncPlan["create"] {
  const { user } = job;
  if (!user.email || !user.userName) {
    throw new PermanentError(
      "invalid-job",
      `Auth0 user ${user.userId} has no email: SureCloud needs one to create it`,
    );
  }
  return {
    externalId: user.userId,
    userName: user.userName,
    email: user.email,
    givenName: user.givenName ?? null,
    familyName: user.familyName ?? null,
    displayName: user.displayName ?? null,
    status,
  };
}

function linkPatch(matched: MatchedUser): UserPatch {
  return matched.by === "externalId" ? {} : { externalId: matched.auth0UserId };
}

const profileFields = ["userName", "email", "givenName", "familyName", "displayName"] as const;

/** Profile fields follow Auth0 where Auth0 has a value and it differs (rule 5). */
function profilePatch(job: SyncJob, current: SureCloudUser): UserPatch {
  const patch: UserPatch = {};
  for (const field of profileFields) {
    const wanted = job.user[field];
    if (wanted !== undefined && wanted !== current[field]) patch[field] = wanted;
  }
  return patch;
}

type ResolvedDirective = Awaited<ReturnType<GroupCatalogue["resolve"]>>;

async function membershipChanges(
  directory: SureCloudDirectory,
  userId: string,
  target: ResolvedDirective,
): Promise<{ add: GroupRef[]; remove: GroupRef[] }> {
  const current = await directory.listUserGroups(userId);
  const wanted = target.kind === "exact" ? target.groups : [];
  const have = new Set(current.map((group) => group.id.toLowerCase()));
  const keep = new Set(wanted.map((group) => group.id.toLowerCase()));
  return {
    add: wanted.filter((group) => !have.has(group.id.toLowerCase())),
    remove: current.filter((group) => !keep.has(group.id.toLowerCase())),
  };
}
