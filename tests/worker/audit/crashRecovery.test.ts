// The audit trail when a worker dies mid-job, on a memory SureCloud and real Redis: the dead job's
// intent is found by the next job of the user, which records what SureCloud holds of the dead job's
// writes, then its own. Whatever the point of death, the trail lists every write SureCloud accepted
// exactly once. (tests/faults/auditCrash.test.ts does the same with SIGKILL on a real worker.)
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { groups, sureCloudGroups } from "../../../dev/catalogue.js";
import type { SyncJob } from "../../../shared/job.js";
import type { TenantsFile } from "../../../shared/tenants.js";
import { queryAuditTrail } from "../../../toolbox/audit/auditQuery.js";
import { makeAuditRecorder } from "../../../worker/audit/auditTrail.js";
import { makeChangeLedger } from "../../../worker/audit/changeLedger.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import type { SureCloudDirectory } from "../../../worker/surecloud/directory.js";
import { applyPlan } from "../../../worker/sync/apply.js";
import type { ChangeRecorder } from "../../../worker/sync/changeRecorder.js";
import { makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { planSync } from "../../../worker/sync/plan.js";
import { type SyncDeps, syncUser } from "../../../worker/sync/syncUser.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { type MemoryDirectory, makeMemoryDirectory } from "../../helpers/memoryDirectory.js";
import { auth0User, jobOf, makeTenant } from "../sync/syncFixtures.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const { readOnly, riskManager, breachReporter } = groups;
const ADA = auth0User("ada");
const tenant = makeTenant({ id: "acme" });
let queueName: string;
let acme: MemoryDirectory;
let ledger: ChangeRecorder;
let deps: SyncDeps;

beforeEach(() => {
  queueName = `test-${randomUUID()}`;
  const prefix = syncStatePrefix(queueName);
  acme = makeMemoryDirectory(sureCloudGroups);
  ledger = makeChangeLedger(redis, queueName, makeAuditRecorder(redis, queueName));
  const tenants: TenantsFile = { tenants: [tenant] };
  const runtime = { tenant, directory: acme, catalogue: makeGroupCatalogue(tenant, acme) };
  deps = {
    tenants,
    runtimes: new Map([["acme", runtime]]),
    versions: makeUserVersions(redis, prefix),
    lock: makeUserLock(redis, prefix),
    audit: ledger,
  };
});
afterEach(async () => {
  const keys = await redis.keys(`${syncStatePrefix(queueName)}:*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(async () => {
  await redis.quit();
});

/**
 * Runs `job` as a worker that dies after SureCloud accepted `survive` of its writes: the intent is
 * stated, those writes are made, and nothing after them runs (no record, no version).
 */
async function dieAfter(job: SyncJob, jobId: string, survive: number): Promise<void> {
  const result = await planSync(job, tenant, acme, makeGroupCatalogue(tenant, acme));
  if (result.kind !== "plan") throw new Error("expected a plan");
  await ledger.intend({ job, jobId, plan: result.plan, at: new Date().toISOString() });
  let left = survive;
  let died = () => {};
  const dead = new Promise<void>((resolve) => (died = resolve));
  // The write past the last accepted one never returns: the process is gone.
  const death = (): Promise<never> => {
    died();
    return new Promise(() => undefined);
  };
  const dying: SureCloudDirectory = {
    ...acme,
    createUser: (user) => (left-- > 0 ? acme.createUser(user) : death()),
    updateUser: (id, patch) => (left-- > 0 ? acme.updateUser(id, patch) : death()),
    addMember: (group, user) => (left-- > 0 ? acme.addMember(group, user) : death()),
    removeMember: (group, user) => (left-- > 0 ? acme.removeMember(group, user) : death()),
  };
  await Promise.race([applyPlan(result.plan, dying), dead]);
}

/** Every write the trail records, one string each, to compare with what SureCloud accepted. */
async function trailWrites(): Promise<string[]> {
  const entries = await queryAuditTrail(redis, queueName);
  return entries
    .flatMap((entry) => [
      ...(entry.created ? ["createUser"] : entry.fields.length ? ["updateUser"] : []),
      ...entry.added.map((group) => `addMember ${group.id}`),
      ...entry.removed.map((group) => `removeMember ${group.id}`),
    ])
    .sort();
}
function acceptedWrites(): string[] {
  return acme.writes
    .map((write) => ("groupId" in write ? `${write.op} ${write.groupId.toLowerCase()}` : write.op))
    .sort();
}

describe("a worker dies between its intent and its record", () => {
  // A joiner's job makes 3 writes (create, two adds); a mover's makes 3 (PATCH, add, remove).
  it.each([0, 1, 2, 3])(
    "a joiner's job dying after %i accepted writes is recorded exactly once",
    async (survive) => {
      const joiner = jobOf({ ...ADA, userType: `${readOnly.id},${riskManager.id}` });
      await dieAfter(joiner, "job-1", survive);
      // BullMQ hands the stalled job to another worker: the same job runs again.
      await expect(syncUser(joiner, deps, "job-1")).resolves.toMatchObject({ outcome: "applied" });
      expect(await trailWrites()).toEqual(acceptedWrites());
      expect(await ledger.pending("acme", ADA.userId as string)).toBeUndefined();
    },
  );

  it.each([0, 1, 2, 3])(
    "a mover's job dying after %i accepted writes is recorded exactly once",
    async (survive) => {
      await syncUser(jobOf({ ...ADA, userType: readOnly.id }), deps, "job-1");
      const mover = jobOf({ ...ADA, type: "user.updated", givenName: "Ada M.", userType: breachReporter.id });
      await dieAfter(mover, "job-2", survive);
      // Another event for the user comes first: it records the dead job's writes, then its own.
      const next = jobOf({ ...ADA, type: "user.updated", givenName: "Ada M.", userType: riskManager.id });
      await expect(syncUser(next, deps, "job-3")).resolves.toMatchObject({ outcome: "applied" });
      expect(await trailWrites()).toEqual(acceptedWrites());
      const recovered = (await queryAuditTrail(redis, queueName)).filter((entry) => entry.recovered);
      expect(recovered.every((entry) => entry.cause.jobId === "job-2" && !entry.complete)).toBe(true);
      expect(recovered).toHaveLength(survive > 0 ? 1 : 0);
    },
  );
});
