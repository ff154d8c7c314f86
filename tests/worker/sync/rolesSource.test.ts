// A tenant whose directive comes from the user's Entra app roles (`directiveSource: roles`), through
// planSync + applyPlan on a memory SureCloud, and through syncUser for what a job remembers and reports:
// the union of the roles' groups under the same rules as userType (blocked users keep their groups,
// the catalogue allow-list and all-or-nothing, add before remove).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { PermanentError } from "../../../shared/errors.js";
import { parseRoleMapping, resolveRoleMapping } from "../../../shared/roleMapping.js";
import { type Tenant, tenantSchema } from "../../../shared/tenants.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import { syncUser } from "../../../worker/sync/syncUser.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { auth0User, groupIds, ids, jobOf, makeSyncCore, makeTenant, seedLinked } from "./syncFixtures.js";

const { breachReporter, readOnly, riskManager, vulnAdmin, outside } = groups;

const MAPPING = `
tenant: acme
ignore: [Break Glass]
roles:
  Risk Manager: ["Risk | Manager", "Read Only"]
  Breach Reporter: ["Privacy | Breach Reporter", "Read Only"]
  Auditor: ["Retired | Auditor"]
default: NONE
`;

/** The test tenant with its directive from app roles, its mapping loaded as loadTenantsFile does. */
function rolesTenant(matchBy: "value" | "displayName" = "value"): Tenant {
  const base = makeTenant();
  const tenant = tenantSchema.parse({
    ...base,
    directiveSource: "roles",
    roles: { mapping: "acme-roles.yaml", matchBy },
  });
  const { tenant: _, ...table } = resolveRoleMapping(parseRoleMapping(MAPPING, "acme-roles.yaml"), {
    tenants: [tenant],
  });
  if (tenant.roles) tenant.roles.table = table;
  return tenant;
}

/** A linked user in Vulnerability | Admin and a group outside the catalogue, then one event. */
function runWith(options: Parameters<typeof jobOf>[0], tenant = rolesTenant()) {
  const core = makeSyncCore(tenant);
  const seeded = seedLinked(core.directory, "ada", { groupIds: [vulnAdmin.id, outside.id] });
  const run = core.run(jobOf({ ...auth0User("ada"), ...options }));
  return { core, seeded, run, user: () => core.directory.user({ id: seeded.id }) };
}

async function refusal(run: Promise<unknown>): Promise<PermanentError> {
  const error = await run.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PermanentError);
  return error as PermanentError;
}

describe("the union of the user's roles", () => {
  it("two roles: exactly both roles' groups, added before any is removed", async () => {
    const { core, run, user } = runWith({ roles: ["Risk Manager", "Breach Reporter"] });
    const result = await run;
    expect(groupIds(user())).toEqual(ids(riskManager, readOnly, breachReporter));
    const ops = core.directory.writes.map((write) => write.op);
    expect(ops).toEqual(["addMember", "addMember", "addMember", "removeMember", "removeMember"]);
    // Which roles produced which groups: the plan (and so the audit entry) says it.
    expect(result.kind === "plan" && result.plan.directive.roles?.contributions).toEqual([
      { role: "Risk Manager", directive: { kind: "exact", groupIds: [riskManager.id, readOnly.id] } },
      { role: "Breach Reporter", directive: { kind: "exact", groupIds: [breachReporter.id, readOnly.id] } },
    ]);
  });

  it("an IGNORE role with others: every group kept", async () => {
    const { core, run, user } = runWith({ roles: ["Risk Manager", "Break Glass"] });
    await run;
    expect(groupIds(user())).toEqual(ids(vulnAdmin, outside));
    expect(core.directory.writes).toEqual([]);
  });

  it("no mapped role, only an unknown one: the mapping's default, and the unknown role reported", async () => {
    const { run, user } = runWith({ roles: ["risk manager"] });
    const result = await run;
    expect(user()?.groups).toEqual([]);
    expect(result.kind === "plan" && result.plan.directive).toMatchObject({
      why: "no mapped app role: the role mapping's default",
      roles: {
        unknownRoles: ["risk manager"],
        nearMisses: [{ role: "risk manager", didYouMean: "Risk Manager" }],
      },
    });
  });

  it("matches by display name when the tenant says so", async () => {
    const tenant = rolesTenant("displayName");
    const { run, user } = runWith(
      { extra: { app_metadata: { roles: [{ value: "rm", displayName: "Risk Manager" }] } } },
      tenant,
    );
    await run;
    expect(groupIds(user())).toEqual(ids(riskManager, readOnly));
  });

  it("the userType a roles tenant's users still carry is not used", async () => {
    const { run, user } = runWith({ roles: ["Breach Reporter"], userType: "IGNORE" });
    await run;
    expect(groupIds(user())).toEqual(ids(breachReporter, readOnly));
  });

  it("roles are not used for a userType tenant", async () => {
    const { run, user } = runWith({ roles: ["Breach Reporter"], userType: riskManager.id }, makeTenant());
    await run;
    expect(groupIds(user())).toEqual(ids(riskManager));
  });

  it("no roles at all: the tenant's missingDirective policy (ignore: groups kept)", async () => {
    const { core, run, user } = runWith({});
    await run;
    expect(groupIds(user())).toEqual(ids(vulnAdmin, outside));
    expect(core.directory.writes).toEqual([]);
  });
});

