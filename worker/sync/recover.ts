// Recovering the record of a job whose worker died between stating its intent and recording its
// writes: SureCloud is read, and each planned write now in effect counts as written. A plan only
// holds writes that were not in effect when it was made, so one in effect now was made by that job
// (or, for the same value, by someone else — either way SureCloud holds it once, and it is recorded once).
import type { GroupRef, SureCloudUser } from "../../contract/surecloud.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import { type Applied, nothingApplied } from "./apply.js";
import type { ChangeIntent, ChangeRecorder } from "./changeRecorder.js";

/** Records what an unsettled intent for this user wrote, if there is one. */
export async function recoverPending(
  recorder: ChangeRecorder,
  directory: SureCloudDirectory,
  tenantId: string,
  auth0UserId: string,
): Promise<void> {
  const intent = await recorder.pending(tenantId, auth0UserId);
  if (!intent) return;
  const applied = await observeApplied(intent, directory);
  const { job, jobId, plan } = intent;
  await recorder.record({ job, jobId, plan, ...applied, complete: false, recovered: true });
}

async function observeApplied(intent: ChangeIntent, directory: SureCloudDirectory): Promise<Applied> {
  const { plan } = intent;
  const applied = nothingApplied(plan);
  const user = plan.create
    ? await createdSince(directory, plan.create.externalId, intent.at)
    : plan.match.sureCloudUserId
      ? await directory.getUser(plan.match.sureCloudUserId)
      : undefined;
  // No user: a create that never happened, so neither did anything after it.
  if (!user) return applied;
  applied.sureCloudUserId = user.id;
  const { change } = applied;
  if (plan.create) {
    change.created = true;
    change.status = plan.status;
  } else {
    change.fields = Object.entries(plan.patch)
      .filter(([field, value]) => user[field as keyof SureCloudUser] === value)
      .map(([field]) => field);
    if (plan.patch.status && user.status === plan.patch.status) change.status = plan.status;
  }
  const memberships = plan.memberships.add.length + plan.memberships.remove.length;
  if (memberships > 0) {
    const held = ids(await directory.listUserGroups(user.id));
    change.added = plan.memberships.add.filter((group) => held.has(group.id.toLowerCase()));
    change.removed = plan.memberships.remove.filter((group) => !held.has(group.id.toLowerCase()));
  }
  return applied;
}

/** The user linked to the Auth0 user, when SureCloud created it at or after the intent. */
async function createdSince(
  directory: SureCloudDirectory,
  externalId: string,
  at: string,
): Promise<SureCloudUser | undefined> {
  const user = await directory.findUser({ externalId });
  if (!user) return undefined;
  // Without createdAt, a linked user found here can only be the one the job created.
  return !user.createdAt || Date.parse(user.createdAt) >= Date.parse(at) - CLOCK_SKEW_MS ? user : undefined;
}

/** SureCloud's clock and the worker's may differ a little. */
const CLOCK_SKEW_MS = 60_000;

function ids(groups: GroupRef[]): Set<string> {
  return new Set(groups.map((group) => group.id.toLowerCase()));
}
