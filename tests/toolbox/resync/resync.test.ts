// `surecloud-sync resync` end to end: Auth0 faked by nock, the queue on real Redis, a real worker
// process and the SureCloud emulator. Users the event stream never saw are brought to the right
// state; a resync racing live events ends with the newest state; a repeat adds no second job;
// SureCloud users of deleted Auth0 users are reported, and with a flag made INACTIVE.

import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { queryAuditTrail } from "../../../toolbox/audit/auditQuery.js";
import { makeUserEvent, newEventId } from "../../fixtures/auth0Events.js";
import { type Harness, queuedJobIds, REDIS_URL, startHarness } from "./harness.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});
beforeEach(() => {
  harness.pipeline.emulator.reset();
  harness.resetAuth0();
});

const acme = () => harness.pipeline.emulator.state("acme");
const userBy = (externalId: string) => acme().users.find((user) => user.externalId === externalId);
const groupIds = (externalId: string) => (userBy(externalId)?.groups ?? []).map((group) => group.id).sort();
const ids = (...list: Array<{ id: string }>) => list.map((group) => group.id).sort();

interface ResyncJson {
  runId: string;
  jobIds: string[];
  tenants: Array<{ tenantId: string; listed: number; queued: number; alreadyQueued: number }>;
  orphans?: Array<{ auth0UserId: string; sureCloudUserId: string; deactivationJobId?: string }>;
}