describe("the same rules around it", () => {
  it("a blocked user keeps its groups and becomes INACTIVE, whatever its roles", async () => {
    const { run, user } = runWith({ roles: ["Risk Manager"], blocked: true });
    await run;
    expect(user()).toMatchObject({ status: "INACTIVE" });
    expect(groupIds(user())).toEqual(ids(vulnAdmin, outside));
  });

  it("a role whose group is gone from SureCloud fails unknown-group and changes nothing", async () => {
    const { core, run } = runWith({ roles: ["Risk Manager", "Auditor"] });
    expect((await refusal(run)).reason).toBe("unknown-group");
    expect(core.directory.writes).toEqual([]);
  });

  it("roles of a shape nobody sends fail invalid-directive, showing what came, and change nothing", async () => {
    const { core, run } = runWith({ extra: { app_metadata: { roles: "Risk Manager" } } });
    const error = await refusal(run);
    expect(error.reason).toBe("invalid-directive");
    expect(error.message).toContain('received: "Risk Manager"');
    expect(core.directory.writes).toEqual([]);
  });

  it("a roles tenant whose mapping was never loaded fails tenant-misconfigured", async () => {
    const tenant = tenantSchema.parse({
      ...makeTenant(),
      directiveSource: "roles",
      roles: { mapping: "x.yaml" },
    });
    const { core, run } = runWith({ roles: ["Risk Manager"] }, tenant);
    expect((await refusal(run)).reason).toBe("tenant-misconfigured");
    expect(core.directory.writes).toEqual([]);
  });
});

describe("through syncUser", () => {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const prefix = syncStatePrefix(`test-${randomUUID()}`);
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("reports unknown roles in the outcome, and reads roles that disappear as cleared", async () => {
    const tenant = rolesTenant();
    const core = makeSyncCore(tenant);
    const seeded = seedLinked(core.directory, "ada", { groupIds: [vulnAdmin.id] });
    const deps = {
      tenants: { tenants: [tenant] },
      runtimes: new Map([[tenant.id, { tenant, directory: core.directory, catalogue: core.catalogue }]]),
      versions: makeUserVersions(redis, prefix),
      lock: makeUserLock(redis, prefix),
    };
    const first = await syncUser(
      jobOf({ ...auth0User("ada"), roles: ["Risk Manager", "Auditors"] }),
      deps,
      "j1",
    );
    expect(first).toMatchObject({ outcome: "applied", roles: { unknownRoles: ["Auditors"] } });
    expect(groupIds(core.directory.user({ id: seeded.id }))).toEqual(ids(riskManager, readOnly));

    // Absent now, present before (no previous_object): no roles, so the default (NONE).
    const second = await syncUser(jobOf({ ...auth0User("ada") }), deps, "j2");
    expect(second).toMatchObject({ outcome: "applied", roles: { usedDefault: true } });
    expect(core.directory.user({ id: seeded.id })?.groups).toEqual([]);
  });
});
