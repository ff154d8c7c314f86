// Synthetic SCIM-provisioned users and the Auth0 events the benchmark sends for them: every user
// belongs to the bench tenant's connection and carries a 2-group directive, as Entra computes it.
import { type Auth0UserCloudEvent, makeUserEvent } from "../dev/auth0Events.js";
import { groups } from "../dev/catalogue.js";

export const BENCH_CONNECTION = "acme-entra";
export const BENCH_TENANT = "acme";

/** The directive every user is created with: two catalogue groups. */
export const twoGroups = [groups.breachReporter.id, groups.readOnly.id] as const;
/** The same user after Entra moved it from Read Only to Risk Manager: one add, one remove. */
export const swappedGroups = [groups.breachReporter.id, groups.riskManager.id] as const;

export interface BenchUser {
  userId: string;
  email: string;
  givenName: string;
  familyName: string;
}

/** `count` distinct users; `label` keeps users of separate runs and phases apart. */
export function makeBenchUsers(count: number, label: string): BenchUser[] {
  return Array.from({ length: count }, (_, index) => ({
    userId: `samlp|${BENCH_CONNECTION}|bench-${label}-${index}`,
    email: `user${index}.${label}@acme.example`,
    givenName: `User${index}`,
    familyName: `Bench ${label}`,
  }));
}

export interface UserEventSpec {
  type: "user.created" | "user.updated";
  groupIds: readonly string[];
  /** The event time and the user's updated_at. */
  time: Date;
}

/** The CloudEvent Auth0 would deliver for this user, profile unchanged between calls. */
export function benchEvent(user: BenchUser, spec: UserEventSpec): Auth0UserCloudEvent {
  const time = spec.time.toISOString();
  return makeUserEvent({
    type: spec.type,
    userId: user.userId,
    connection: BENCH_CONNECTION,
    email: user.email,
    userName: user.email,
    givenName: user.givenName,
    familyName: user.familyName,
    userType: spec.groupIds.join(","),
    time,
    updatedAt: time,
  });
}

/** True when SureCloud holds exactly these groups for the user. */
export function hasGroups(actual: ReadonlyArray<{ id: string }>, wanted: readonly string[]): boolean {
  const have = new Set(actual.map((group) => group.id.toLowerCase()));
  return have.size === wanted.length && wanted.every((id) => have.has(id.toLowerCase()));
}
