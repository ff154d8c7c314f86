// Rules 1 and 2 (and what rule 9 asks of the core) through syncUser: routing to a tenant, ordering
// by version, duplicates, and one job per user at a time. Versions and locks live in the real Redis,
// under a prefix of their own; SureCloud is a memory directory per tenant.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { groups, sureCloudGroups } from "../../../dev/catalogue.js";
import { PermanentError, RetryableError } from "../../../shared/errors.js";
import type { SyncJob } from "../../../shared/job.js";
import type { TenantsFile } from "../../../shared/tenants.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import type { SureCloudDirectory } from "../../../worker/surecloud/directory.js";
import { makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { type SyncDeps, syncUser } from "../../../worker/sync/syncUser.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { type MemoryDirectory, makeMemoryDirectory } from "../../helpers/memoryDirectory.js";
import { auth0User, groupIds, ids, jobOf, makeTenant, seedLinked } from "./syncFixtures.js";

/** What the worker holds per tenant, taken from SyncDeps so it follows the module wherever it lives. */
type TenantRuntime = SyncDeps["runtimes"] extends Map<string, infer Runtime> ? Runtime : never;

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const { readOnly, riskManager, vulnAdmin } = groups;
let prefix: string;
let deps: SyncDeps;
let acme: MemoryDirectory;
let beta: MemoryDirectory;

function runtimeFor(tenant: ReturnType<typeof makeTenant>, directory: SureCloudDirectory): TenantRuntime {
  return { tenant, directory, catalogue: makeGroupCatalogue(tenant, directory) };
}

beforeEach(() => {
  prefix = syncStatePrefix(`test-${randomUUID()}`);
  const tenants: TenantsFile = { tenants: [makeTenant({ id: "acme" }), makeTenant({ id: "beta" })] };
  acme = makeMemoryDirectory(sureCloudGroups);
  beta = makeMemoryDirectory(sureCloudGroups);
  deps = {
    tenants,
    runtimes: new Map(tenants.tenants.map((tenant, i) => [tenant.id, runtimeFor(tenant, i ? beta : acme)])),
    versions: makeUserVersions(redis, prefix),
    lock: makeUserLock(redis, prefix),
  };
});
afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(async () => {
  await redis.quit();
});

const ADA = auth0User("ada");
const adaIn = (directory: MemoryDirectory) => directory.user({ externalId: ADA.userId as string });

/** Replaces acme's directory with one whose look-ups wait until `open()`; `reached` once one waits. */
function gateAcme() {
  let open = () => {};
  let reach = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  // The first call of a job is a look-up, or a create for a user.created never synced: both wait.
  const directory: SureCloudDirectory = {
    ...acme,
    async findUser(lookup) {
      reach();
      await gate;
      return acme.findUser(lookup);
    },
    async createUser(user) {
      reach();
      await gate;
      return acme.createUser(user);
    },
  };
  deps.runtimes.set("acme", runtimeFor(makeTenant({ id: "acme" }), directory));
  return { open, reached };
}

describe("route (rule 1)", () => {
  it("skips a user of an unknown connection without calling SureCloud or recording anything", async () => {
    const spies = [acme, beta].flatMap((directory) =>
      (["listGroups", "findUser", "createUser", "updateUser", "listUserGroups"] as const).map((method) =>
        vi.spyOn(directory, method),
      ),
    );
    const job = jobOf({ ...ADA, connection: "someone-elses-entra", userType: readOnly.id });
    await expect(syncUser(job, deps, "job-1")).resolves.toMatchObject({
      outcome: "skipped",
      reason: "unknown-connection",
    });
    expect(spies.filter((spy) => spy.mock.calls.length > 0)).toEqual([]);
    expect([...acme.writes, ...beta.writes]).toEqual([]);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it("routes each user to the tenant that lists its connection, and only there", async () => {
    await syncUser(jobOf({ ...ADA, connection: "beta-entra", userType: readOnly.id }), deps, "job-1");
    expect(groupIds(adaIn(beta))).toEqual(ids(readOnly));
    expect(acme.users()).toEqual([]);
    expect(acme.writes).toEqual([]);
  });

  it("fails with tenant-misconfigured when the tenant has no SureCloud runtime", async () => {
    deps.runtimes.delete("acme");
    const failure = syncUser(jobOf(ADA), deps, "job-1");
    await expect(failure).rejects.toMatchObject({ name: "PermanentError", reason: "tenant-misconfigured" });
  });
});

describe("order, duplicates and stale events (rule 2)", () => {
  it("applies an event delivered three times once", async () => {
    const job = jobOf({ ...ADA, userType: readOnly.id });
    const results = [];
    for (const owner of ["job-1", "job-1-again", "job-1-third"])
      results.push(await syncUser(job, deps, owner));
    expect(results.map((result) => result.outcome)).toEqual(["applied", "skipped", "skipped"]);
    expect(results.slice(1)).toEqual([
      expect.objectContaining({ reason: "duplicate" }),
      expect.objectContaining({ reason: "duplicate" }),
    ]);
    expect(acme.writes.map((write) => write.op)).toEqual(["createUser", "addMember"]);
  });

  it("skips an event older than the newest applied (stale) and keeps the newest state", async () => {
    const older = jobOf({ ...ADA, givenName: "Old", userType: readOnly.id });
    const newer = jobOf({ ...ADA, type: "user.updated", givenName: "New", userType: riskManager.id });
    await expect(syncUser(newer, deps, "job-2")).resolves.toMatchObject({ outcome: "applied" });
    const writesBefore = acme.writes.length;
    await expect(syncUser(older, deps, "job-1")).resolves.toMatchObject({
      outcome: "skipped",
      reason: "stale",
    });
    expect(acme.writes).toHaveLength(writesBefore);
    expect(adaIn(acme)).toMatchObject({ givenName: "New", groups: [riskManager] });
  });

  it("applies events that arrive in order, each on top of the last", async () => {
    await syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
    await syncUser(jobOf({ ...ADA, type: "user.updated", userType: vulnAdmin.id }), deps, "job-2");
    expect(groupIds(adaIn(acme))).toEqual(ids(vulnAdmin));
  });

  it("an older update redelivered after a deletion does not reactivate the user", async () => {
    const update = jobOf({ ...ADA, type: "user.updated", userType: readOnly.id });
    await syncUser(update, deps, "job-1");
    await syncUser(jobOf({ ...ADA, type: "user.deleted" }), deps, "job-2");
    const replay = { ...update, event: { ...update.event, id: `${update.event.id}r` } };
    await expect(syncUser(replay, deps, "job-3")).resolves.toMatchObject({ reason: "stale" });
    expect(adaIn(acme)?.status).toBe("INACTIVE");
  });

  it("an older creation delivered after the deletion of a never-synced user creates nothing", async () => {
    const creation = jobOf({ ...ADA, userType: readOnly.id });
    const deletion = jobOf({ ...ADA, type: "user.deleted" });
    await expect(syncUser(deletion, deps, "job-2")).resolves.toMatchObject({ reason: "not-linked" });
    await expect(syncUser(creation, deps, "job-1")).resolves.toMatchObject({ reason: "stale" });
    expect(acme.users()).toEqual([]);
  });
});

describe("one job per user at a time (rule 2)", () => {
  it("a second job for a user whose job is running is handed back (locked) and writes nothing", async () => {
    const { open, reached } = gateAcme();
    const first = syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
    await reached;
    const secondJob = jobOf({ ...ADA, type: "user.updated", userType: riskManager.id });
    await expect(syncUser(secondJob, deps, "job-2")).resolves.toEqual({ outcome: "locked" });
    expect(acme.writes).toEqual([]);
    open();
    await expect(first).resolves.toMatchObject({ outcome: "applied" });
    // Put back, it runs once the first has finished.
    await expect(syncUser(secondJob, deps, "job-2")).resolves.toMatchObject({ outcome: "applied" });
    expect(acme.writes.filter((write) => write.op === "createUser")).toHaveLength(1);
    expect(groupIds(adaIn(acme))).toEqual(ids(riskManager));
  });

  it("does not hold up another user's job", async () => {
    const { open, reached } = gateAcme();
    const first = syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
    await reached;
    const other = syncUser(jobOf({ ...auth0User("bob"), userType: readOnly.id }), deps, "job-2");
    open();
    await expect(Promise.all([first, other])).resolves.toMatchObject([
      { outcome: "applied" },
      { outcome: "applied" },
    ]);
  });

  it("releases the lock and records no version when a job fails, so its retry runs", async () => {
    const squatter = acme.seedUser({
      externalId: "samlp|acme-entra|other",
      userName: ADA.userName as string,
      email: "x@y",
    });
    const job = jobOf({ ...ADA, userType: readOnly.id });
    await expect(syncUser(job, deps, "job-1")).rejects.toMatchObject({ reason: "conflict" });
    expect(acme.writes).toEqual([]);
    // An operator frees the userName; the same event, replayed by another job, now applies.
    await acme.updateUser(squatter.id, { userName: "freed@acme.example" });
    await expect(syncUser(job, deps, "job-1-replay")).resolves.toMatchObject({ outcome: "applied" });
  });
});

describe("failure classes in the core (rule 9)", () => {
  it("lets a RetryableError through unchanged, and the retry of the same event applies only the rest", async () => {
    seedLinked(acme, "ada", { groupIds: [readOnly.id, vulnAdmin.id] });
    let failures = 1;
    const flaky: SureCloudDirectory = {
      ...acme,
      async removeMember(groupId, userId) {
        if (failures-- > 0) throw new RetryableError("SureCloud answered 503", { status: 503 });
        return acme.removeMember(groupId, userId);
      },
    };
    deps.runtimes.set("acme", runtimeFor(makeTenant({ id: "acme" }), flaky));
    const job = jobOf({ ...ADA, userType: riskManager.id });
    const error = await syncUser(job, deps, "job-1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).not.toBeInstanceOf(PermanentError);
    const retry = await syncUser(job, deps, "job-1");
    expect(retry).toMatchObject({ outcome: "applied" });
    expect(groupIds(adaIn(acme))).toEqual(ids(riskManager));
    expect(acme.writes.filter((write) => write.op === "addMember")).toHaveLength(1);
  });

  it("fails permanently, with the reason, for what no retry can fix", async () => {
    const job = jobOf({ ...ADA, userType: "Read Only" });
    const error = await syncUser(job, deps, "job-1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ reason: "invalid-directive", retryable: false });
  });
});

describe("a directive cleared without previous_object (rule 7, row 4)", () => {
  // Failed before the worker remembered whether the directive was present: with no previous_object
  // (Auth0 documents none for SCIM updates) the job fell to the tenant's missingDirective policy
  // (default ignore) and the user kept groups Entra took away.
  it("removes every group once a directive the worker applied is no longer sent", async () => {
    await syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
    expect(groupIds(adaIn(acme))).toEqual(ids(readOnly));
    const cleared: SyncJob = jobOf({ ...ADA, type: "user.updated" });
    expect(cleared.directive).toEqual({ state: "absent" });
    await syncUser(cleared, deps, "job-2");
    expect(groupIds(adaIn(acme))).toEqual([]);
  });
});
