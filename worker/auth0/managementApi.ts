// The Auth0 Management API client: the worker reads a user with it before applying a job of a
// tenant that verifies with Auth0, and the toolbox's resync, plan and drift list users with it.
// Its errors are told apart for operators. Credentials come from the environment.
import { ManagementClient, ManagementError } from "auth0";
import type { Auth0Credentials } from "../../shared/auth0Credentials.js";
import { type Auth0User, auth0UserSchema } from "../../shared/auth0Event.js";
import { networkCause } from "../../shared/networkCause.js";

export interface ManagementApiOptions {
  /**
   * Retries of one request on 429 and 5xx. The SDK waits as `Retry-After` (or `X-RateLimit-Reset`)
   * says, up to 60 s, else backs off exponentially from 1 s. Default 5.
   */
  maxRetries?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutSeconds?: number;
}

export function makeManagementClient(
  credentials: Auth0Credentials,
  options: ManagementApiOptions = {},
): ManagementClient {
  return new ManagementClient({
    domain: credentials.domain,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    maxRetries: options.maxRetries ?? 5,
    timeoutInSeconds: options.timeoutSeconds ?? 30,
  });
}

/** The user, or undefined when Auth0 has no user with this id (404). */
export async function readAuth0User(
  client: ManagementClient,
  userId: string,
): Promise<Auth0User | undefined> {
  try {
    const user = await client.users.get(userId);
    const parsed = auth0UserSchema.safeParse(user);
    return parsed.success ? parsed.data : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw describeManagementError(error, `reading user ${userId}`);
  }
}

/** The HTTP status of a Management API failure, when it had one. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ManagementError ? error.statusCode : undefined;
}

/** Rewords a Management API failure so that it says what was asked and what to check. */
export function describeManagementError(error: unknown, what: string): Error {
  const status = statusOf(error);
  if (status === 401 || status === 403) {
    return new Error(
      `Auth0 refused ${what} (${status}): check AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET and that the application is granted read:users`,
      { cause: error },
    );
  }
  if (status === 429)
    return new Error(`Auth0 rate limit still exceeded after retries: ${what}`, { cause: error });
  if (status) return new Error(`Auth0 Management API failed: ${what}: HTTP ${status}`, { cause: error });
  // Unanswered: the network error beneath names the host (getaddrinfo ENOTFOUND <tenant domain>).
  const unreached = networkCause(error);
  if (unreached) return new Error(`cannot reach Auth0 (${what}): ${unreached}`, { cause: error });
  return new Error(`Auth0 Management API failed: ${what}: ${(error as Error).message}`, { cause: error });
}
