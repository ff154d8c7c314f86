// How the operations commands read a failed job: the reason the worker wrote, or `transient` when
// retries ran out; and the user, event and tenant even when the job's data is broken.
import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { catalogue, groups } from "../../../dev/catalogue.js";
import { permanentReasons } from "../../../shared/errors.js";
import { parseTenantsFile } from "../../../shared/tenants.js";
import { compareCatalogue } from "../../../toolbox/ops/checkConfig.js";
import { classifyFailure, eachFailedJob, viewFailedJob } from "../../../toolbox/ops/failedJob.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const tenants = parseTenantsFile(
  JSON.stringify({
    tenants: [
      {
        id: "acme",
        connection: "acme-entra",
        surecloud: { baseUrl: "https://acme.example/api/v1", tokenEnv: "SURECLOUD_TOKEN_ACME" },
        groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
      },
    ],
  }),
);

describe("classifyFailure", () => {
  it("reads every permanent reason from the `<reason>: ` prefix", () => {
    for (const reason of permanentReasons) {
      expect(classifyFailure(`${reason}: something about it`)).toEqual({
        reason,
        message: "something about it",
      });
    }
  });

  it("groups everything else as transient, keeping the whole message", () => {
    for (const text of [
      "SureCloud updateUser answered 503",
      "conflicts: not a reason",
      "job stalled more than allowable limit",
      "",
    ]) {
      expect(classifyFailure(text)).toEqual({ reason: "transient", message: text });
    }
    expect(classifyFailure(undefined)).toEqual({ reason: "transient", message: "" });
  });
});

describe("viewFailedJob", () => {
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  async function failJobs(items: Array<{ id: string; data: unknown; error: string }>) {
    const name = `test-${randomUUID()}`;
    queue = new Queue(name, { connection: { url: REDIS_URL } });
    const errors = new Map(items.map((item) => [item.id, item.error]));
    worker = new Worker(
      name,
      async (job) => {
        throw new UnrecoverableError(errors.get(job.id ?? "") ?? "?");
      },
      { connection: { url: REDIS_URL } },
    );
    for (const item of items) await queue.add("sync", item.data, { jobId: item.id });
    const deadline = Date.now() + 10_000;
    while ((await queue.getFailedCount()) < items.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const jobs = [];
    for await (const job of eachFailedJob(queue, 1)) jobs.push(job);
    return jobs;
  }

  it("names the user, event and tenant of a job, and tolerates broken job data", async () => {
    const jobs = await failJobs([
      {
        id: "event-evt_good",
        data: {
          connection: "acme-entra",
          event: { id: "evt_good", type: "user.updated" },
          user: { userId: "samlp|acme-entra|ada" },
        },
        error: "unknown-group: Group(s) not found in SureCloud: x",
      },
      {
        id: "event-evt_broken",
        data: { connection: 42, event: "nope" },
        error: "invalid-job: schema 7 unknown",
      },
    ]);
    // Read a page of one at a time: both jobs still come through.
    expect(jobs).toHaveLength(2);
    const good = jobs.find((job) => job.id === "event-evt_good");
    const broken = jobs.find((job) => job.id === "event-evt_broken");
    expect(viewFailedJob(good as NonNullable<typeof good>, tenants)).toMatchObject({
      jobId: "event-evt_good",
      reason: "unknown-group",
      tenant: "acme",
      connection: "acme-entra",
      auth0UserId: "samlp|acme-entra|ada",
      eventId: "evt_good",
      eventType: "user.updated",
      attempts: 1,
    });
    expect(viewFailedJob(broken as NonNullable<typeof broken>, tenants)).toMatchObject({
      jobId: "event-evt_broken",
      reason: "invalid-job",
      message: "schema 7 unknown",
      tenant: null,
      connection: null,
      auth0UserId: null,
      eventId: null,
    });
  });
});

describe("compareCatalogue", () => {
  const tenant = tenants.tenants[0] as (typeof tenants.tenants)[number];
  const sureCloud = catalogue.map((group) => ({ id: group.id.toUpperCase(), name: group.name }));

  it("is ok when SureCloud has every catalogue group, whatever the letter case of its ids", () => {
    expect(compareCatalogue(tenant, sureCloud).map((check) => check.status)).toEqual(["ok"]);
  });

  it("notes a group SureCloud names differently, without failing", () => {
    const renamed = sureCloud.map((group) =>
      group.id === groups.readOnly.id.toUpperCase() ? { ...group, name: "Read-Only Users" } : group,
    );
    const checks = compareCatalogue(tenant, renamed);
    expect(checks.map((check) => check.status)).toEqual(["ok", "info"]);
    expect(checks[1]?.detail).toBe(
      `named differently in SureCloud: ${groups.readOnly.id} "Read Only" is "Read-Only Users"`,
    );
  });
});
