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
  userWriteSchema,
} from "../../contract/surecloud.js";
import { PermanentError } from "../../shared/errors.js";
import type { SyncJob } from "../../shared/job.js";
import type { Tenant } from "../../shared/tenants.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import { statusChangeSchema } from "./change.js";
import { type DirectiveDecision, directiveDecisionSchema, directiveFor } from "./directiveFor.js";
import type { GroupCatalogue } from "./groupCatalogue.js";
import { type MatchedUser, matchUser } from "./match.js";

export const syncPlanSchema = z.object({
  tenantId: z.string(),
  auth0UserId: z.string(),
  match: z.object({
    by: z.enum(["externalId", "userName", "email", "none"]),
    sureCloudUserId: z.string().optional(),
    /** No look-up was made: a create is tried first, and a 409 sends the job back to the look-ups. */
    assumedNew: z.boolean().optional(),
  }),
  /** Set when no SureCloud user matched: the user to create. */
  create: userWriteSchema.optional(),
  /** Fields to change on the matched user (externalId when linking, profile fields, status). */
  patch: userPatchSchema,
  status: statusChangeSchema.optional(),
  /** The directive and whether it applies (not for a blocked or deleted user), and which roles gave it. */
  directive: directiveDecisionSchema,
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

/** What the worker knows before planning, to spend fewer calls; a preview passes none. */
export interface PlanHints {
  /** The SureCloud id the worker linked this user to last time (read first, rule 3). */
  rememberedId?: string;
  /**
   * Plan a create with no look-up: for a `user.created` the worker has never synced. SureCloud
   * refuses a create whose userName, email or externalId is taken (409), which sends the job back
   * to the look-ups, so the matching precedence holds.
   */
  createFirst?: boolean;
}

/** Computes the plan for a job. Throws PermanentError for failures (conflict, invalid-directive, …). */
export async function planSync(
  job: SyncJob,
  tenant: Tenant,
  directory: SureCloudDirectory,
  catalogue: GroupCatalogue,
  hints: PlanHints = {},
): Promise<PlanResult> {
  if (job.event.type === "user.deleted") return planDelete(job, tenant, directory, hints.rememberedId);

  const targetStatus = job.user.blocked ? "INACTIVE" : "ACTIVE";
  const directive = directiveFor(job, tenant);
  // Validated before any look-up, so a bad directive costs no call and changes nothing.
  const target =
    directive.applied && directive.value && directive.value.kind !== "ignore"
      ? await catalogue.resolve(directive.value)
      : undefined;
  const createOnly = hints.createFirst && !hints.rememberedId;
  // The remembered user's groups are read beside the user itself: one round for an unchanged user.
  const groupsAhead =
    hints.rememberedId && target
      ? settledOrUndefined(directory.listUserGroups(hints.rememberedId))
      : undefined;
  const matched = createOnly ? undefined : await matchUser(job.user, directory, hints.rememberedId);

  if (!matched) {
    const create = userToCreate(job, targetStatus);
    const add = target?.kind === "exact" ? target.groups : [];
    const match = createOnly ? { by: "none" as const, assumedNew: true } : { by: "none" as const };
    return planOf(job, tenant, match, { create, patch: {}, directive, add, remove: [] }, null, targetStatus);
  }

  const current = matched.user;
  const patch: UserPatch = { ...linkPatch(matched), ...profilePatch(job, current) };
  if (current.status !== targetStatus) patch.status = targetStatus;
  const known = current.id === hints.rememberedId ? await groupsAhead : undefined;
  const memberships = target
    ? await membershipChanges(directory, current.id, target, known)
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

async function planDelete(
  job: SyncJob,
  tenant: Tenant,
  directory: SureCloudDirectory,
  rememberedId: string | undefined,
): Promise<PlanResult> {
  const remembered = rememberedId ? await directory.getUser(rememberedId) : undefined;
  const linked =
    remembered?.externalId === job.user.userId
      ? remembered
      : await directory.findUser({ externalId: job.user.userId });
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
  known: GroupRef[] | undefined,
): Promise<{ add: GroupRef[]; remove: GroupRef[] }> {
  const current = known ?? (await directory.listUserGroups(userId));
  const wanted = target.kind === "exact" ? target.groups : [];
  const have = new Set(current.map((group) => group.id.toLowerCase()));
  const keep = new Set(wanted.map((group) => group.id.toLowerCase()));
  return {
    add: wanted.filter((group) => !have.has(group.id.toLowerCase())),
    remove: current.filter((group) => !keep.has(group.id.toLowerCase())),
  };
}

/** The value, or undefined when the read failed: a read made ahead must not fail the job by itself. */
function settledOrUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  return read.then(
    (value) => value,
    () => undefined,
  );
}
