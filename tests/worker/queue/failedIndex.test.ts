// The per-user index of failed jobs (worker/queue/failedIndex.ts) on real Redis: an applied change
// hands back exactly the user's failures older than it (by version, then event time), never a newer
// one; a failure noted after a newer change already applied is reported superseded at once.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeEach, expect, it } from "vitest";
import { deleteKeys } from "../../../dev/deleteKeys.js";
import { makeFailedIndex } from "../../../worker/queue/failedIndex.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
let queueName: string;
afterAll(async () => {
  await deleteKeys(redis, `${syncStatePrefix(queueName)}:`);
  await redis.quit();
});
beforeEach(async () => {
  if (queueName) await deleteKeys(redis, `${syncStatePrefix(queueName)}:`);
  queueName = `test-${randomUUID()}`;
});

const T = Date.parse("2026-11-03T09:00:00.000Z");
const at = (versionMs: number, eventMs = versionMs) => ({ versionMs, eventMs });
const applied = (jobId: string, versionMs: number, eventMs = versionMs) => ({
  jobId,
  eventId: `evt_${jobId}`,
  version: new Date(versionMs).toISOString(),
  ...at(versionMs, eventMs),
});

it("an applied change takes the user's older failures, not newer ones nor another user's", async () => {
  const index = makeFailedIndex(redis, queueName);
  expect(await index.noteFailed("acme", "ivy", "old-1", at(T))).toBeUndefined();
  expect(await index.noteFailed("acme", "ivy", "old-2", at(T + 1000))).toBeUndefined();
  expect(await index.noteFailed("acme", "ivy", "newer", at(T + 5000))).toBeUndefined();
  expect(await index.noteFailed("acme", "olga", "other-user", at(T))).toBeUndefined();
  expect(await index.noteFailed("beta", "ivy", "other-tenant", at(T))).toBeUndefined();

  expect((await index.noteApplied("acme", "ivy", applied("apply-1", T + 2000))).sort()).toEqual([
    "old-1",
    "old-2",
  ]);
  // Handed back once: a second change finds them gone from the index.
  expect(await index.noteApplied("acme", "ivy", applied("apply-2", T + 3000))).toEqual([]);
  expect(await index.noteApplied("acme", "ivy", applied("newer", T + 5000))).toEqual([]);
  expect(await index.noteApplied("acme", "olga", applied("apply-3", T + 9000))).toEqual(["other-user"]);
});

it("at one version, the event time decides; the same instant supersedes nothing", async () => {
  const index = makeFailedIndex(redis, queueName);
  await index.noteFailed("acme", "ivy", "earlier-event", at(T, T - 10));
  await index.noteFailed("acme", "ivy", "same-instant", at(T, T));
  expect(await index.noteApplied("acme", "ivy", applied("apply", T, T))).toEqual(["earlier-event"]);
});

it("a failure noted after a newer change applied is superseded at once, an older change does not count", async () => {
  const index = makeFailedIndex(redis, queueName);
  await index.noteApplied("acme", "ivy", applied("newest", T + 5000));
  await index.noteApplied("acme", "ivy", applied("older-late", T + 1000));
  expect(await index.noteFailed("acme", "ivy", "raced", at(T + 2000))).toMatchObject({
    jobId: "newest",
    eventId: "evt_newest",
  });
  expect(await index.noteFailed("acme", "ivy", "after", at(T + 6000))).toBeUndefined();
  expect(await index.noteApplied("acme", "ivy", applied("apply", T + 7000))).toEqual(["after"]);
});
