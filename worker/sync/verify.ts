// Jobs are claims; Auth0 is the truth. For a tenant with `verifyWithAuth0`, a job only says which
// user to look at: the worker reads that user from the Auth0 Management API and applies Auth0's
// current state, so a forged or stale job cannot change SureCloud beyond what Auth0 holds. A job
// whose connection is not the user's Auth0 identity is refused; a user Auth0 no longer has is
// treated as deleted. It costs one Management API call per job (README, "Verifying jobs with Auth0").
import type { Auth0User } from "../../shared/auth0Event.js";
import { PermanentError } from "../../shared/errors.js";
import { connectionOf, userToJob } from "../../shared/eventToJob.js";
import type { SyncJob } from "../../shared/job.js";

/** Reads users from Auth0 (worker/auth0/ implements it over the Management API). */
export interface Auth0Truth {
  /** The user, or undefined when Auth0 has none with this id. */
  getUser(userId: string): Promise<Auth0User | undefined>;
}

/** Where the user's directive and app roles live on the Auth0 user (the Action's secrets say the same). */
export interface Auth0Attributes {
  directiveAttribute: string;
  /** Default DEFAULT_ROLES_ATTRIBUTE. */
  rolesAttribute?: string;
}

/** The job to apply: the claimed job rebuilt from what Auth0 holds now, app roles included. */
export async function jobFromAuth0(
  claim: SyncJob,
  truth: Auth0Truth,
  attributes: Auth0Attributes,
  now: () => Date = () => new Date(),
): Promise<SyncJob> {
  const user = await truth.getUser(claim.user.userId);
  if (!user) {
    // Gone from Auth0: deleted, as of now (the claim's own time may be forged).
    const time = now().toISOString();
    return { ...claim, event: { ...claim.event, type: "user.deleted" }, version: time };
  }
  const connection = connectionOf(user);
  if (connection !== claim.connection) {
    throw new PermanentError(
      "invalid-job",
      `Job claims connection "${claim.connection}" for Auth0 user ${claim.user.userId}, whose identity is on "${connection ?? "(none)"}"`,
    );
  }
  // A user Auth0 still has is not deleted, whatever the claim says; a creation stays one, so the
  // create-first path still applies to it.
  const type = claim.event.type === "user.created" ? "user.created" : "user.updated";
  return userToJob({
    user,
    connection,
    directiveAttribute: attributes.directiveAttribute,
    rolesAttribute: attributes.rolesAttribute,
    origin: claim.origin,
    event: { ...claim.event, type },
  });
}
