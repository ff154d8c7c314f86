// The audit trail on real Redis, written by the worker's recorder and read by the toolbox's query: entries read back by tenant, user and time, newest kept under a
// limit; retention and the entry cap trim old entries; each entry is also a structured log line;
// and a Redis that cannot be written never fails the caller.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeLogger } from "../../../shared/logger.js";
import { type AuditFilter, queryAuditTrail } from "../../../toolbox/audit/auditQuery.js";
import type { AuditEntry } from "../../../worker/audit/auditEntry.js";
import { auditStreamKey, makeAuditRecorder } from "../../../worker/audit/auditTrail.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
let queueName: string;
const readBack = (filter?: AuditFilter) => queryAuditTrail(redis, queueName, filter);

beforeEach(() => {
  queueName = `test-${randomUUID()}`;
});
afterEach(async () => {
  await redis.del(auditStreamKey(queueName));
});
afterAll(() => redis.disconnect());

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date().toISOString(),
    tenantId: "acme",
    auth0UserId: "samlp|acme-entra|ada",
    sureCloudUserId: "usr_1",
    cause: {
      eventId: "evt_1",
      eventType: "user.updated",
      origin: "event",
      version: "2026-11-02T08:00:00.000Z",
      jobId: "event-evt_1",
    },
    directive: { applied: true, value: { kind: "clear" }, why: "the directive Entra sent" },
    created: false,
    fields: [],
    added: [],
    removed: [{ id: "5b4e2a17-df3c-4b82-a6f2-27a119d8c441", name: "Read Only" }],
    complete: true,
    ...overrides,
  };
}

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: makeLogger({ name: "audit-test" }, stream) };
}

describe("reading the trail", () => {
  it("filters by tenant and by user (Auth0 or SureCloud id), oldest first", async () => {
    const trail = makeAuditRecorder(redis, queueName);
    await trail.record(entry({ auth0UserId: "samlp|acme-entra|ada", sureCloudUserId: "usr_ada" }));
    await trail.record(
      entry({ tenantId: "beta", auth0UserId: "samlp|beta-entra|bo", sureCloudUserId: "usr_bo" }),
    );
    await trail.record(entry({ auth0UserId: "samlp|acme-entra|cy", sureCloudUserId: "usr_cy" }));

    const acme = await readBack({ tenantId: "acme" });
    expect(acme.map((found) => found.auth0UserId)).toEqual(["samlp|acme-entra|ada", "samlp|acme-entra|cy"]);
    expect((await readBack({ user: "usr_bo" })).map((found) => found.tenantId)).toEqual(["beta"]);
    expect((await readBack({ user: "samlp|acme-entra|cy" }))[0]).toMatchObject({
      sureCloudUserId: "usr_cy",
      removed: [{ name: "Read Only" }],
      cause: { eventId: "evt_1", eventType: "user.updated" },
    });
  });

  it("filters by time and keeps the newest entries under a limit", async () => {
    const trail = makeAuditRecorder(redis, queueName);
    for (const index of [1, 2, 3]) await trail.record(entry({ sureCloudUserId: `usr_${index}` }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const index of [4, 5]) await trail.record(entry({ sureCloudUserId: `usr_${index}` }));

    expect((await readBack({ since: between })).map((found) => found.sureCloudUserId)).toEqual([
      "usr_4",
      "usr_5",
    ]);
    expect((await readBack({ until: between })).map((found) => found.sureCloudUserId)).toEqual([
      "usr_1",
      "usr_2",
      "usr_3",
    ]);
    expect((await readBack({ limit: 2 })).map((found) => found.sureCloudUserId)).toEqual(["usr_4", "usr_5"]);
  });
});

describe("keeping the trail bounded", () => {
  it("drops entries older than the retention as new ones are written", async () => {
    // An entry written 401 days ago: stream ids are the time of the write.
    const old = entry({ sureCloudUserId: "usr_old" });
    const written = Date.now() - 401 * 24 * 3600 * 1000;
    await redis.xadd(auditStreamKey(queueName), `${written}-0`, "entry", JSON.stringify(old));
    const trail = makeAuditRecorder(redis, queueName, { retentionDays: 400 });
    expect(await readBack()).toHaveLength(1);
    await trail.record(entry({ sureCloudUserId: "usr_new" }));
    expect((await readBack()).map((found) => found.sureCloudUserId)).toEqual(["usr_new"]);
  });

  it("keeps at most the configured number of entries", async () => {
    const trail = makeAuditRecorder(redis, queueName, { maxEntries: 3 });
    for (const index of [1, 2, 3, 4, 5]) await trail.record(entry({ sureCloudUserId: `usr_${index}` }));
    expect((await readBack()).map((found) => found.sureCloudUserId)).toEqual(["usr_3", "usr_4", "usr_5"]);
  });
});

describe("the log copy", () => {
  it("writes each entry as a structured log line marked audit", async () => {
    const { lines, logger } = logCapture();
    await makeAuditRecorder(redis, queueName, { logger }).record(entry());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      audit: true,
      tenantId: "acme",
      auth0UserId: "samlp|acme-entra|ada",
      sureCloudUserId: "usr_1",
      cause: { eventId: "evt_1" },
      msg: "audit: - Read Only",
    });
  });

  it("does not fail the caller when Redis cannot be written; the log line stays and the loss is logged", async () => {
    const { lines, logger } = logCapture();
    const down = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    down.on("error", () => undefined);
    await expect(makeAuditRecorder(down, queueName, { logger }).record(entry())).resolves.toBeUndefined();
    expect(lines.map((line) => line.level)).toEqual(["info", "error"]);
    expect(lines[1]?.msg).toMatch(/not stored in Redis/);
    down.disconnect();
  });
});
