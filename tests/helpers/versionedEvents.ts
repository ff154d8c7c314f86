// Load for the at-least-once and concurrency tests: several versions of a few users' events, and a
// seeded shuffle to deliver them out of order, replayably.
import { groups } from "../../dev/catalogue.js";
import { type Auth0UserCloudEvent, makeUserEvent } from "../fixtures/auth0Events.js";

/** The groups the versions rotate through, so every version of a user asks for a different group. */
const choices = [groups.breachReporter, groups.readOnly, groups.riskManager, groups.vulnAdmin];

/** The group version `version` of user `userIndex` asks for. */
export function groupFor(userIndex: number, version: number): (typeof choices)[number] | undefined {
  return choices[(userIndex + version) % choices.length];
}

export interface VersionedEventsOptions {
  /** Names the users `samlp|acme-entra|<name>-<i>` and `<name>-<i>@acme.example`. */
  name: string;
  users: number;
  versions: number;
  /** ISO time of version 0; each later version is one second on. */
  start: string;
}

/**
 * Per user, version 0 (`user.created`) to the newest (`user.updated`), each naming its version in
 * the given name and asking for `groupFor(user, version)`.
 */
export function versionedUserEvents(options: VersionedEventsOptions): {
  userIds: string[];
  events: Auth0UserCloudEvent[];
} {
  const userIds = Array.from(
    { length: options.users },
    (_, index) => `samlp|acme-entra|${options.name}-${index}`,
  );
  const start = Date.parse(options.start);
  const events = userIds.flatMap((userId, userIndex) =>
    Array.from({ length: options.versions }, (_, version) => {
      const time = new Date(start + version * 1000).toISOString();
      return makeUserEvent({
        type: version === 0 ? "user.created" : "user.updated",
        userId,
        email: `${options.name}-${userIndex}@acme.example`,
        givenName: `Version${version}`,
        time,
        updatedAt: time,
        userType: groupFor(userIndex, version)?.id,
      });
    }),
  );
  return { userIds, events };
}

/** Fisher–Yates with a fixed seed, so a failure can be replayed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
