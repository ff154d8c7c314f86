// Matching an Auth0 user to a SureCloud user (rule 3): externalId, then userName, then email —
// the precedence Entra's own matching uses. A match linked to another Auth0 user is a conflict.
import { PermanentError } from "../../shared/errors.js";
import type { SyncJob } from "../../shared/job.js";
import type { SureCloudDirectory, SureCloudUser } from "../surecloud/directory.js";

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

  const candidates = [
    { by: "userName" as const, value: user.userName },
    { by: "email" as const, value: user.email },
  ];
  for (const candidate of candidates) {
    if (!candidate.value) continue;
    const lookup = candidate.by === "userName" ? { userName: candidate.value } : { email: candidate.value };
    const found = await directory.findUser(lookup);
    if (!found) continue;
    if (found.externalId !== null && found.externalId !== user.userId) {
      throw new PermanentError(
        "conflict",
        `SureCloud user ${found.id} matched by ${candidate.by} "${candidate.value}" is linked to another Auth0 user (${found.externalId})`,
      );
    }
    return { by: candidate.by, user: found, auth0UserId: user.userId };
  }
  return undefined;
}
