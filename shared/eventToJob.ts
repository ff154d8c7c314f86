// Maps an Auth0 user CloudEvent (or a user from the Management API) to a queue job.

import { type Auth0User, type UserEvent, type UserEventType, userEventSchema } from "./auth0Event.js";
import { boundedJson } from "./boundedJson.js";
import { formatIssues } from "./configIssues.js";
import type { DirectiveSource } from "./directive.js";
import { rolesJson } from "./entraRoles.js";
import { isoDateSchema, type SyncJob } from "./job.js";

/** Where Auth0 stores the SCIM `userType` attribute by default. */
export const DEFAULT_DIRECTIVE_ATTRIBUTE = "app_metadata.user_type";

/** Where tenant-config/scim-mapping.yaml has Auth0 store the SCIM `roles` attribute (Entra's app roles). */
export const DEFAULT_ROLES_ATTRIBUTE = "app_metadata.roles";

/**
 * How much of a non-string directive value a job keeps: enough for an operator to recognise it in
 * the invalid-directive failure, never a stack-deep or megabyte-long copy of what Auth0 sent.
 */
const NON_STRING_DIRECTIVE_LIMITS = { maxChars: 256, maxDepth: 8 };

export type EventMapping =
  | { kind: "job"; job: SyncJob }
  /** Never handleable: log and acknowledge, never throw (a poison event must not disable the stream). */
  | { kind: "reject"; reason: string };

/** Validates an Auth0 CloudEvent and builds its job. */
export function eventToJob(
  message: unknown,
  directiveAttribute = DEFAULT_DIRECTIVE_ATTRIBUTE,
  rolesAttribute = DEFAULT_ROLES_ATTRIBUTE,
): EventMapping {
  const parsed = userEventSchema.safeParse(message);
  if (!parsed.success) {
    return { kind: "reject", reason: formatIssues(parsed.error, { root: "message", limit: 1 }) };
  }
  const event: UserEvent = parsed.data;
  const connection = nonEmpty(event.data.context?.connection?.name) ?? connectionOf(event.data.object);
  if (!connection) return { kind: "reject", reason: "data.object.identities: the user has no connection" };
  const job = userToJob({
    user: event.data.object,
    previous: event.data.previous_object,
    connection,
    directiveAttribute,
    rolesAttribute,
    origin: "event",
    event: { id: event.id, type: event.type, time: event.time },
  });
  return { kind: "job", job };
}

export interface UserToJobInput {
  user: Auth0User;
  previous?: Record<string, unknown> | undefined;
  connection: string;
  directiveAttribute: string;
  /** Where the user's Entra app roles live. Default DEFAULT_ROLES_ATTRIBUTE. */
  rolesAttribute?: string;
  origin: SyncJob["origin"];
  event: { id: string; type: UserEventType; time: string };
}

/** Builds a job from an Auth0 user; shared by the Action and the resync. */
export function userToJob(input: UserToJobInput): SyncJob {
  const { user, previous, event } = input;
  const roles = rolesSourceOf(user, previous, input.rolesAttribute ?? DEFAULT_ROLES_ATTRIBUTE);
  return {
    schema: 1,
    origin: input.origin,
    event,
    connection: input.connection,
    version: versionOf(user, event),
    user: {
      userId: user.user_id,
      userName: nonEmpty(user.preferred_username) ?? nonEmpty(user.username) ?? nonEmpty(user.email),
      email: nonEmpty(user.email),
      givenName: nonEmpty(user.given_name),
      familyName: nonEmpty(user.family_name),
      displayName: nonEmpty(user.name),
      blocked: user.blocked === true,
    },
    directive: directiveSourceOf(user, previous, input.directiveAttribute),
    ...(roles.state === "absent" ? {} : { roles }),
  };
}

/** The connection of the user's first identity (SCIM users have exactly one). */
export function connectionOf(user: Auth0User): string | undefined {
  return user.identities?.[0]?.connection;
}

function directiveSourceOf(
  user: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
  attribute: string,
): DirectiveSource {
  const current = readPath(user, attribute);
  if (current !== undefined && current !== null) {
    // A non-string is never a valid directive: it stays present (as JSON text) so that the worker
    // fails it as invalid-directive rather than treating the user as having no directive.
    const raw = typeof current === "string" ? current : boundedJson(current, NON_STRING_DIRECTIVE_LIMITS);
    return { state: "present", raw };
  }
  const before = previous ? readPath(previous, attribute) : undefined;
  if (before !== undefined && before !== null) return { state: "cleared" };
  return { state: "absent" };
}

/** The user's app roles as JSON text, whatever their shape: the worker reads them for roles tenants. */
function rolesSourceOf(
  user: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
  attribute: string,
): DirectiveSource {
  const current = readPath(user, attribute);
  if (current !== undefined && current !== null) return { state: "present", raw: rolesJson(current) };
  const before = previous ? readPath(previous, attribute) : undefined;
  return before !== undefined && before !== null ? { state: "cleared" } : { state: "absent" };
}

/** Reads a dotted path (`app_metadata.user_type`) from an object. */
export function readPath(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value : undefined;
}

/**
 * Rule 2: `updated_at`, else the event time. A deletion is ordered by whichever is later, since
 * the deleted user's `updated_at` is that of its last update and must not tie with it.
 */
function versionOf(user: Auth0User, event: UserToJobInput["event"]): string {
  const updatedAt = isoDateSchema.safeParse(user.updated_at).success ? user.updated_at : undefined;
  if (!updatedAt) return event.time;
  if (event.type === "user.deleted" && Date.parse(event.time) > Date.parse(updatedAt)) return event.time;
  return updatedAt;
}
