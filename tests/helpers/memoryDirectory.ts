// An in-memory SureCloud tenant behind the SureCloudDirectory seam, so the sync rules can be unit
// tested without HTTP. It keeps the contract's rules (surecloud-api.yaml): look-ups by userName and
// email ignore case, by externalId do not; PATCH changes only the fields sent; membership writes are
// idempotent; a taken userName/email/externalId or an unknown user/group is refused, classed as the
// HTTP adapter classes the same status. Every accepted write is logged in the order it took effect,
// and every read by operation name, so tests can count calls.
import type { Group, GroupRef, SureCloudUser, UserPatch, UserWrite } from "../../contract/surecloud.js";
import type { PermanentError } from "../../shared/errors.js";
import type { SureCloudDirectory } from "../../worker/surecloud/directory.js";
import { errorForStatus } from "../../worker/surecloud/httpErrors.js";

export type DirectoryWrite =
  | { op: "createUser"; user: UserWrite }
  | { op: "updateUser"; userId: string; patch: UserPatch }
  | { op: "addMember"; groupId: string; userId: string }
  | { op: "removeMember"; groupId: string; userId: string };

/** A user placed by hand, as if made in SureCloud's UI; unlinked unless `externalId` is given. */
export type UserSeed = Pick<SureCloudUser, "userName" | "email"> &
  Partial<Omit<SureCloudUser, "userName" | "email">> & { groupIds?: string[] };

export type StoredUser = SureCloudUser & { groups: GroupRef[] };

export interface MemoryDirectory extends SureCloudDirectory {
  /** The writes SureCloud accepted, in the order they took effect. */
  readonly writes: DirectoryWrite[];
  /** Every read call in arrival order, by operation name. */
  readonly reads: string[];
  seedUser(seed: UserSeed): StoredUser;
  /** Removes a user, as SureCloud's own UI would; later reads answer 404. */
  deleteUser(userId: string): void;
  /** A user and its memberships (catalogue order), or undefined. */
  user(lookup: { id: string } | { externalId: string }): StoredUser | undefined;
  users(): StoredUser[];
  /** Creates or renames a group, as SureCloud's own UI would. */
  putGroup(group: Group): void;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A refusal, classed as the HTTP adapter classes the same status (409: conflict). */
function rejected(status: 404 | 409 | 400, message: string): PermanentError {
  return errorForStatus(status, `SureCloud answered ${status}: ${message}`) as PermanentError;
}

export function makeMemoryDirectory(groups: readonly Group[] = []): MemoryDirectory {
  /** Keyed by lower-case id: UUIDs compare without regard to case. */
  const groupsByKey = new Map<string, Group>();
  const users = new Map<string, SureCloudUser>();
  const memberships = new Map<string, Set<string>>();
  const writes: DirectoryWrite[] = [];
  const reads: string[] = [];
  let nextId = 1;

  const putGroup = (group: Group) => groupsByKey.set(group.id.toLowerCase(), { ...group });
  groups.forEach(putGroup);

  function requireUser(userId: string): SureCloudUser {
    const user = users.get(userId);
    if (!user) throw rejected(404, `user ${userId} not found`);
    return user;
  }
  function requireGroupKey(groupId: string): string {
    const key = groupId.toLowerCase();
    if (!groupsByKey.has(key)) throw rejected(404, `group ${groupId} not found`);
    return key;
  }
  function assertUnique(fields: UserPatch, selfId: string | undefined): void {
    for (const other of users.values()) {
      if (other.id === selfId) continue;
      const taken =
        (fields.userName !== undefined && same(other.userName, fields.userName)) ||
        (fields.email !== undefined && same(other.email, fields.email)) ||
        (fields.externalId !== undefined && other.externalId === fields.externalId);
      if (taken) throw rejected(409, `a unique field belongs to user ${other.id}`);
    }
  }
  function groupsOf(userId: string): GroupRef[] {
    const keys = memberships.get(userId) ?? new Set<string>();
    return [...groupsByKey.entries()]
      .filter(([key]) => keys.has(key))
      .map(([, group]) => ({ id: group.id, name: group.name }));
  }
  function insert({ groupIds = [], ...seed }: UserSeed): SureCloudUser {
    const keys = groupIds.map(requireGroupKey);
    const { givenName = null, familyName = null, displayName = null } = seed;
    const user = { id: `usr_${nextId++}`, externalId: null, status: "ACTIVE" as const, ...seed };
    assertUnique({ ...user, externalId: user.externalId ?? undefined }, undefined);
    if (users.has(user.id)) throw rejected(409, `user id ${user.id} is taken`);
    users.set(user.id, { ...user, givenName, familyName, displayName });
    memberships.set(user.id, new Set(keys));
    return { ...requireUser(user.id) };
  }
  const stored = (user: SureCloudUser): StoredUser => ({ ...user, groups: groupsOf(user.id) });

  return {
    writes,
    reads,
    async listGroups() {
      reads.push("listGroups");
      return [...groupsByKey.values()].map((group) => ({ ...group }));
    },
    async getUser(userId) {
      reads.push("getUser");
      const found = users.get(userId);
      return found && { ...found };
    },
    async findUser(lookup) {
      reads.push("findUser");
      const found = [...users.values()].find((user) =>
        "externalId" in lookup
          ? user.externalId === lookup.externalId
          : "userName" in lookup
            ? same(user.userName, lookup.userName)
            : same(user.email, lookup.email),
      );
      return found && { ...found };
    },
    async createUser(user) {
      const created = insert(user);
      writes.push({ op: "createUser", user: { ...user } });
      return created;
    },
    async updateUser(userId, patch) {
      const user = requireUser(userId);
      if (Object.keys(patch).length === 0) throw rejected(400, "a PATCH needs at least one field");
      assertUnique(patch, userId);
      for (const [field, value] of Object.entries(patch)) {
        if (value !== undefined) Object.assign(user, { [field]: value });
      }
      writes.push({ op: "updateUser", userId, patch: { ...patch } });
      return { ...user };
    },
    async listUserGroups(userId) {
      reads.push("listUserGroups");
      requireUser(userId);
      return groupsOf(userId);
    },
    async addMember(groupId, userId) {
      const key = requireGroupKey(groupId);
      requireUser(userId);
      memberships.get(userId)?.add(key);
      writes.push({ op: "addMember", groupId, userId });
    },
    async removeMember(groupId, userId) {
      const key = requireGroupKey(groupId);
      requireUser(userId);
      memberships.get(userId)?.delete(key);
      writes.push({ op: "removeMember", groupId, userId });
    },
    seedUser: (seed) => stored(insert(seed)),
    deleteUser(userId) {
      users.delete(userId);
      memberships.delete(userId);
    },
    user(lookup) {
      const found =
        "id" in lookup
          ? users.get(lookup.id)
          : [...users.values()].find((user) => user.externalId === lookup.externalId);
      return found && stored(found);
    },
    users: () => [...users.values()].map(stored),
    putGroup,
  };
}
