// Failures that reflect live problems, over the whole pipeline: events through the built Action, the
// built worker, the SureCloud emulator, real Redis, and the operations CLI. A user's failed job is
// superseded (out of `failed`, `status` and the gauge; listed by `failed --superseded`) once a newer
// change for that user is applied; `retry --wait` prints each retried job's outcome; `status`
// counts skipped jobs by reason and can be limited to one tenant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groups } from "../../dev/catalogue.js";
import { freePort } from "../../dev/freePort.js";
import { type Delivered, makeDeliverer } from "../helpers/deliverEvents.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { cli, REDIS_URL } from "../toolbox/cli/cliHarness.js";

let pipeline: Pipeline;
let metricsPort: number;
const deliver = makeDeliverer(() => pipeline, "2026-11-03T09:00:00.000Z");

const env = () => ({ REDIS_URL, QUEUE_NAME: pipeline.queueName, TENANTS_FILE: pipeline.tenantsFile });
const json = async (args: string[]) => {
  const run = await cli([...args, "--json"], env());
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};
const ids = (list: { jobs: Array<{ jobId: string }> }) => list.jobs.map((job) => job.jobId).sort();
const acme = (name: string) => ({ userId: `samlp|acme-entra|${name}`, email: `${name}@acme.example` });

beforeAll(async () => {
  metricsPort = await freePort();
  pipeline = await startPipeline({ workerEnv: { HTTP_PORT: String(metricsPort) } });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

describe("superseded failures", () => {
  let ivyOld: Delivered;
  let ivyNew: Delivered;
  let olga: Delivered;
  let noraNewer: Delivered;

  beforeAll(async () => {
    ivyOld = await deliver({ ...acme("ivy"), userType: "Privacy Admins" });
    olga = await deliver({ ...acme("olga"), userType: "Privacy Admins" });
    ivyNew = await deliver({ ...acme("ivy"), type: "user.updated", userType: groups.readOnly.id });
    // Nora's newer change fails; an older one, delivered late, applies after it.
    const newer = deliver.now() + 10_000;
    noraNewer = await deliver({ ...acme("nora"), type: "user.updated", userType: "Admins" }, newer);
    await deliver({ ...acme("nora"), userType: groups.readOnly.id }, newer - 5_000);
  }, 60_000);

  it("a newer change applied for the user takes the old failure out of `failed` and `status`", async () => {
    expect(ivyOld.result.failedReason).toMatch(/^invalid-directive: /);
    expect(ivyNew.result.outcome).toMatchObject({ outcome: "applied" });

    const failed = await json(["failed"]);
    expect(ids(failed)).toEqual([olga.jobId, noraNewer.jobId].sort());
    const status = await json(["status"]);
    expect(status.counts.failed).toBe(2);
    expect(status.failedByReason["invalid-directive"]).toBe(2);
  });

  it("`failed --superseded` lists it with who, why, when it failed, and the job that superseded it", async () => {
    const superseded = await json(["failed", "--superseded"]);
    expect(superseded.matched).toBe(1);
    expect(superseded.jobs[0]).toMatchObject({
      jobId: ivyOld.jobId,
      reason: "invalid-directive",
      tenant: "acme",
      auth0UserId: "samlp|acme-entra|ivy",
      eventId: ivyOld.eventId,
      supersededBy: { jobId: ivyNew.jobId, eventId: ivyNew.eventId },
    });
    expect(Date.parse(superseded.jobs[0].failedAt)).not.toBeNaN();

    const table = await cli(["failed", "--superseded"], env());
    expect(table.stdout).toMatch(
      /^JOB ID\s+REASON\s+AUTH0 USER\s+TENANT\s+FAILED AT\s+SUPERSEDED BY JOB\s+SUPERSEDED AT$/m,
    );
    expect(table.stdout).toContain(ivyOld.jobId);
    const none = await cli(["failed", "--superseded", "--reason", "conflict"], env());
    expect(none.stdout).toBe("No superseded jobs match.");
  });

  it("another user's failure, and a newer failure after an older change applied, stay failed", async () => {
    expect(await pipeline.result(olga.eventId)).toMatchObject({ state: "failed" });
    expect(await pipeline.result(noraNewer.eventId)).toMatchObject({ state: "failed" });
    const superseded = await json(["failed", "--superseded"]);
    expect(ids(superseded)).toEqual([ivyOld.jobId]);
  });

  it("the worker counts superseded jobs by tenant and reason, and the failed gauge drops them", async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(
      /^group_sync_superseded_jobs_total\{tenant="acme",reason="invalid-directive"\} 1$/m,
    );
    expect(metrics).toMatch(/^group_sync_queue_jobs\{state="failed"\} 2$/m);
  });
});

describe("retry --wait", () => {
  it("prints each retried job's outcome: applied once fixed, failed again with reason and message", async () => {
    const rita = await deliver({ ...acme("rita"), userType: groups.retired.id });
    const ingo = await deliver({ ...acme("ingo"), userType: "Privacy Admins" });
    expect(rita.result.failedReason).toMatch(/^unknown-group: /);
    pipeline.emulator.store("acme").upsertGroup(groups.retired);

    const applied = await cli(["retry", rita.jobId, "--wait"], env());
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Retried 1 of 1 failed job(s).");
    expect(applied.stdout).toMatch(new RegExp(`^${rita.jobId}\\s+applied\\s+created ACTIVE`, "m"));

    const again = await cli(["retry", ingo.jobId, "--wait", "--timeout", "60", "--json"], env());
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).outcomes).toEqual([
      {
        jobId: ingo.jobId,
        outcome: "failed",
        reason: "invalid-directive",
        detail: expect.stringMatching(/^invalid-directive: Group directive entry 1 "Privacy Admins"/),
      },
    ]);
    const usage = await cli(["retry", ingo.jobId, "--timeout", "5"], env());
    expect(usage.code).toBe(2);
  });
});

