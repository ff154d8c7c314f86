// A reload swaps the tenants file under running jobs (worker/tenantsReload.ts, sync/route.ts): a job
// that started before it finishes on the file it started with, the next job runs on the new one,
// and a file whose tenant's token is not set is refused with the running file kept. In process, on
// real Redis (versions, locks), with SureCloud in memory behind a gate the test opens.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { groups, sureCloudGroups } from "../../dev/catalogue.js";
import { eventToJob } from "../../shared/eventToJob.js";
import { makeLogger } from "../../shared/logger.js";
import { parseTenantsFile, type TenantsFile } from "../../shared/tenants.js";
import { makeWorkerMetrics } from "../../worker/metrics.js";
import { syncStatePrefix } from "../../worker/redisKeys.js";
import type { SureCloudDirectory } from "../../worker/surecloud/directory.js";
import { makeGroupCatalogue } from "../../worker/sync/groupCatalogue.js";
import { type SyncDeps, syncUser } from "../../worker/sync/syncUser.js";
import { makeTenantRuntimes, type TenantRuntime } from "../../worker/sync/tenantRuntime.js";
import { makeUserLock } from "../../worker/sync/userLock.js";
import { makeUserVersions } from "../../worker/sync/userVersions.js";
import { type LiveTenants, makeLiveTenants } from "../../worker/tenantsReload.js";
import { makeUserEvent, newEventId } from "../fixtures/auth0Events.js";
import { makeMemoryDirectory } from "../helpers/memoryDirectory.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
let dir: string;
let prefix: string;
afterAll(() => redis.disconnect());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tenants-reload-jobs-"));
  prefix = syncStatePrefix(`test-${randomUUID()}`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

/** The acme entry with this catalogue; `beta` adds a second tenant whose token variable is never set. */
function tenantsJson(catalogue: Array<{ id: string; name: string }>, beta = false): string {
  const entry = (id: string) => ({
    id,
    connection: `${id}-entra`,
    surecloud: {
      baseUrl: `http://127.0.0.1:9/${id}/api/v1`,
      tokenEnv: `SURECLOUD_TOKEN_${id.toUpperCase()}`,
    },
    groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
  });
  return JSON.stringify({ tenants: beta ? [entry("acme"), entry("beta")] : [entry("acme")] });
}

/** SureCloud in memory, whose calls wait while the gate is shut. */
function gatedDirectory() {
  const memory = makeMemoryDirectory(sureCloudGroups);
  let open: () => void = () => undefined;
  let gate = Promise.resolve();
  const directory = new Proxy(memory, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await gate;
        return value.apply(target, args);
      };
    },
  }) as SureCloudDirectory;
  return {
    memory,
    directory,
    shut() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    open: () => open(),
  };
}

async function live(path: string, initial: TenantsFile, directory: SureCloudDirectory): Promise<LiveTenants> {
  const env: NodeJS.ProcessEnv = { SURECLOUD_TOKEN_ACME: "t" };
  return makeLiveTenants({
    path,
    initial,
    // As makeTenantRuntimes: a tenant whose token is not set is a configuration error.
    build: async (file) => {
      makeTenantRuntimes(file, env);
      return new Map<string, TenantRuntime>(
        file.tenants.map((tenant) => [
          tenant.id,
          { tenant, directory, catalogue: makeGroupCatalogue(tenant, directory) },
        ]),
      );
    },
    logger: makeLogger({ level: "silent" }),
    metrics: makeWorkerMetrics(),
  });
}

function depsOf(tenants: LiveTenants): SyncDeps {
  return {
    get tenants() {
      return tenants.current().file;
    },
    get runtimes() {
      return tenants.current().runtimes;
    },
    versions: makeUserVersions(redis, prefix),
    lock: makeUserLock(redis, prefix),
  };
}

function joiner(label: string, userType: string) {
  const mapping = eventToJob(
    makeUserEvent({
      id: newEventId(),
      userId: `samlp|acme-entra|${label}`,
      email: `${label}@acme.example`,
      userType,
    }),
  );
  if (mapping.kind !== "job") throw new Error(mapping.reason);
  return mapping.job;
}

it("a job that started before a reload finishes on the file it started with; the next runs on the new one", async () => {
  const path = join(dir, "tenants.json");
  const before = tenantsJson([groups.breachReporter, groups.readOnly]);
  await writeFile(path, before);
  const sureCloud = gatedDirectory();
  const tenants = await live(path, parseTenantsFile(before), sureCloud.directory);
  const deps = depsOf(tenants);

  sureCloud.shut();
  const running = syncUser(joiner("early-ellen", groups.readOnly.id), deps, "job-early");
  // Read Only leaves the catalogue while the job waits on SureCloud.
  await writeFile(path, tenantsJson([groups.breachReporter]));
  await expect(tenants.reload("SIGHUP")).resolves.toBe("applied");
  sureCloud.open();
  await expect(running).resolves.toMatchObject({ outcome: "applied", added: [groups.readOnly] });

  const late = syncUser(joiner("late-lars", groups.readOnly.id), deps, "job-late");
  await expect(late).rejects.toMatchObject({ reason: "unknown-group" });
  expect(sureCloud.memory.users().map((user) => user.email)).toEqual(["early-ellen@acme.example"]);
});

it("a file that adds a tenant whose token is not set is refused; the running file keeps serving", async () => {
  const path = join(dir, "tenants.json");
  const before = tenantsJson([groups.readOnly]);
  await writeFile(path, before);
  const sureCloud = gatedDirectory();
  const tenants = await live(path, parseTenantsFile(before), sureCloud.directory);
  const fingerprint = tenants.current().fingerprint;

  await writeFile(path, tenantsJson([groups.readOnly, groups.riskManager], true));
  await expect(tenants.reload("file change")).resolves.toBe("rejected");
  expect(tenants.status()).toMatchObject({
    fingerprint,
    tenants: ["acme"],
    rejected: {
      reason: expect.stringContaining(
        'tenant "beta": surecloud.tokenEnv: environment variable SURECLOUD_TOKEN_BETA is not set',
      ),
    },
  });
  await expect(
    syncUser(joiner("kept-kim", groups.readOnly.id), depsOf(tenants), "job-kept"),
  ).resolves.toMatchObject({
    outcome: "applied",
  });
  // Back to the running file: nothing to apply, and nothing rejected any more.
  await writeFile(path, before);
  await expect(tenants.reload("file change")).resolves.toBe("unchanged");
  expect(tenants.status().rejected).toBeUndefined();
});
