// The SureCloud API contract (contract/surecloud-api.yaml) as zod schemas: one per shape the API
// sends or takes. The worker's adapter checks every answer against them; the emulator checks every
// request against them; both depend on this module and never on each other.
import { z } from "zod";

/** The contract's `UserStatus`. */
export const userStatusSchema = z.enum(["ACTIVE", "INACTIVE"]);
export type UserStatus = z.infer<typeof userStatusSchema>;

/** The contract's `Group`. */
export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
});
export type Group = z.infer<typeof groupSchema>;

/** The contract's `GroupRef`: a group as a user's memberships list it. */
export const groupRefSchema = z.object({ id: z.string(), name: z.string() });
export type GroupRef = z.infer<typeof groupRefSchema>;

/** The contract's `User`. */
export const sureCloudUserSchema = z.object({
  id: z.string(),
  /** The Auth0 user_id once linked. */
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

/** The contract's `UserWrite` (createUser's body): a user's writable fields, linked to an Auth0 user. */
export const userWriteSchema = sureCloudUserSchema
  .omit({ id: true, createdAt: true, updatedAt: true })
  .extend({ externalId: z.string() });
export type UserWrite = z.infer<typeof userWriteSchema>;

/** The contract's `UserPatch` (updateUser's body; the API asks for at least one field). */
export const userPatchSchema = userWriteSchema.partial();
export type UserPatch = z.infer<typeof userPatchSchema>;

/** Exactly one look-up key, as the contract's findUsers takes it. */
export type UserLookup = { externalId: string } | { userName: string } | { email: string };

/** listGroups' answer: one page and the cursor of the next (null on the last). */
export const groupPageSchema = z.object({ items: z.array(groupSchema), nextCursor: z.string().nullable() });
/** findUsers' answer. */
export const userListSchema = z.object({ items: z.array(sureCloudUserSchema) });
/** listUserGroups' answer. */
export const groupRefListSchema = z.object({ items: z.array(groupRefSchema) });

/** The contract's `Error` body. */
export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The largest listGroups page the contract allows. */
export const MAX_GROUP_PAGE_LIMIT = 500;
