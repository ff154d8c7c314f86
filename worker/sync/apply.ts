// Applying a plan: the writes, in the order that keeps access safe. One PATCH carries the link,
// profile and status; memberships are added before any is removed, so a swap never leaves a gap.
// Writes of one kind go out together (each is idempotent), which saves a round trip per group.
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

  const memberId = userId;
  await allSettled(plan.memberships.add.map((group) => directory.addMember(group.id, memberId)));
  await allSettled(plan.memberships.remove.map((group) => directory.removeMember(group.id, memberId)));

  return { sureCloudUserId: userId, created: Boolean(plan.create), fields: Object.keys(plan.patch) };
}

/**
 * Waits for every write, then throws the first failure: no write is still in flight when the job
 * fails, so the audit trail sees each one and the retry plans only what is left.
 */
async function allSettled(writes: Array<Promise<void>>): Promise<void> {
  const results = await Promise.allSettled(writes);
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
