// The operations CLI, as the built binary, over jobs the built worker really failed: invalid-directive,
// unknown-group and conflict from Auth0 events through the Action, the queue and the SureCloud emulator.
// An operator fixes SureCloud and retries; a failure a newer change overtook is superseded, not retried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { type Delivered, makeDeliverer } from "../../helpers/deliverEvents.js";
import { type Pipeline, startPipeline } from "../../helpers/pipeline.js";
import { binary, REDIS_URL } from "./cliHarness.js";

let pipeline: Pipeline;
const deliver = makeDeliverer(() => pipeline, "2026-11-02T09:00:00.000Z");

/**
 * The outcome of a retried job once it completed. pipeline.result() reads the job before its state,
 * so a job completing in between shows as completed with no outcome yet: ask again.
 */
async function outcomeOf(eventId: string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const result = await pipeline.result(eventId);
    if (result.state !== "completed" || result.outcome) return result;
  }
  throw new Error(`no outcome for ${eventId}`);
}

const env = () => ({ REDIS_URL, QUEUE_NAME: pipeline.queueName, TENANTS_FILE: pipeline.tenantsFile });

let invalid: Delivered;
let retiredJoiner: Delivered;
let conflict: Delivered;
let overtaken: Delivered;
const staleUser = "samlp|acme-entra|dana";
const joiner = "samlp|acme-entra|rita";

beforeAll(async () => {
  pipeline = await startPipeline();
  invalid = await deliver({ userId: "samlp|acme-entra|ivan", userType: "Privacy Admins" });
  // The catalogue lists the retired group, but SureCloud no longer has it.
  retiredJoiner = await deliver({ userId: joiner, email: "rita@acme.example", userType: groups.retired.id });
  pipeline.emulator.store("beta").seedUser({
    userName: "carl@beta.example",
    email: "carl@beta.example",
    externalId: "samlp|beta-entra|someone-else",
  });
  conflict = await deliver({
    userId: "samlp|beta-entra|carl",
    connection: "beta-entra",
    email: "carl@beta.example",
    userType: groups.readOnly.id,
  });
  // Dana's first change fails; a newer one applies before anyone retries the first.
  overtaken = await deliver({ userId: staleUser, email: "dana@acme.example", userType: groups.retired.id });
  await deliver({ userId: staleUser, email: "dana@acme.example", userType: groups.readOnly.id });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

describe("operations CLI over a live worker", () => {
  it("the worker failed the jobs the way the CLI reads them", () => {
    expect(invalid.result.failedReason).toMatch(/^invalid-directive: /);
    expect(retiredJoiner.result.failedReason).toMatch(/^unknown-group: /);
    expect(conflict.result.failedReason).toMatch(/^conflict: /);
    expect(overtaken.result.failedReason).toMatch(/^unknown-group: /);
  });

  it("status counts the failures by reason; Dana's overtaken failure is superseded, not counted", async () => {
    const run = await binary(["status", "--json"], env());
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.counts).toMatchObject({ failed: 3, completed: 1, waiting: 0, active: 0 });
    expect(status.finished.lastHour).toEqual({ completed: 1, failed: 3 });
    expect(status.failedByReason).toMatchObject({
      "invalid-directive": 1,
      "unknown-group": 1,
      conflict: 1,
      transient: 0,
    });
    const superseded = JSON.parse((await binary(["failed", "--superseded", "--json"], env())).stdout);
    expect(superseded.jobs.map((job: { jobId: string }) => job.jobId)).toEqual([overtaken.jobId]);
  });

  it("failed lists a tenant's failures with the Auth0 user and the event", async () => {
    const run = await binary(["failed", "--tenant", "beta"], env());
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split("\n").slice(2);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      new RegExp(
        `^${conflict.jobId}\\s+conflict\\s+samlp\\|beta-entra\\|carl\\s+beta\\s+${conflict.eventId}\\s+user\\.created\\s+\\S+Z\\s+1\\s+`,
      ),
    );
  });

  it("after SureCloud gets the group back, retry --reason unknown-group applies the live failure", async () => {
    pipeline.emulator.store("acme").upsertGroup(groups.retired);
    const run = await binary(["retry", "--reason", "unknown-group", "--tenant", "acme"], env());
    expect(run).toMatchObject({
      code: 0,
      stdout: "Retried 1 of 1 failed job(s) (reason unknown-group, tenant acme).\n",
    });

    const applied = await outcomeOf(retiredJoiner.eventId);
    expect(applied.outcome).toMatchObject({ outcome: "applied", created: true });
    const rita = pipeline.emulator.state("acme").users.find((user) => user.externalId === joiner);
    expect(rita?.groups.map((group) => group.id)).toEqual([groups.retired.id]);

    // Dana's overtaken job was superseded, so not retried: her newer change stands.
    const dana = pipeline.emulator.state("acme").users.find((user) => user.externalId === staleUser);
    expect(dana?.groups.map((group) => group.id)).toEqual([groups.readOnly.id]);

    const status = JSON.parse((await binary(["status", "--json"], env())).stdout);
    expect(status.failedByReason).toMatchObject({ "invalid-directive": 1, "unknown-group": 0, conflict: 1 });
  });

  it("retry of one job by id runs it again under the same rules", async () => {
    const run = await binary(["retry", invalid.jobId], env());
    expect(run).toMatchObject({ code: 0, stdout: "Retried 1 of 1 failed job(s).\n" });
    // Nothing changed in Entra: the directive is still invalid, and the job fails again for that reason.
    await expect
      .poll(async () => (await pipeline.result(invalid.eventId)).failedReason, { timeout: 10_000 })
      .toMatch(/^invalid-directive: /);
  });
});
