// status, failed and retry against a real queue whose jobs failed the way the worker fails them:
// `<reason>: <message>` for permanent failures, a bare message when transient retries ran out.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  cli,
  type FailedQueue,
  type FixtureJob,
  makeFailedQueue,
  REDIS_URL,
  writeTenantsFile,
} from "./cliHarness.js";

const env = { REDIS_URL };
const invalid = {
  fate: "permanent",
  reason: "invalid-directive",
  message: 'Group directive entry 1 "Admins" is not a group UUID, IGNORE or NONE',
} as const;
const unknownGroup = {
  fate: "permanent",
  reason: "unknown-group",
  message: "Group(s) not found in SureCloud: 7f3e2d1c-0b9a-4876-a5f4-e3d2c1b0a987",
} as const;
const conflict = {
  fate: "permanent",
  reason: "conflict",
  message: "SureCloud user u-1 is linked to another Auth0 user",
} as const;
const transient = { fate: "transient", message: "SureCloud updateUser answered 503" } as const;

interface Fixture {
  fq: FailedQueue;
  jobs: Record<
    "done1" | "done2" | "invalidAcme" | "invalidBeta" | "unknownAcme" | "conflictBeta" | "transientAcme",
    FixtureJob
  >;
}

/** Two completed jobs and five failed ones over two tenants, every failure class once or more. */
async function fixture(): Promise<Fixture> {
  const fq = await makeFailedQueue();
  const beta = { connection: "beta-entra" };
  const jobs = {
    done1: await fq.add({ fate: "complete" }),
    done2: await fq.add({ fate: "complete" }, beta),
    invalidAcme: await fq.add(invalid),
    invalidBeta: await fq.add(invalid, beta),
    unknownAcme: await fq.add(unknownGroup),
    conflictBeta: await fq.add(conflict, beta),
    transientAcme: await fq.add(transient),
  };
  return { fq, jobs };
}

let tenants: Awaited<ReturnType<typeof writeTenantsFile>>;
beforeAll(async () => {
  tenants = await writeTenantsFile();
});
afterAll(async () => {
  await tenants.remove();
});

