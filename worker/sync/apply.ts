// Applying a plan: the writes, in the order that keeps access safe. One PATCH carries the link,
// profile and status; memberships are added before any is removed, so a swap never leaves a gap.
import type { SureCloudDirectory } from "../surecloud/directory.js";
import type { SyncPlan } from "./plan.js";

export interface AppliedChanges {
  sureCloudUserId: string;
  created: boolean;
  /** Fields written on an existing user (`externalId` when it was linked). */
  fields: string[];
}

export async function applyPlan(plan: SyncPlan, directory: SureCloudDirectory): Promise<AppliedChanges> {
  let userId = plan.match.sureCloudUserId;
  if (plan.create) {
    userId = (await directory.createUser(plan.create)).id;
  } else if (Object.keys(plan.patch).length > 0 && userId) {
    await directory.updateUser(userId, plan.patch);
  }
  if (!userId) throw new Error("a plan without a user to create must name the matched SureCloud user");

  for (const group of plan.memberships.add) await directory.addMember(group.id, userId);
  for (const group of plan.memberships.remove) await directory.removeMember(group.id, userId);

  return { sureCloudUserId: userId, created: Boolean(plan.create), fields: Object.keys(plan.patch) };
}
