// The one adapter between the sync rules and a SureCloud tenant. The HTTP client implements it
// against the contract in surecloud-api.yaml; another implementation can replace it.
import { z } from "zod";

export const userStatusSchema = z.enum(["ACTIVE", "INACTIVE"]);
export type UserStatus = z.infer<typeof userStatusSchema>;

export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
});
export type Group = z.infer<typeof groupSchema>;

export const groupRefSchema = z.object({ id: z.string(), name: z.string() });
export type GroupRef = z.infer<typeof groupRefSchema>;

export const sureCloudUserSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  userName: z.string(),
  email: z.string(),
  givenName: z.string().nullable().optional(),
  familyName: z.string().nullable().optional(),
  displayName: z.string().nullable().optional(),
  status: userStatusSchema,
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type SureCloudUser = z.infer<typeof sureCloudUserSchema>;

export const userWriteSchema = z.object({
  externalId: z.string(),
  userName: z.string(),
  email: z.string(),
  givenName: z.string().nullable().optional(),
  familyName: z.string().nullable().optional(),
  displayName: z.string().nullable().optional(),
  status: userStatusSchema,
});
export type UserWrite = z.infer<typeof userWriteSchema>;

export const userPatchSchema = userWriteSchema.partial();
export type UserPatch = z.infer<typeof userPatchSchema>;

/** Exactly one look-up key, as the contract's findUsers takes it. */
export type UserLookup = { externalId: string } | { userName: string } | { email: string };

/**
 * A SureCloud tenant's users and groups. Every method throws RetryableError for failures a retry
 * can fix (network, timeout, 429, 5xx) and PermanentError for the rest (shared/errors.ts).
 */
export interface SureCloudDirectory {
  /** Every group of the tenant (all pages). */
  listGroups(): Promise<Group[]>;
  /** The user matching the key, or undefined. */
  findUser(lookup: UserLookup): Promise<SureCloudUser | undefined>;
  createUser(user: UserWrite): Promise<SureCloudUser>;
  /** Sends only the fields in `patch` (at least one). */
  updateUser(userId: string, patch: UserPatch): Promise<SureCloudUser>;
  /** Every group the user is a member of. */
  listUserGroups(userId: string): Promise<GroupRef[]>;
  addMember(groupId: string, userId: string): Promise<void>;
  removeMember(groupId: string, userId: string): Promise<void>;
}