describe("users the event stream never saw", () => {
  it("creates, links and deactivates them as the sync rules say, for the chosen tenant only", async () => {
    const store = harness.pipeline.emulator.store("acme");
    store.seedUser({
      userName: "lin.ker@acme.example",
      email: "lin.ker@acme.example",
      groupIds: [groups.outside.id],
    });
    store.seedUser({
      externalId: "samlp|acme-entra|rs-blocked",
      userName: "bea.blocked@acme.example",
      email: "bea.blocked@acme.example",
      groupIds: [groups.readOnly.id],
    });
    const { auth0 } = harness;
    auth0.putUser({
      userId: "samlp|acme-entra|rs-new",
      email: "nia.new@acme.example",
      userType: `${groups.breachReporter.id},${groups.readOnly.id}`,
    });
    auth0.putUser({
      userId: "samlp|acme-entra|rs-linker",
      email: "lin.ker@acme.example",
      userType: groups.riskManager.id,
    });
    auth0.putUser({
      userId: "samlp|acme-entra|rs-blocked",
      email: "bea.blocked@acme.example",
      blocked: true,
      userType: "NONE",
    });
    auth0.putUser({
      userId: "samlp|beta-entra|rs-other",
      connection: "beta-entra",
      email: "bo@beta.example",
    });

    const run = await harness.cli(["resync", "--tenant", "acme", "--json"]);
    expect(run.code).toBe(0);
    const report = run.json<ResyncJson>();
    expect(report.tenants).toMatchObject([{ tenantId: "acme", listed: 3, queued: 3, alreadyQueued: 0 }]);
    const ends = await harness.settle(report.jobIds);
    expect(ends.map((end) => end.state)).toEqual(["completed", "completed", "completed"]);

    expect(userBy("samlp|acme-entra|rs-new")).toMatchObject({
      email: "nia.new@acme.example",
      status: "ACTIVE",
    });
    expect(groupIds("samlp|acme-entra|rs-new")).toEqual(ids(groups.breachReporter, groups.readOnly));
    expect(userBy("samlp|acme-entra|rs-linker")?.userName).toBe("lin.ker@acme.example");
    expect(groupIds("samlp|acme-entra|rs-linker")).toEqual(ids(groups.riskManager));
    expect(userBy("samlp|acme-entra|rs-blocked")?.status).toBe("INACTIVE");
    expect(groupIds("samlp|acme-entra|rs-blocked")).toEqual(ids(groups.readOnly));
    expect(acme().users).toHaveLength(3);
    expect(harness.pipeline.emulator.state("beta").users).toHaveLength(0);
  });

  it("prints a per-tenant summary, with a progress line on stderr", async () => {
    harness.auth0.putUser({ userId: "samlp|acme-entra|rs-text", email: "tex@acme.example" });
    const run = await harness.cli(["resync", "--all"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/TENANT\s+CONNECTION\s+LISTED\s+QUEUED\s+ALREADY QUEUED/);
    expect(run.stdout).toMatch(/acme\s+acme-entra\s+1\s+1\s+0/);
    expect(run.stdout).toMatch(/beta\s+beta-entra\s+0\s+0\s+0/);
    expect(run.stdout).toMatch(/1 jobs queued/);
    expect(run.stderr).toMatch(/acme: users: 1\/1 \(100%\)/);
  });
});

describe("ordering against live events", () => {
  it("ends with the newest state whichever arrives first, one SureCloud user each", async () => {
    harness.pipeline.emulator.setFaults({ latencyMs: 10 });
    const older = "2026-11-03T08:00:00.000Z";
    const newer = "2026-11-03T09:00:00.000Z";
    const users = Array.from({ length: 6 }, (_, index) => ({
      userId: `samlp|acme-entra|race-${index}`,
      email: `race-${index}@acme.example`,
      // Users 0-2: Auth0 lists an older state than the live event; users 3-5: the live event is older.
      listedIsNewer: index >= 3,
    }));
    for (const user of users) {
      const updatedAt = user.listedIsNewer ? newer : older;
      harness.auth0.putUser({
        userId: user.userId,
        email: user.email,
        givenName: "Listed",
        updatedAt,
        userType: user.listedIsNewer ? groups.riskManager.id : groups.readOnly.id,
      });
    }
    const events = users.map((user) => {
      const time = user.listedIsNewer ? older : newer;
      return makeUserEvent({
        id: newEventId(),
        type: "user.updated",
        userId: user.userId,
        email: user.email,
        givenName: "Live",
        time,
        updatedAt: time,
        userType: user.listedIsNewer ? groups.readOnly.id : groups.riskManager.id,
      });
    });

    const [run] = await Promise.all([
      harness.cli(["resync", "--tenant", "acme", "--json"]),
      ...events.map((event) => harness.pipeline.send(event)),
    ]);
    await harness.settle(queuedJobIds(run));
    await Promise.all(events.map((event) => harness.pipeline.result(event.id)));

    for (const user of users) {
      const matches = acme().users.filter((candidate) => candidate.externalId === user.userId);
      expect(matches).toHaveLength(1);
      expect(matches[0]?.givenName).toBe(user.listedIsNewer ? "Listed" : "Live");
      expect(groupIds(user.userId)).toEqual(ids(groups.riskManager));
    }
  });
});

describe("repeating a resync", () => {
  it("adds no second job for a user whose unchanged state is still waiting", async () => {
    const idle = `test-${randomUUID()}`;
    const queue = new Queue(idle, { connection: { url: REDIS_URL } });
    try {
      for (const index of [1, 2, 3])
        harness.auth0.putUser({
          userId: `samlp|acme-entra|rep-${index}`,
          email: `rep-${index}@acme.example`,
        });
      const first = (
        await harness.cli(["resync", "--tenant", "acme", "--json"], { QUEUE_NAME: idle })
      ).json<ResyncJson>();
      const second = (
        await harness.cli(["resync", "--tenant", "acme", "--json"], { QUEUE_NAME: idle })
      ).json<ResyncJson>();
      expect(first.tenants[0]).toMatchObject({ queued: 3, alreadyQueued: 0 });
      expect(second.tenants[0]).toMatchObject({ queued: 0, alreadyQueued: 3 });
      expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 3 });
      // A changed user is queued again.
      harness.auth0.putUser({
        userId: "samlp|acme-entra|rep-1",
        email: "rep-1@acme.example",
        updatedAt: "2026-12-01T00:00:00.000Z",
      });
      const third = (
        await harness.cli(["resync", "--tenant", "acme", "--json"], { QUEUE_NAME: idle })
      ).json<ResyncJson>();
      expect(third.tenants[0]).toMatchObject({ queued: 1, alreadyQueued: 2 });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});

describe("SureCloud users of Auth0 users that no longer exist", () => {
  it("reports them, and with --deactivate-orphans makes them INACTIVE with groups kept", async () => {
    const gone = "samlp|acme-entra|orphan-1";
    harness.auth0.putUser({ userId: gone, email: "or.phan@acme.example", userType: groups.readOnly.id });
    harness.auth0.putUser({ userId: "samlp|acme-entra|stays", email: "stays@acme.example" });
    await harness.settle(queuedJobIds(await harness.cli(["resync", "--tenant", "acme", "--json"])));
    harness.auth0.deleteUser(gone);

    const reported = (
      await harness.cli(["resync", "--tenant", "acme", "--orphans", "--json"])
    ).json<ResyncJson>();
    expect(reported.orphans).toEqual([
      expect.objectContaining({ auth0UserId: gone, sureCloudUserId: userBy(gone)?.id }),
    ]);
    expect(reported.orphans?.[0]?.deactivationJobId).toBeUndefined();
    await harness.settle(reported.jobIds);
    expect(userBy(gone)?.status).toBe("ACTIVE");

    const run = await harness.cli(["resync", "--tenant", "acme", "--deactivate-orphans", "--json"]);
    const jobId = run.json<ResyncJson>().orphans?.[0]?.deactivationJobId as string;
    const [end] = await harness.settle([jobId]);
    expect(end?.outcome).toMatchObject({ outcome: "applied", status: { from: "ACTIVE", to: "INACTIVE" } });
    expect(userBy(gone)?.status).toBe("INACTIVE");
    expect(groupIds(gone)).toEqual(ids(groups.readOnly));
    const trail = await queryAuditTrail(harness.redis, harness.pipeline.queueName, { user: gone });
    expect(trail.at(-1)?.cause).toMatchObject({ eventType: "user.deleted", origin: "resync", jobId });
  });
});

describe("the built binary", () => {
  it("loads every command and prints the help of resync, plan, drift and audit", () => {
    for (const command of ["resync", "plan", "drift", "audit"]) {
      const run = spawnSync(process.execPath, ["dist/toolbox/cli/main.js", command, "--help"], {
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: surecloud-sync ${command}`));
    }
  });
});
