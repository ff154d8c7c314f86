// Calls and rounds of SureCloud latency per job, counted on a memory directory through syncUser with
// real Redis: a new joiner creates first (no look-up), an update reads the SureCloud user the worker
// remembers (no look-up), and a remembered id that went stale, or a create SureCloud refuses as
// taken, falls back to the look-ups of rule 3 and still ends right.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { groups, sureCloudGroups } from "../../../dev/catalogue.js";
import type { TenantsFile } from "../../../shared/tenants.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import type { SureCloudDirectory } from "../../../worker/surecloud/directory.js";
import { makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { type SyncDeps, syncUser } from "../../../worker/sync/syncUser.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { type MemoryDirectory, makeMemoryDirectory } from "../../helpers/memoryDirectory.js";
import { auth0User, groupIds, ids, jobOf, makeTenant } from "./syncFixtures.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const { readOnly, riskManager } = groups;
const ADA = auth0User("ada");
let prefix: string;
let acme: MemoryDirectory;
let deps: SyncDeps;
/** Every call the sync made, by operation, and how many rounds of latency they took. */
let calls: string[];
let rounds = 0;

/** Each call takes a turn of the event loop; a call starting while none is in flight opens a round. */
function counted(directory: MemoryDirectory): SureCloudDirectory {
  let inFlight = 0;
  const wrap =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (inFlight === 0) rounds += 1;
      inFlight += 1;
      calls.push(name);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        return await call(...args);
      } finally {
        inFlight -= 1;
      }
    };
  return {
    listGroups: wrap("listGroups", directory.listGroups),
    getUser: wrap("getUser", directory.getUser),
    findUser: wrap("findUser", directory.findUser),
    createUser: wrap("createUser", directory.createUser),
    updateUser: wrap("updateUser", directory.updateUser),
    listUserGroups: wrap("listUserGroups", directory.listUserGroups),
    addMember: wrap("addMember", directory.addMember),
    removeMember: wrap("removeMember", directory.removeMember),
  };
}

beforeEach(async () => {
  calls = [];
  rounds = 0;
  prefix = syncStatePrefix(`test-${randomUUID()}`);
  const tenant = makeTenant({ id: "acme" });
  const tenants: TenantsFile = { tenants: [tenant] };
  acme = makeMemoryDirectory(sureCloudGroups);
  const directory = counted(acme);
  const catalogue = makeGroupCatalogue(tenant, directory);
  // The group listing is cached across jobs (60 s): warm it, so only the user's own calls count.
  await catalogue.resolve({ kind: "exact", groupIds: [readOnly.id] });
  deps = {
    tenants,
    runtimes: new Map([["acme", { tenant, directory, catalogue }]]),
    versions: makeUserVersions(redis, prefix),
    lock: makeUserLock(redis, prefix),
  };
  reset();
});
function reset(): void {
  calls = [];
  rounds = 0;
}
afterEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(async () => {
  await redis.quit();
});

const adaIn = () => acme.user({ externalId: ADA.userId as string });
const twoGroups = `${readOnly.id},${riskManager.id}`;

describe("calls per job", () => {
  it("a new joiner with two groups costs 3 calls in 2 rounds: create, then both adds", async () => {
    await expect(syncUser(jobOf({ ...ADA, userType: twoGroups }), deps, "job-1")).resolves.toMatchObject({
      outcome: "applied",
      created: true,
    });
    expect([...calls].sort()).toEqual(["addMember", "addMember", "createUser"]);
    expect(rounds).toBe(2);
    expect(groupIds(adaIn())).toEqual(ids(readOnly, riskManager));
  });

  it("an unchanged user costs 2 calls in 1 round: the remembered user and its groups", async () => {
    await syncUser(jobOf({ ...ADA, userType: twoGroups }), deps, "job-1");
    reset();
    const again = jobOf({ ...ADA, type: "user.updated", userType: twoGroups });
    await expect(syncUser(again, deps, "job-2")).resolves.toMatchObject({ outcome: "applied", fields: [] });
    expect([...calls].sort()).toEqual(["getUser", "listUserGroups"]);
    expect(rounds).toBe(1);
  });

  it("a remembered id that is gone falls back to the look-ups and ends right", async () => {
    await syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
    const first = adaIn();
    // SureCloud lost the user; an administrator re-created the account by hand, not linked yet.
    acme.deleteUser(first?.id as string);
    const again = acme.seedUser({
      externalId: null,
      userName: ADA.userName as string,
      email: "ada@else.example",
    });
    reset();
    await syncUser(jobOf({ ...ADA, type: "user.updated", userType: riskManager.id }), deps, "job-2");
    expect(calls).toContain("findUser");
    expect(adaIn()).toMatchObject({ id: again.id, externalId: ADA.userId });
    expect(groupIds(adaIn())).toEqual(ids(riskManager));
  });

  it("a remembered id now linked to another Auth0 user is not trusted", async () => {
    await syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
    const first = adaIn();
    await acme.updateUser(first?.id as string, { externalId: "samlp|acme-entra|someone-else" });
    reset();
    const update = jobOf({ ...ADA, type: "user.updated", userType: riskManager.id });
    // The userName now points at an account linked to another Auth0 user: rule 3's conflict.
    await expect(syncUser(update, deps, "job-2")).rejects.toMatchObject({ reason: "conflict" });
    expect(calls).toEqual(expect.arrayContaining(["getUser", "findUser"]));
  });

  it("a user.created whose account already exists unlinked is linked, not duplicated (409, then look-ups)", async () => {
    const existing = acme.seedUser({
      externalId: null,
      userName: ADA.userName as string,
      email: ADA.email as string,
    });
    await expect(syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1")).resolves.toMatchObject({
      outcome: "applied",
      created: false,
      sureCloudUserId: existing.id,
    });
    expect(calls[0]).toBe("createUser");
    expect(acme.users()).toHaveLength(1);
    expect(adaIn()).toMatchObject({ id: existing.id, externalId: ADA.userId });
    expect(groupIds(adaIn())).toEqual(ids(readOnly));
  });
});
