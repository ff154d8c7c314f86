// Notes each SureCloud write that succeeded while a plan is applied, so the audit trail records
// what was really changed — all of the plan, or the part done before a failure — and nothing twice.
import type { GroupRef } from "../../contract/surecloud.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import type { SyncPlan } from "../sync/plan.js";

export interface AppliedWrites {
  created: boolean;
  /** The id of the user created, when one was. */
  createdUserId: string | undefined;
  fields: string[];
  added: GroupRef[];
  removed: GroupRef[];
}

export interface WriteTracker {
  /** The directory to apply the plan through. */
  directory: SureCloudDirectory;
  writes(): AppliedWrites;
}

export function trackWrites(directory: SureCloudDirectory, plan: SyncPlan): WriteTracker {
  const planned = new Map(
    [...plan.memberships.add, ...plan.memberships.remove].map((group) => [group.id.toLowerCase(), group]),
  );
  const refOf = (groupId: string): GroupRef =>
    planned.get(groupId.toLowerCase()) ?? { id: groupId, name: groupId };
  const writes: AppliedWrites = {
    created: false,
    createdUserId: undefined,
    fields: [],
    added: [],
    removed: [],
  };

  const tracked: SureCloudDirectory = {
    listGroups: () => directory.listGroups(),
    findUser: (lookup) => directory.findUser(lookup),
    listUserGroups: (userId) => directory.listUserGroups(userId),
    async createUser(user) {
      const created = await directory.createUser(user);
      writes.created = true;
      writes.createdUserId = created.id;
      return created;
    },
    async updateUser(userId, patch) {
      const updated = await directory.updateUser(userId, patch);
      writes.fields.push(...Object.keys(patch));
      return updated;
    },
    async addMember(groupId, userId) {
      await directory.addMember(groupId, userId);
      writes.added.push(refOf(groupId));
    },
    async removeMember(groupId, userId) {
      await directory.removeMember(groupId, userId);
      writes.removed.push(refOf(groupId));
    },
  };
  return { directory: tracked, writes: () => ({ ...writes }) };
}
