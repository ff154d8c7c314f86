// Jobs are claims; Auth0 is the truth (issue 9, item 3). For a tenant with verifyWithAuth0, the
// worker reads the user from the Auth0 Management API (faked by nock at the HTTP level, the real
// `auth0` SDK in between) and applies Auth0's state: a forged job claiming `blocked`, another
// directive or another connection cannot change SureCloud beyond what Auth0 holds.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { groups, sureCloudGroups } from "../../../dev/catalogue.js";
import { readAuth0Credentials } from "../../../shared/auth0Credentials.js";
import { DEFAULT_DIRECTIVE_ATTRIBUTE } from "../../../shared/eventToJob.js";
import type { Tenant } from "../../../shared/tenants.js";
import { makeAuth0Truth } from "../../../worker/auth0/auth0Truth.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import { makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { type SyncDeps, syncUser } from "../../../worker/sync/syncUser.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { type MemoryDirectory, makeMemoryDirectory } from "../../helpers/memoryDirectory.js";
import { type FakeManagementApi, fakeManagementApi } from "../../toolbox/resync/fakeManagementApi.js";
import { auth0User, groupIds, ids, jobOf, makeTenant, seedLinked } from "./syncFixtures.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const { readOnly, vulnAdmin } = groups;
const ADA = auth0User("ada");
let prefix: string;
let auth0: FakeManagementApi;
let acme: MemoryDirectory;
let globex: MemoryDirectory;

function depsFor(verify: boolean): SyncDeps {
  const tenants: Tenant[] = [
    { ...makeTenant({ id: "acme" }), verifyWithAuth0: verify },
    { ...makeTenant({ id: "globex" }), verifyWithAuth0: verify },
  ];
  const directories = [acme, globex];
  return {
    tenants: { tenants },
    runtimes: new Map(
      tenants.map((tenant, index) => {
        const directory = directories[index] as MemoryDirectory;
        return [tenant.id, { tenant, directory, catalogue: makeGroupCatalogue(tenant, directory) }];
      }),
    ),
    versions: makeUserVersions(redis, prefix),
    lock: makeUserLock(redis, prefix),
    auth0: {
      truth: makeAuth0Truth(readAuth0Credentials(auth0.env)),
      directiveAttribute: DEFAULT_DIRECTIVE_ATTRIBUTE,
    },
  };
}

beforeEach(() => {
  prefix = syncStatePrefix(`test-${randomUUID()}`);
  auth0 = fakeManagementApi(`verify-${randomUUID().slice(0, 8)}.eu.auth0.com`);
  acme = makeMemoryDirectory(sureCloudGroups);
  globex = makeMemoryDirectory(sureCloudGroups);
  // What Auth0 holds: Ada, enabled, read-only; SureCloud already matches.
  auth0.putUser({ ...ADA, userType: readOnly.id, givenName: "Ada", familyName: "Lovelace" });
  seedLinked(acme, "ada", { groupIds: [readOnly.id] });
});
afterEach(async () => {
  auth0.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(async () => {
  await redis.quit();
});

const ada = () => acme.user({ externalId: ADA.userId as string });
const forged = { ...ADA, type: "user.updated" as const, blocked: true, userType: vulnAdmin.id };

describe("a tenant that verifies jobs with Auth0", () => {
  it("applies Auth0's state, not a forged claim of blocked and another directive", async () => {
    const result = await syncUser(jobOf(forged), depsFor(true), "job-1");
    expect(result).toMatchObject({ outcome: "applied", fields: [] });
    expect(ada()).toMatchObject({ status: "ACTIVE" });
    expect(groupIds(ada())).toEqual(ids(readOnly));
    expect(acme.writes).toEqual([]);
    expect(auth0.calls.filter((call) => call.path.startsWith("/api/v2/users/"))).toHaveLength(1);
  });

  it("refuses a job whose connection is not the user's Auth0 identity, writing nothing", async () => {
    const otherTenant = jobOf({ ...forged, connection: "globex-entra" });
    await expect(syncUser(otherTenant, depsFor(true), "job-1")).rejects.toMatchObject({
      reason: "invalid-job",
      message: expect.stringContaining('identity is on "acme-entra"'),
    });
    expect([...acme.writes, ...globex.writes]).toEqual([]);
  });

  it("treats a user Auth0 no longer has as deleted: INACTIVE, groups kept", async () => {
    auth0.deleteUser(ADA.userId as string);
    const claim = jobOf({ ...ADA, type: "user.updated", userType: vulnAdmin.id });
    await expect(syncUser(claim, depsFor(true), "job-1")).resolves.toMatchObject({ outcome: "applied" });
    expect(ada()).toMatchObject({ status: "INACTIVE" });
    expect(groupIds(ada())).toEqual(ids(readOnly));
  });
});

describe("a tenant that does not verify", () => {
  it("applies the claim as it came (what verification protects against)", async () => {
    await expect(syncUser(jobOf(forged), depsFor(false), "job-1")).resolves.toMatchObject({
      outcome: "applied",
    });
    expect(ada()).toMatchObject({ status: "INACTIVE" });
    expect(auth0.calls).toEqual([]);
  });
});
