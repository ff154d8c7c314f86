// The queue job: what the Action (or a resync) hands the worker about one Auth0 user change.
// Versioned, and carrying only what the sync rules use: no tokens, no Auth0 profile beyond them.
// zod/mini (shared/zodMini.ts) keeps the Action small.
import { createHash } from "node:crypto";
import { userEventTypeSchema } from "./auth0Event.js";
import { directiveSourceSchema } from "./directive.js";
import * as z from "./zodMini.js";

/** The default queue the Action fills and the worker drains. */
export const DEFAULT_QUEUE_NAME = "surecloud-group-sync";

/** An ISO 8601 date-time with a zone, as Auth0 writes them. */
export const isoDateSchema = z.iso.datetime({ offset: true });

/** A string that is not empty: `z.string().min(1)` in zod's classic API. */
const nonEmptyString = () => z.string().check(z.minLength(1));

export const syncJobSchema = z.object({
  /** Schema version of this job; a worker refuses versions it does not know. */
  schema: z.literal(1),
  /** Where the job came from: a live Auth0 event, or a resync from the Management API. */
  origin: z.enum(["event", "resync"]),
  event: z.object({
    id: nonEmptyString(),
    type: userEventTypeSchema,
    time: isoDateSchema,
  }),
  /** The Auth0 connection name the user belongs to: routes the job to a tenant. */
  connection: nonEmptyString(),
  /** Orders changes for one user: `updated_at`, else the event time (ISO 8601). */
  version: isoDateSchema,
  user: z.object({
    /** Auth0 `user_id`; becomes SureCloud `externalId`. */
    userId: nonEmptyString(),
    userName: z.optional(nonEmptyString()),
    email: z.optional(nonEmptyString()),
    givenName: z.optional(nonEmptyString()),
    familyName: z.optional(nonEmptyString()),
    displayName: z.optional(nonEmptyString()),
    blocked: z.boolean(),
  }),
  directive: directiveSourceSchema,
  /**
   * The user's Entra app roles (the Action's ROLES_ATTRIBUTE, default `app_metadata.roles`) as JSON
   * text, for tenants with `directiveSource: roles` (shared/entraRoles.ts reads it). Left out when
   * the user has none and never had: jobs from producers older than this field read the same.
   */
  roles: z.optional(directiveSourceSchema),
});
export type SyncJob = z.infer<typeof syncJobSchema>;

/**
 * The job id for an event: readable for Auth0's `evt_…` ids; any other id is hashed, since BullMQ
 * ids may not contain ':' and two different events must never share an id.
 */
export function jobIdFor(origin: SyncJob["origin"], eventId: string): string {
  if (/^[A-Za-z0-9_.-]+$/.test(eventId)) return `${origin}-${eventId}`;
  return `${origin}-x-${createHash("sha256").update(eventId).digest("hex").slice(0, 40)}`;
}
