// The queue job a resync puts on the queue for one Auth0 user: the same job an event would carry,
// built from the user's current state, so the worker applies the same sync rules to it.
import { createHash, randomBytes } from "node:crypto";
import type { Auth0User } from "../../shared/auth0Event.js";
import { userToJob } from "../../shared/eventToJob.js";
import { isoDateSchema, jobIdFor, type SyncJob } from "../../shared/job.js";
import type { Auth0Attributes } from "../../worker/sync/verify.js";

export interface ResyncJob {
  job: SyncJob;
  /** Unique to the run: a failed job from an earlier run never blocks a new one. */
  jobId: string;
  /**
   * The same for the same user state (user id + updated_at): while one job for a state is waiting,
   * another resync adds no second one (BullMQ deduplication).
   */
  deduplicationId: string;
}

/**
 * Version of a user Auth0 gave no usable `updated_at` for: older than any event, so such a resync
 * never overrides a live change (it still creates or repairs a user nothing else has touched).
 */
const UNKNOWN_VERSION = "1970-01-01T00:00:00.000Z";

/** A run id: when it started, plus a random tail (letters and digits only, as job ids allow). */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}${randomBytes(2).toString("hex")}`;
}

export function resyncJobFor(
  user: Auth0User,
  connection: string,
  attributes: Auth0Attributes,
  runId: string,
): ResyncJob {
  const version = isoDateSchema.safeParse(user.updated_at).success
    ? (user.updated_at as string)
    : UNKNOWN_VERSION;
  const state = digest(`${user.user_id}|${version}`);
  // The event id names the run, so a repeat resync of an applied state is processed (and finds
  // nothing to change) rather than skipped as a duplicate.
  const eventId = `rsy_${runId}_${state}`;
  const job = userToJob({
    user,
    connection,
    ...attributes,
    origin: "resync",
    event: { id: eventId, type: "user.updated", time: version },
  });
  return { job, jobId: jobIdFor("resync", eventId), deduplicationId: `resync-${state}` };
}

/**
 * The job that makes the SureCloud user of an Auth0 user that no longer exists INACTIVE (rule 8,
 * groups kept), as the `user.deleted` event Auth0 did not deliver would have.
 */
export function orphanJobFor(
  auth0UserId: string,
  connection: string,
  attributes: Auth0Attributes,
  runId: string,
  now = new Date(),
): ResyncJob {
  const state = digest(`${auth0UserId}|deleted`);
  const eventId = `rsd_${runId}_${state}`;
  const job = userToJob({
    user: { user_id: auth0UserId, identities: [{ connection }] },
    connection,
    ...attributes,
    origin: "resync",
    event: { id: eventId, type: "user.deleted", time: now.toISOString() },
  });
  return { job, jobId: jobIdFor("resync", eventId), deduplicationId: `resync-${state}` };
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 24);
}