describe("status and failed", () => {
  let f: Fixture;
  /** Every fixture job ended between these two instants of this process's clock. */
  let fixtureFrom = 0;
  let fixtureTo = 0;
  beforeAll(async () => {
    fixtureFrom = Date.now();
    f = await fixture();
    fixtureTo = Date.now();
  });
  afterAll(async () => {
    await f.fq.stop();
  });
  const q = () => ["--queue", f.fq.queueName];

  it("status counts jobs by state, finished jobs by window, and failures by reason", async () => {
    const run = await cli(["status", ...q(), "--json"], env);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.counts).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 2, failed: 5, paused: 0 });
    expect(status.finished).toEqual({
      lastMinute: { completed: 2, failed: 5 },
      lastHour: { completed: 2, failed: 5 },
    });
    expect(status.failedByReason).toMatchObject({
      "invalid-directive": 2,
      "unknown-group": 1,
      conflict: 1,
      transient: 1,
      "surecloud-rejected": 0,
    });
  });

  it("status prints tables an operator can read", async () => {
    const run = await cli(["status", ...q()], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Queue ${f.fq.queueName} on redis://127.0.0.1:6379`);
    expect(run.stdout).toMatch(/^failed\s+5$/m);
    expect(run.stdout).toMatch(/^last minute\s+2\s+5$/m);
    expect(run.stdout).toMatch(/^invalid-directive\s+2$/m);
    expect(run.stdout).toMatch(/^transient\s+1$/m);
  });

  it("status shows a paused queue's waiting jobs as paused", async () => {
    await f.fq.queue.pause();
    try {
      await f.fq.queue.add("sync", { schema: 1 }, { jobId: "held-1" });
      const status = JSON.parse((await cli(["status", ...q(), "--json"], env)).stdout);
      expect(status.paused).toBe(true);
      expect(status.counts).toMatchObject({ waiting: 0, paused: 1 });
    } finally {
      await f.fq.queue.remove("held-1");
      await f.fq.queue.resume();
    }
  });

  it("failed lists every failed job with user, tenant, event, time and attempts", async () => {
    const run = await cli(["failed", ...q(), "--json"], env);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout);
    expect(list.matched).toBe(5);
    expect(list.jobs.map((job: { jobId: string }) => job.jobId).sort()).toEqual(
      [f.jobs.invalidAcme, f.jobs.invalidBeta, f.jobs.unknownAcme, f.jobs.conflictBeta, f.jobs.transientAcme]
        .map((job) => job.jobId)
        .sort(),
    );
    const transientJob = list.jobs.find((job: { jobId: string }) => job.jobId === f.jobs.transientAcme.jobId);
    expect(transientJob).toMatchObject({
      reason: "transient",
      message: "SureCloud updateUser answered 503",
      auth0UserId: f.jobs.transientAcme.job.user.userId,
      eventId: f.jobs.transientAcme.job.event.id,
      eventType: "user.created",
      tenant: "acme-entra",
      connection: "acme-entra",
      attempts: 2,
    });
    // When it failed, bracketed by instants taken around the fixture: true however slow the run.
    expect(Date.parse(transientJob.failedAt)).toBeGreaterThanOrEqual(fixtureFrom);
    expect(Date.parse(transientJob.failedAt)).toBeLessThanOrEqual(fixtureTo);
    const unknown = list.jobs.find((job: { jobId: string }) => job.jobId === f.jobs.unknownAcme.jobId);
    expect(unknown).toMatchObject({ reason: "unknown-group", message: unknownGroup.message, attempts: 1 });
  });

  it("failed filters by reason, and by tenant id through the tenants file", async () => {
    const byReason = JSON.parse(
      (await cli(["failed", ...q(), "--reason", "invalid-directive", "--json"], env)).stdout,
    );
    expect(byReason.jobs.map((job: { reason: string }) => job.reason)).toEqual([
      "invalid-directive",
      "invalid-directive",
    ]);

    const byTenant = JSON.parse(
      (await cli(["failed", ...q(), "--tenant", "beta", "--tenants", tenants.path, "--json"], env)).stdout,
    );
    expect(byTenant.jobs.map((job: { jobId: string }) => job.jobId).sort()).toEqual(
      [f.jobs.invalidBeta.jobId, f.jobs.conflictBeta.jobId].sort(),
    );
    expect(byTenant.jobs.every((job: { tenant: string }) => job.tenant === "beta")).toBe(true);

    const both = JSON.parse(
      (
        await cli(["failed", ...q(), "--tenant", "beta", "--reason", "conflict", "--json"], {
          ...env,
          TENANTS_FILE: tenants.path,
        })
      ).stdout,
    );
    expect(both.jobs.map((job: { jobId: string }) => job.jobId)).toEqual([f.jobs.conflictBeta.jobId]);

    // Without a tenants file the connection stands for the tenant.
    const byConnection = JSON.parse(
      (await cli(["failed", ...q(), "--tenant", "beta-entra", "--json"], env)).stdout,
    );
    expect(byConnection.matched).toBe(2);
  });

  it("failed prints a table, newest first, and says when --limit hides jobs", async () => {
    const run = await cli(["failed", ...q(), "--limit", "2", "--tenants", tenants.path], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^JOB ID\s+REASON\s+AUTH0 USER\s+TENANT\s+EVENT\s+TYPE\s+FAILED AT\s+ATTEMPTS\s+MESSAGE$/,
    );
    // The last two jobs to fail, newest first.
    expect(lines[2]).toContain(f.jobs.transientAcme.jobId);
    expect(lines[2]).toMatch(/transient\s+\S+\s+acme\s+/);
    expect(lines[3]).toContain(f.jobs.conflictBeta.jobId);
    expect(lines[3]).toContain("SureCloud user u-1 is linked to another Auth0 user");
    expect(run.stdout).toContain("Showing 2 of 5 matching failed jobs; use --limit to see more.");
  });

  it("failed says so when nothing matches, and rejects an unknown reason as a usage error", async () => {
    const none = await cli(["failed", ...q(), "--reason", "surecloud-rejected"], env);
    expect(none).toMatchObject({ code: 0, stdout: "No failed jobs match." });
    const bad = await cli(["failed", ...q(), "--reason", "oops"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--reason must be one of invalid-job, invalid-directive, unknown-group");
    const badLimit = await cli(["failed", ...q(), "--limit", "0"], env);
    expect(badLimit.code).toBe(2);
  });
});