describe("status: skipped by reason, one tenant", () => {
  beforeAll(async () => {
    await deliver({ userId: "samlp|gamma-entra|gus", connection: "gamma-entra", userType: "NONE" });
    await deliver({ ...acme("sam"), userType: groups.readOnly.id });
    await deliver({ ...acme("sam"), userType: "NONE" }, deliver.now() - 60_000);
    await deliver({
      userId: "samlp|beta-entra|bea",
      connection: "beta-entra",
      email: "bea@beta.example",
      userType: "NONE",
    });
  }, 60_000);

  it("counts completed jobs by outcome, skipped ones by reason", async () => {
    const status = await json(["status"]);
    expect(status.completedByOutcome.skipped).toEqual({
      "unknown-connection": 1,
      stale: 1,
      duplicate: 0,
      "not-linked": 0,
    });
    expect(status.completedByOutcome.applied).toBe(status.counts.completed - 2);
    const text = await cli(["status"], env());
    expect(text.stdout).toMatch(/^skipped: unknown-connection\s+1$/m);
    expect(text.stdout).toMatch(/^skipped: stale\s+1$/m);
  });

  it("--tenant counts that tenant's jobs only", async () => {
    const beta = await json(["status", "--tenant", "beta"]);
    expect(beta.tenant).toBe("beta");
    expect(beta.counts).toMatchObject({ completed: 1, failed: 0, waiting: 0 });
    expect(beta.completedByOutcome).toMatchObject({ applied: 1 });
    expect(beta.finished.lastHour).toEqual({ completed: 1, failed: 0 });
    const whole = await json(["status"]);
    const acmeOnly = await json(["status", "--tenant", "acme"]);
    expect(acmeOnly.counts.failed).toBe(whole.counts.failed);
    expect(acmeOnly.counts.completed).toBe(whole.counts.completed - 2);
    const text = await cli(["status", "--tenant", "beta"], env());
    expect(text.stdout.split("\n")[0]).toContain(", tenant beta only");
    const unknown = await cli(["status", "--tenant", "globex"], env());
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain('tenant "globex" is neither a tenant id nor a connection');
  });
});
