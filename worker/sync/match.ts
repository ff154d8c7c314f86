// Matching an Auth0 user to a SureCloud user (rule 3): externalId, then userName, then email —
// the precedence Entra's own matching uses. A match linked to another Auth0 user is a conflict.

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
): Promise<MatchedUser | undefined> {
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