describe("retry", () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
    await f.fq.pauseWorker();
  });
  afterEach(async () => {
    await f.fq.stop();
  });
  const q = () => ["--queue", f.fq.queueName];
  const stateOf = (job: FixtureJob) => f.fq.queue.getJobState(job.jobId);

  it("retries one job by id: it goes back to waiting with a fresh attempt count", async () => {
    const run = await cli(["retry", f.jobs.transientAcme.jobId, ...q()], env);
    expect(run).toMatchObject({ code: 0, stdout: "Retried 1 of 1 failed job(s)." });
    expect(await stateOf(f.jobs.transientAcme)).toBe("waiting");
    expect((await f.fq.queue.getJob(f.jobs.transientAcme.jobId))?.attemptsMade).toBe(0);
    expect(await stateOf(f.jobs.invalidAcme)).toBe("failed");
    const status = JSON.parse((await cli(["status", ...q(), "--json"], env)).stdout);
    expect(status.counts).toMatchObject({ waiting: 1, failed: 4 });
  });

  it("retries every job of a reason, and the worker processes them", async () => {
    const run = await cli(["retry", "--reason", "invalid-directive", ...q()], env);
    expect(run).toMatchObject({
      code: 0,
      stdout: "Retried 2 of 2 failed job(s) (reason invalid-directive).",
    });
    f.fq.heal();
    f.fq.resumeWorker();
    await f.fq.waitForState(f.jobs.invalidAcme.jobId, "completed");
    await f.fq.waitForState(f.jobs.invalidBeta.jobId, "completed");
    expect(await stateOf(f.jobs.unknownAcme)).toBe("failed");
    expect(await stateOf(f.jobs.conflictBeta)).toBe("failed");
  });

  it("retries by tenant and reason together", async () => {
    const run = await cli(
      [
        "retry",
        "--reason",
        "invalid-directive",
        "--tenant",
        "beta",
        "--tenants",
        tenants.path,
        ...q(),
        "--json",
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ matched: 1, retried: [f.jobs.invalidBeta.jobId], errors: [] });
    expect(await stateOf(f.jobs.invalidBeta)).toBe("waiting");
    expect(await stateOf(f.jobs.invalidAcme)).toBe("failed");
  });

  it("refuses to retry everything without a filter unless --all is given", async () => {
    const refused = await cli(["retry", ...q()], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "refusing to retry every failed job without --reason, --tenant or --all",
    );
    expect(await f.fq.queue.getFailedCount()).toBe(5);

    const all = await cli(["retry", "--all", ...q()], env);
    expect(all).toMatchObject({ code: 0, stdout: "Retried 5 of 5 failed job(s)." });
    expect(await f.fq.queue.getFailedCount()).toBe(0);
    expect(await f.fq.queue.getWaitingCount()).toBe(5);
  });

  it("fails clearly for a job that does not exist or has not failed, and for a mixed call", async () => {
    const missing = await cli(["retry", "event-evt_nothere", ...q()], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`Error: job "event-evt_nothere" not found in queue "${f.fq.queueName}"`);
    const completed = await cli(["retry", f.jobs.done1.jobId, ...q()], env);
    expect(completed.code).toBe(1);
    expect(completed.stderr).toContain("is completed, not failed");
    const mixed = await cli(["retry", f.jobs.invalidAcme.jobId, "--reason", "conflict", ...q()], env);
    expect(mixed.code).toBe(2);
    const none = await cli(["retry", "--reason", "surecloud-rejected", ...q()], env);
    expect(none).toMatchObject({
      code: 0,
      stdout: "No failed jobs match (reason surecloud-rejected); nothing retried.",
    });
  });
});

describe("connection errors", () => {
  it("names the unreachable Redis, masks its password, and exits 1", async () => {
    const run = await cli(["status", "--redis-url", "redis://:s3cret@127.0.0.1:1"], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Error: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
    expect(run.stderr).not.toContain("s3cret");
  });

  it("treats a non-Redis URL and an unknown option as usage errors (exit 2)", async () => {
    expect((await cli(["status", "--redis-url", "http://x"], {})).code).toBe(2);
    expect((await cli(["failed", "--bogus"], {})).code).toBe(2);
  });
});
