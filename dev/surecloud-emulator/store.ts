// One SureCloud tenant's state (groups, users, memberships) and the contract's rules over it:
// uniqueness, look-up case rules, PATCH semantics, idempotent membership writes. No HTTP here.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  type Group,
  type GroupRef,
  type UserPatch,
  type UserStatus,
  type UserWrite,
  userStatusSchema,
} from "../../contract/surecloud.js";
import { HttpError } from "./httpError.js";

export const groupSeedSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
});
export type GroupSeed = z.infer<typeof groupSeedSchema>;

/** A user placed by hand (admin surface or test), optionally already in groups. */
export const userSeedSchema = z.object({
  /** Fixed id; generated (`usr_…`) when absent. */
  id: z.string().min(1).optional(),
  /** null = not linked to an Auth0 user yet. */
  externalId: z.string().nullable().default(null),
  userName: z.string().min(1),
  email: z.string().min(1),
  givenName: z.string().nullable().default(null),
  familyName: z.string().nullable().default(null),
  displayName: z.string().nullable().default(null),
  status: userStatusSchema.default("ACTIVE"),
  groupIds: z.array(z.string()).default([]),
});
export type UserSeed = z.input<typeof userSeedSchema>;

/** A user as the API returns it: every field present, absent optionals as null. */
export interface EmulatedUser {
  id: string;
  externalId: string | null;
  userName: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

export type UserWithGroups = EmulatedUser & { groups: GroupRef[] };

export interface TenantState {
  tenant: string;
  groups: Group[];
  users: UserWithGroups[];
}

/** What insertUser takes: a UserWrite, except seeded users may be unlinked and have a fixed id. */
type NewUserFields = Omit<UserWrite, "externalId"> & { id: string | undefined; externalId: string | null };

export type UserLookupKey = "externalId" | "userName" | "email";

/** Opaque to clients; an offset underneath, which is all a fixed group list needs. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1]) throw new HttpError(400, "bad_request", "cursor is not one this server issued");
  return Number(match[1]);
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Stateful by nature (it is the tenant's database), hence a class. */
export class TenantStore {
  readonly id: string;
  /** Keyed by lower-case id: UUIDs compare without regard to case. Map order = listing order. */
  private readonly groupsByKey = new Map<string, Group>();
  private readonly users = new Map<string, EmulatedUser>();
  private readonly memberships = new Map<string, Set<string>>();
  private readonly initialGroups: GroupSeed[];

  constructor(id: string, groups: GroupSeed[]) {
    this.id = id;
    this.initialGroups = groups.map((group) => groupSeedSchema.parse(group));
    this.reset();
  }

  /** Back to the seeded groups, no users, no memberships. */
  reset(): void {
    this.groupsByKey.clear();
    this.users.clear();
    this.memberships.clear();
    for (const group of this.initialGroups) this.upsertGroup(group);
  }

  listGroupsPage(cursor: string | undefined, limit: number): { items: Group[]; nextCursor: string | null } {
    const offset = cursor === undefined ? 0 : decodeCursor(cursor);
    const all = [...this.groupsByKey.values()];
    const items = all.slice(offset, offset + limit).map((group) => ({ ...group }));
    return { items, nextCursor: offset + limit < all.length ? encodeCursor(offset + limit) : null };
  }

  groups(): Group[] {
    return [...this.groupsByKey.values()].map((group) => ({ ...group }));
  }

  findUsers(key: UserLookupKey, value: string): EmulatedUser[] {
    const matches = (user: EmulatedUser): boolean => {
      switch (key) {
        case "externalId":
          return user.externalId === value;
        case "userName":
          return sameText(user.userName, value);
        case "email":
          return sameText(user.email, value);
        default: {
          const never: never = key;
          return never;
        }
      }
    };
    return [...this.users.values()].filter(matches).map((user) => ({ ...user }));
  }

  getUser(userId: string): EmulatedUser {
    return { ...this.requireUser(userId) };
  }

  createUser(write: UserWrite): EmulatedUser {
    return this.insertUser({ ...write, id: undefined });
  }

  updateUser(userId: string, patch: UserPatch): EmulatedUser {
    const user = this.requireUser(userId);
    this.assertUnique(patch, userId);
    let changed = false;
    for (const field of Object.keys(patch) as (keyof UserPatch)[]) {
      const value = patch[field];
      if (value === undefined || user[field] === value) continue;
      Object.assign(user, { [field]: value });
      changed = true;
    }
    if (changed) user.updatedAt = new Date().toISOString();
    return { ...user };
  }

