// The worker's Auth0Truth: one Management API read per job of a tenant that verifies with Auth0.
// The SDK retries 429s as Auth0's Retry-After / X-RateLimit-Reset say; what still fails is a
// RetryableError (the job retries with backoff), except a refusal of the credentials, which no
// retry fixes. Loaded only when a tenant verifies, so other workers never load the Auth0 SDK.
import type { Auth0Credentials } from "../../shared/auth0Credentials.js";
import { PermanentError, RetryableError } from "../../shared/errors.js";
import type { Auth0Truth } from "../sync/verify.js";
import { makeManagementClient, readAuth0User, statusOf } from "./managementApi.js";

export function makeAuth0Truth(credentials: Auth0Credentials): Auth0Truth {
  const client = makeManagementClient(credentials, { maxRetries: 3, timeoutSeconds: 10 });
  return {
    async getUser(userId) {
      try {
        return await readAuth0User(client, userId);
      } catch (error) {
        const status = statusOf((error as Error).cause);
        const message = (error as Error).message;
        if (status === 401 || status === 403) throw new PermanentError("tenant-misconfigured", message);
        throw new RetryableError(message, { status });
      }
    },
  };
}
