// An in-memory SureCloud tenant behind the SureCloudDirectory seam, so the sync rules can be unit
// tested without HTTP. It keeps the contract's rules (surecloud-api.yaml): look-ups by userName and
// email ignore case, by externalId do not; PATCH changes only the fields sent; membership writes are
// idempotent; a taken userName/email/externalId or an unknown user/group is refused. Every write call
// is logged, in the order received, before it is checked: a refused write still counts as one.
import type { Group, GroupRef, SureCloudUser, UserPatch, UserWrite } from "../../contract/surecloud.js";
import { PermanentError } from "../../shared/errors.js";
import type { SureCloudDirectory } from "../../worker/surecloud/directory.js";

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
  /** The write calls received, oldest first. */
  readonly writes: DirectoryWrite[];
  seedUser(seed: UserSeed): StoredUser;
  /** A user and its memberships (catalogue order), or undefined. */
  user(lookup: { id: string } | { externalId: string }): StoredUser | undefined;
  users(): StoredUser[];
  /** Creates or renames a group, as SureCloud's own UI would. */
  putGroup(group: Group): void;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function rejected(status: 404 | 409 | 400, message: string): PermanentError {
  return new PermanentError("surecloud-rejected", `SureCloud answered ${status}: ${message}`, { status });
}

export function makeMemoryDirectory(groups: readonly Group[] = []): MemoryDirectory {
  /** Keyed by lower-case id: UUIDs compare without regard to case. */
  const groupsByKey = new Map<string, Group>();
  const users = new Map<string, SureCloudUser>();
  const memberships = new Map<string, Set<string>>();
  const writes: DirectoryWrite[] = [];
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
    async listGroups() {
      return [...groupsByKey.values()].map((group) => ({ ...group }));
    },
    async findUser(lookup) {
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
      writes.push({ op: "createUser", user: { ...user } });
      return insert(user);
    },
    async updateUser(userId, patch) {
      writes.push({ op: "updateUser", userId, patch: { ...patch } });
      const user = requireUser(userId);
      if (Object.keys(patch).length === 0) throw rejected(400, "a PATCH needs at least one field");
      assertUnique(patch, userId);
      for (const [field, value] of Object.entries(patch)) {
        if (value !== undefined) Object.assign(user, { [field]: value });
      }
      return { ...user };
    },
    async listUserGroups(userId) {
      requireUser(userId);
      return groupsOf(userId);
    },
    async addMember(groupId, userId) {
      writes.push({ op: "addMember", groupId, userId });
      const key = requireGroupKey(groupId);
      requireUser(userId);
      memberships.get(userId)?.add(key);
    },
    async removeMember(groupId, userId) {
      writes.push({ op: "removeMember", groupId, userId });
      const key = requireGroupKey(groupId);
      requireUser(userId);
      memberships.get(userId)?.delete(key);
    },
    seedUser: (seed) => stored(insert(seed)),
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
