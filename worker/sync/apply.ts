// Applying a plan: the writes, in the order that keeps access safe. One PATCH carries the link,
// profile and status; memberships are added before any is removed, so a swap never leaves a gap.
// Writes of one kind go out together (each is idempotent), which saves a round trip per group.
// Each write is noted once SureCloud acknowledges it, so what was changed is known even when a
// later write fails: the applied change then lists only what SureCloud really holds.
import type { GroupRef } from "../../contract/surecloud.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import type { AppliedChange } from "./change.js";
import type { SyncPlan } from "./plan.js";

export interface Applied {
  /** The SureCloud user written to (created or matched); undefined only when a create failed. */
  sureCloudUserId: string | undefined;
  change: AppliedChange;
}

/** Nothing applied yet: the record applyPlan fills in. */
export function nothingApplied(plan: SyncPlan): Applied {
  return {
    sureCloudUserId: plan.match.sureCloudUserId,
    change: { created: false, fields: [], added: [], removed: [] },
  };
}

/**
 * Applies the plan, noting each write in `applied` as SureCloud acknowledges it. On a failed write it
 * waits for the others, then rethrows that failure as it came: `applied` then holds what was written.
 */
export async function applyPlan(
  plan: SyncPlan,
  directory: SureCloudDirectory,
  applied: Applied = nothingApplied(plan),
): Promise<Applied> {
  const { change } = applied;
  if (plan.create) {
    applied.sureCloudUserId = (await directory.createUser(plan.create)).id;
    change.created = true;
    change.status = plan.status;
  } else if (Object.keys(plan.patch).length > 0 && applied.sureCloudUserId) {
    await directory.updateUser(applied.sureCloudUserId, plan.patch);
    change.fields = Object.keys(plan.patch);
    if (plan.patch.status) change.status = plan.status;
  }
  const userId = applied.sureCloudUserId;
  if (!userId) throw new Error("a plan without a user to create must name the matched SureCloud user");
  await allAcknowledged(plan.memberships.add, (group) => directory.addMember(group.id, userId), change.added);
  await allAcknowledged(
    plan.memberships.remove,
    (group) => directory.removeMember(group.id, userId),
    change.removed,
  );
  return applied;
}

/**
 * Sends every write at once, then notes the acknowledged groups in `done` (in the plan's order, so
 * a record never depends on which answer came first) and throws the first failure. No write is
 * still in flight when the job fails, so the retry plans only what is left.
 */
async function allAcknowledged(
  groups: GroupRef[],
  write: (group: GroupRef) => Promise<void>,
  done: GroupRef[],
): Promise<void> {
  const results = await Promise.allSettled(groups.map(write));
  done.push(...groups.filter((_, index) => results[index]?.status === "fulfilled"));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
