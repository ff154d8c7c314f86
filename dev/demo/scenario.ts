// The demo's story: a realistic run of Auth0 events for one tenant organisation, and the SureCloud
// end state each person must reach. Each step is what Entra would cause through Auth0's SCIM.
import { makeUserEvent, newEventId } from "../auth0Events.js";
import { groups } from "../catalogue.js";
import type { LocalTenant } from "../localStack.js";

/**
 * globex takes each person's groups from their Entra app roles (`directiveSource: roles`): the union
 * of the groups this mapping gives each of their roles.
 */
export const globexRoleMapping = `tenant: globex
ignore: [Break Glass]
roles:
  Risk Manager: ["Risk | Manager", "Read Only"]
  Breach Reporter: ["Privacy | Breach Reporter", "Read Only"]
default: NONE
`;

/** acme's directive is SCIM userType; globex's, its people's app roles. */
export const demoTenants: LocalTenant[] = [
  { id: "acme", connection: "acme-entra" },
  { id: "globex", connection: "globex-entra", roles: { mappingYaml: globexRoleMapping } },
];

export interface DemoPerson {
  /** Auth0 user_id. */
  userId: string;
  email: string;
  givenName: string;
  familyName: string;
  /** Auth0 connection; default acme-entra. */
  connection?: string;
}

export interface DemoStep {
  label: string;
  message: ReturnType<typeof makeUserEvent>;
  /** The job outcome the step must end with: `applied`, `skipped:<reason>` or `failed:<reason>`. */
  expect: string;
}

export interface DemoExpectation {
  /** Default acme. */
  tenant?: string;
  email: string;
  /** undefined: must not exist in SureCloud. */
  status?: "ACTIVE" | "INACTIVE";
  groupNames: string[];
}

const person = (key: string, givenName: string, familyName: string): DemoPerson => ({
  userId: `samlp|acme-entra|${key}`,
  email: `${givenName}.${familyName}@acme.example`.toLowerCase(),
  givenName,
  familyName,
});

export const people = {
  joiner: person("3f1a", "Joan", "Joiner"),
  mover: person("7b2c", "Mo", "Mover"),
  service: person("c4d5", "Svc", "Backup"),
  cleared: person("9e8f", "Nina", "Noaccess"),
  leaver: person("1a2b", "Lee", "Leaver"),
  typo: person("5d6e", "Tia", "Typo"),
  /** A globex risk manager who also reports breaches: two app roles. */
  twoRoles: {
    userId: "samlp|globex-entra|8f9a",
    email: "rosa.roles@globex.example",
    givenName: "Rosa",
    familyName: "Roles",
    connection: "globex-entra",
  },
};

/** SureCloud users that existed before SCIM was switched on (matched and linked by userName). */
export const existingUsers = [
  {
    userName: people.service.email,
    email: people.service.email,
    displayName: "Backup service",
    groupIds: [groups.vulnAdmin.id, groups.outside.id],
  },
];

export function demoSteps(start = Date.parse("2026-11-28T09:00:00.000Z")): DemoStep[] {
  let clock = start;
  const event = (
    who: DemoPerson,
    type: "user.created" | "user.updated",
    extra: { userType?: string; blocked?: boolean; roles?: string[] },
  ) => {
    clock += 60_000;
    const time = new Date(clock).toISOString();
    return makeUserEvent({
      id: newEventId(),
      type,
      time,
      updatedAt: time,
      ...who,
      userName: who.email,
      ...extra,
    });
  };
  const { joiner, mover, service, cleared, leaver, typo, twoRoles } = people;
  return [
    {
      label: "joiner gets two groups",
      message: event(joiner, "user.created", {
        userType: `${groups.breachReporter.id},${groups.readOnly.id}`,
      }),
      expect: "applied",
    },
    {
      label: "mover starts read-only",
      message: event(mover, "user.created", { userType: groups.readOnly.id }),
      expect: "applied",
    },
    {
      label: "mover moves to risk",
      message: event(mover, "user.updated", { userType: `${groups.riskManager.id}, ${groups.readOnly.id}` }),
      expect: "applied",
    },
    {
      label: "service account: IGNORE",
      message: event(service, "user.created", { userType: "IGNORE" }),
      expect: "applied",
    },
    {
      label: "Nina starts read-only",
      message: event(cleared, "user.created", { userType: groups.readOnly.id }),
      expect: "applied",
    },
    {
      label: "Nina cleared with NONE",
      message: event(cleared, "user.updated", { userType: "NONE" }),
      expect: "applied",
    },
    {
      label: "leaver starts as admin",
      message: event(leaver, "user.created", { userType: groups.vulnAdmin.id }),
      expect: "applied",
    },
    {
      label: "leaver blocked in Entra",
      message: event(leaver, "user.updated", { userType: groups.vulnAdmin.id, blocked: true }),
      expect: "applied",
    },
    {
      label: "bad directive (a name)",
      message: event(typo, "user.created", { userType: "Risk | Manager" }),
      expect: "failed:invalid-directive",
    },
    {
      label: "globex: two app roles, both roles' groups",
      message: event(twoRoles, "user.created", { roles: ["Risk Manager", "Breach Reporter"] }),
      expect: "applied",
    },
  ];
}

export const expectedEndState: DemoExpectation[] = [
  {
    email: people.joiner.email,
    status: "ACTIVE",
    groupNames: [groups.breachReporter.name, groups.readOnly.name],
  },
  {
    email: people.mover.email,
    status: "ACTIVE",
    groupNames: [groups.readOnly.name, groups.riskManager.name],
  },
  { email: people.service.email, status: "ACTIVE", groupNames: [groups.outside.name, groups.vulnAdmin.name] },
  { email: people.cleared.email, status: "ACTIVE", groupNames: [] },
  { email: people.leaver.email, status: "INACTIVE", groupNames: [groups.vulnAdmin.name] },
  { email: people.typo.email, groupNames: [] },
  {
    tenant: "globex",
    email: people.twoRoles.email,
    status: "ACTIVE",
    groupNames: [groups.riskManager.name, groups.breachReporter.name, groups.readOnly.name],
  },
];
