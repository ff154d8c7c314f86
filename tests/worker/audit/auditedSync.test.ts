// The worker's audit hook (sync/syncUser.ts) against the SureCloud emulator and real Redis: every
// change is recorded exactly once with its cause, a job that changes nothing records nothing, and
// a job that fails part-way records what it did write, its retry only the rest.

import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { groups, sureCloudGroups } from "../../../dev/catalogue.js";
import { type Emulator, startEmulator } from "../../../dev/surecloud-emulator/server.js";
import { RetryableError } from "../../../shared/errors.js";
import { eventToJob } from "../../../shared/eventToJob.js";
import type { SyncJob } from "../../../shared/job.js";
import { parseTenantsFile, type TenantsFile } from "../../../shared/tenants.js";
import { queryAuditTrail } from "../../../toolbox/audit/auditQuery.js";
import { auditStreamKey, makeAuditRecorder } from "../../../worker/audit/auditTrail.js";
import { makeChangeLedger } from "../../../worker/audit/changeLedger.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import { type SyncDeps, syncUser } from "../../../worker/sync/syncUser.js";
import { makeTenantRuntimes, type TenantRuntime } from "../../../worker/sync/tenantRuntime.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { makeUserEvent, newEventId, type UserEventOptions } from "../../fixtures/auth0Events.js";

const TOKEN = "sc-test-token-acme-audit-5e4d3c2b1a";
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
let emulator: Emulator;
let tenants: TenantsFile;
let queueName: string;
let deps: SyncDeps;

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ id: "acme", token: TOKEN, groups: [...sureCloudGroups] }] });
  tenants = parseTenantsFile(
    JSON.stringify({
      tenants: [
        {
          id: "acme",
          connection: "acme-entra",
          surecloud: {
            baseUrl: emulator.baseUrlFor("acme"),
            tokenEnv: "SURECLOUD_TOKEN_ACME",
            requestsPerSecond: 1000,
          },
          groups: [groups.breachReporter, groups.readOnly, groups.riskManager].map((group) => ({
            groupId: group.id,
            name: group.name,
          })),
        },
      ],
    }),
  );
});
beforeEach(async () => {
  emulator.reset();
  queueName = `test-${randomUUID()}`;
  const prefix = syncStatePrefix(queueName);
  deps = {
    tenants,
    runtimes: makeTenantRuntimes(tenants, { SURECLOUD_TOKEN_ACME: TOKEN }),
    versions: makeUserVersions(redis, prefix),
    lock: makeUserLock(redis, prefix),
    audit: makeChangeLedger(redis, queueName, makeAuditRecorder(redis, queueName)),
  };
});
afterEach(async () => {
  const keys = await redis.keys(`group-sync:${queueName}:*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(async () => {
  redis.disconnect();
  await emulator?.close();
});

const USER = "samlp|acme-entra|audit-ada";
let clock = Date.parse("2026-11-02T08:00:00.000Z");

function jobOf(options: UserEventOptions): SyncJob {
  clock += 1000;
  const time = new Date(clock).toISOString();
  const mapping = eventToJob(
    makeUserEvent({ id: newEventId(), userId: USER, time, updatedAt: time, ...options }),
  );
  if (mapping.kind !== "job") throw new Error(mapping.reason);
  return mapping.job;
}

const trail = () => queryAuditTrail(redis, queueName);

it("records each change once with its cause, and nothing for a job that changes nothing", async () => {
  const created = jobOf({ type: "user.created", userType: groups.breachReporter.id });
  await syncUser(created, deps, "job-1");
  await syncUser(created, deps, "job-1-again"); // the same event delivered twice
  const sameState = jobOf({ type: "user.updated", userType: groups.breachReporter.id });
  await expect(syncUser(sameState, deps, "job-2")).resolves.toMatchObject({ outcome: "applied", fields: [] });
  const swapped = jobOf({ type: "user.updated", userType: groups.readOnly.id });
  await syncUser(swapped, deps, "job-3");
  const blocked = jobOf({ type: "user.updated", userType: groups.readOnly.id, blocked: true });
  await syncUser(blocked, deps, "job-4");

  const entries = await trail();
  const sureCloudUserId = emulator.state("acme").users[0]?.id;
  expect(entries.map((entry) => entry.cause.jobId)).toEqual(["job-1", "job-3", "job-4"]);
  expect(entries[0]).toMatchObject({
    tenantId: "acme",
    auth0UserId: USER,
    sureCloudUserId,
    cause: {
      eventId: created.event.id,
      eventType: "user.created",
      origin: "event",
      version: created.version,
    },
    created: true,
    status: { from: null, to: "ACTIVE" },
    added: [groups.breachReporter],
    removed: [],
    complete: true,
  });
  expect(entries[1]).toMatchObject({
    cause: { eventId: swapped.event.id, eventType: "user.updated" },
    directive: { applied: true, value: { kind: "exact", groupIds: [groups.readOnly.id] } },
    created: false,
    fields: [],
    added: [groups.readOnly],
    removed: [groups.breachReporter],
  });
  expect(entries[2]).toMatchObject({
    fields: ["status"],
    status: { from: "ACTIVE", to: "INACTIVE" },
    directive: { applied: false },
    added: [],
    removed: [],
  });
});

it("records the writes of a job that fails part-way, and only the rest when it is retried", async () => {
  const start = jobOf({
    type: "user.created",
    userType: `${groups.breachReporter.id},${groups.readOnly.id}`,
  });
  await syncUser(start, deps, "job-start");
  // One removal fails with a 5xx: the additions before it are already in SureCloud.
  const runtime = deps.runtimes.get("acme") as TenantRuntime;
  let failures = 1;
  const flaky: TenantRuntime = {
    ...runtime,
    directory: {
      ...runtime.directory,
      async removeMember(groupId, userId) {
        if (failures-- > 0) throw new RetryableError("SureCloud answered 503", { status: 503 });
        return runtime.directory.removeMember(groupId, userId);
      },
    },
  };
  deps.runtimes.set("acme", flaky);
  const change = jobOf({ type: "user.updated", userType: groups.riskManager.id });
  await expect(syncUser(change, deps, "job-change")).rejects.toThrow(/503/);
  await syncUser(change, deps, "job-change");

  const entries = (await trail()).filter((entry) => entry.cause.eventId === change.event.id);
  // Removals go out together: the one that did not fail is recorded with the failed attempt, and
  // the retry records only the removal that was left.
  expect(entries.map(({ added, removed, complete }) => ({ added, removed, complete }))).toEqual([
    { added: [groups.riskManager], removed: [groups.readOnly], complete: false },
    { added: [], removed: [groups.breachReporter], complete: true },
  ]);
  const user = emulator.state("acme").users[0];
  expect(user?.groups.map((group) => group.id)).toEqual([groups.riskManager.id]);
});

it("leaves no trail when the deps carry no recorder", async () => {
  const { audit: _audit, ...withoutAudit } = deps;
  await syncUser(jobOf({ type: "user.created", userType: groups.readOnly.id }), withoutAudit, "job-x");
  expect(await redis.exists(auditStreamKey(queueName))).toBe(0);
  expect(emulator.state("acme").users).toHaveLength(1);
});
