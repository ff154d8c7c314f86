// Matching an Auth0 user to a SureCloud user (rule 3): externalId, then userName, then email —
// the precedence Entra's own matching uses. A match linked to another Auth0 user is a conflict.
// The SureCloud id the worker remembers from its last sync of the user is read first: when that
// user still carries the Auth0 user's externalId it is the externalId match, found in one call.

import type { SureCloudUser, UserLookup } from "../../contract/surecloud.js";
import { PermanentError } from "../../shared/errors.js";
import type { SyncJob } from "../../shared/job.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";

export interface MatchedUser {
  by: "externalId" | "userName" | "email";
  user: SureCloudUser;
  auth0UserId: string;
}

export async function matchUser(
  user: SyncJob["user"],
  directory: SureCloudDirectory,
  rememberedId?: string,
): Promise<MatchedUser | undefined> {
  if (rememberedId) {
    // Gone (404) or relinked since: the look-ups below decide, as for a user never seen.
    const remembered = await directory.getUser(rememberedId);
    if (remembered?.externalId === user.userId)
      return { by: "externalId", user: remembered, auth0UserId: user.userId };
  }
  const byExternalId = await directory.findUser({ externalId: user.userId });
  if (byExternalId) return { by: "externalId", user: byExternalId, auth0UserId: user.userId };

  // Both fallbacks are looked up at once (a new user misses both); precedence decides below.
  const candidates = await Promise.all(
    [
      { by: "userName" as const, value: user.userName },
      // Look-ups are case-insensitive: an email equal to the userName would find the same user.
      { by: "email" as const, value: sameText(user.email, user.userName) ? undefined : user.email },
    ].map(async (candidate) => ({
      ...candidate,
      found: candidate.value ? await directory.findUser(lookupFor(candidate.by, candidate.value)) : undefined,
    })),
  );
  for (const { by, value, found } of candidates) {
    if (!found) continue;
    if (found.externalId !== null && found.externalId !== user.userId) {
      throw new PermanentError(
        "conflict",
        `SureCloud user ${found.id} matched by ${by} "${value}" is linked to another Auth0 user (${found.externalId})`,
      );
    }
    return { by, user: found, auth0UserId: user.userId };
  }
  return undefined;
}

function lookupFor(by: "userName" | "email", value: string): UserLookup {
  return by === "userName" ? { userName: value } : { email: value };
}

function sameText(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