  userGroups(userId: string): GroupRef[] {
    this.requireUser(userId);
    const keys = this.memberships.get(userId) ?? new Set<string>();
    // Catalogue order, so a listing is stable whatever order the writes came in.
    return [...this.groupsByKey.entries()]
      .filter(([key]) => keys.has(key))
      .map(([, group]) => ({ id: group.id, name: group.name }));
  }

  addMember(groupId: string, userId: string): void {
    const key = this.requireGroupKey(groupId);
    this.requireUser(userId);
    this.membershipSet(userId).add(key);
  }

  removeMember(groupId: string, userId: string): void {
    const key = this.requireGroupKey(groupId);
    this.requireUser(userId);
    this.membershipSet(userId).delete(key);
  }

  /** Admin: places a user (and its memberships) as if someone had made it in SureCloud's UI. */
  seedUser(seed: UserSeed): UserWithGroups {
    const parsed = userSeedSchema.parse(seed);
    const keys = parsed.groupIds.map((groupId) => this.requireGroupKey(groupId));
    const { groupIds: _groupIds, ...fields } = parsed;
    const user = this.insertUser({ ...fields, id: fields.id });
    for (const key of keys) this.membershipSet(user.id).add(key);
    return this.withGroups(user);
  }

  /** Admin: makes the user's memberships exactly `groupIds`. */
  setMemberships(userId: string, groupIds: string[]): UserWithGroups {
    const user = this.requireUser(userId);
    const keys = groupIds.map((groupId) => this.requireGroupKey(groupId));
    this.memberships.set(userId, new Set(keys));
    return this.withGroups(user);
  }

  /** Admin: creates or renames a group, as SureCloud's own UI would. */
  upsertGroup(group: GroupSeed): Group {
    const parsed = groupSeedSchema.parse(group);
    const key = parsed.id.toLowerCase();
    const existing = this.groupsByKey.get(key);
    const next: Group = { ...parsed, id: existing?.id ?? parsed.id };
    this.groupsByKey.set(key, next);
    return { ...next };
  }

  /** Admin: deletes a group and every membership in it. */
  deleteGroup(groupId: string): void {
    const key = this.requireGroupKey(groupId);
    this.groupsByKey.delete(key);
    for (const keys of this.memberships.values()) keys.delete(key);
  }

  state(): TenantState {
    return {
      tenant: this.id,
      groups: this.groups(),
      users: [...this.users.values()].map((user) => this.withGroups(user)),
    };
  }

  private insertUser(fields: NewUserFields): EmulatedUser {
    this.assertUnique(fields, undefined);
    const id = fields.id ?? `usr_${randomBytes(9).toString("base64url")}`;
    if (this.users.has(id)) throw new HttpError(409, "conflict", `user id "${id}" is taken`);
    const now = new Date().toISOString();
    const user: EmulatedUser = {
      id,
      externalId: fields.externalId,
      userName: fields.userName,
      email: fields.email,
      givenName: fields.givenName ?? null,
      familyName: fields.familyName ?? null,
      displayName: fields.displayName ?? null,
      status: fields.status,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(id, user);
    return { ...user };
  }

  /** 409 when a userName/email (any case) or externalId (exact) belongs to another user. */
  private assertUnique(
    fields: { userName?: string; email?: string; externalId?: string | null },
    selfId: string | undefined,
  ): void {
    for (const other of this.users.values()) {
      if (other.id === selfId) continue;
      if (fields.userName !== undefined && sameText(other.userName, fields.userName)) {
        throw new HttpError(409, "conflict", `userName "${fields.userName}" belongs to user ${other.id}`);
      }
      if (fields.email !== undefined && sameText(other.email, fields.email)) {
        throw new HttpError(409, "conflict", `email "${fields.email}" belongs to user ${other.id}`);
      }
      if (fields.externalId != null && other.externalId === fields.externalId) {
        throw new HttpError(409, "conflict", `externalId "${fields.externalId}" belongs to user ${other.id}`);
      }
    }
  }

  private requireUser(userId: string): EmulatedUser {
    const user = this.users.get(userId);
    if (!user) throw new HttpError(404, "not_found", `user ${userId} not found`);
    return user;
  }

  private requireGroupKey(groupId: string): string {
    const key = groupId.toLowerCase();
    if (!this.groupsByKey.has(key)) throw new HttpError(404, "not_found", `group ${groupId} not found`);
    return key;
  }

  private membershipSet(userId: string): Set<string> {
    let keys = this.memberships.get(userId);
    if (!keys) {
      keys = new Set();
      this.memberships.set(userId, keys);
    }
    return keys;
  }

  private withGroups(user: EmulatedUser): UserWithGroups {
    return { ...user, groups: this.userGroups(user.id) };
  }
}
