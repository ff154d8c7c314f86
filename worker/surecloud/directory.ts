// The one adapter between the sync rules and a SureCloud tenant. The HTTP client implements it
// against the contract (contract/surecloud-api.yaml); another implementation can replace it.
import type {
  Group,
  GroupRef,
  SureCloudUser,
  UserLookup,
  UserPatch,
  UserWrite,
} from "../../contract/surecloud.js";

/**
 * A SureCloud tenant's users and groups. Every method throws RetryableError for failures a retry
 * can fix (network, timeout, 429, 5xx) and PermanentError for the rest (shared/errors.ts).
 */
export interface SureCloudDirectory {
  /** Every group of the tenant (all pages). */
  listGroups(): Promise<Group[]>;
  /** The user with this SureCloud id, or undefined when there is none (404). */
  getUser(userId: string): Promise<SureCloudUser | undefined>;
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
