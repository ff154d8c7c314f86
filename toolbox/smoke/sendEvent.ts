// The smoke test's event: one Auth0 user event for a user of a connection, built as Auth0 builds it
// and handed to the built Action, which puts the job on the queue exactly as in production. What
// the Action logs is kept, so an event it acknowledges without a job can say why.
import { jobIdFor } from "../../shared/job.js";
import type { ActionModule } from "./actionBundle.js";
import { type Auth0UserCloudEvent, type Auth0UserEventType, makeUserEvent } from "./auth0UserEvent.js";

export interface SmokeUser {
  connection: string;
  email?: string | undefined;
  userName?: string | undefined;
  userId?: string | undefined;
  /** The userType; undefined: the user has none. */
  directive?: string | undefined;
  roles?: string[] | undefined;
  blocked?: boolean | undefined;
  type: Auth0UserEventType;
}

/** The user the event describes, every default filled in. */
export interface SmokeIdentity {
  auth0UserId: string;
  email: string;
  userName: string;
  givenName: string;
  familyName: string;
}

export function smokeIdentity(user: SmokeUser): SmokeIdentity {
  const email =
    user.email ?? (user.userName?.includes("@") ? user.userName : `smoke.test@${user.connection}.example`);
  const userName = user.userName ?? email;
  const [givenName, familyName] = namesFrom(email);
  return {
    auth0UserId: user.userId ?? `samlp|${user.connection}|${userName}`,
    email,
    userName,
    givenName,
    familyName,
  };
}

/** `gina.globex@…` → Gina, Globex; a one-word local part gets the family name `User`. */
function namesFrom(email: string): [string, string] {
  const words = (email.split("@")[0] ?? "")
    .split(/[._-]+/)
    .filter(Boolean)
    .map(capitalise);
  return [words[0] ?? "Smoke", words.slice(1).join(" ") || "User"];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function buildSmokeEvent(user: SmokeUser, identity: SmokeIdentity): Auth0UserCloudEvent {
  return makeUserEvent({
    type: user.type,
    connection: user.connection,
    userId: identity.auth0UserId,
    email: identity.email,
    userName: identity.userName,
    givenName: identity.givenName,
    familyName: identity.familyName,
    ...(user.directive === undefined ? {} : { userType: user.directive }),
    ...(user.roles === undefined ? {} : { roles: user.roles }),
    ...(user.blocked ? { blocked: true } : {}),
  });
}

export interface Delivery {
  eventId: string;
  jobId: string;
  /** False when the Action acknowledged the event without storing a job. */
  queued: boolean;
  /** The Action's own log lines (JSON), as Auth0's execution log would show them. */
  actionLog: string[];
}

/** Runs the Action on the event; throws what the Action throws (Redis unreachable, a bad secret). */
export async function deliverThroughAction(
  action: ActionModule,
  message: Auth0UserCloudEvent,
  /** The Action's secrets: QUEUE_NAME and the Redis settings (REDIS_URL, or a cluster's or sentinel group's). */
  secrets: Record<string, string> & { QUEUE_NAME: string },
): Promise<Delivery> {
  const actionLog: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    actionLog.push(args.map(String).join(" "));
  };
  try {
    await action.onExecuteEventStream({ message, secrets }, { cache: {} });
  } finally {
    console.log = original;
  }
  const queued = actionLog.some((line) => line.includes('"msg":"job queued"'));
  return { eventId: message.id, jobId: jobIdFor("event", message.id), queued, actionLog };
}
