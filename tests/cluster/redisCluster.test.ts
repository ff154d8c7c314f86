// The whole pipeline on a real Redis Cluster of three masters: the built Action enqueues, two built
// workers apply jobs for users whose keys sit on different masters, and what holds on one node holds
// here too: one job a user at a time, the newest version wins (an older event after it is stale), the
// tenant's shared rate limit, and an audit entry for every change with no intent left behind. No
// command the cluster refuses is sent (a CROSSSLOT would show as a failed job or a logged error).
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanKeys } from "../../shared/redisScan.js";
import type { RedisSettings } from "../../shared/redisSettings.js";
import { queryAuditTrail } from "../../toolbox/audit/auditQuery.js";
import { auditIntentKey, syncStatePrefix } from "../../worker/redisKeys.js";
import { makeUserVersions } from "../../worker/sync/userVersions.js";
import { fastWorkerEnv } from "../faults/scenario.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { groupFor, shuffle, versionedUserEvents } from "../helpers/versionedEvents.js";
import { type PrivateCluster, startPrivateCluster } from "./privateTopology.js";

/** The cluster is the test's own, so a fixed queue name keeps the users' slots the same every run. */
const QUEUE = "cluster-test";
const RATE = 8;
const USERS = 4;
const VERSIONS = 3;

let cluster: PrivateCluster;
let admin: Cluster;
let stack: Pipeline;
const { userIds, events } = versionedUserEvents({
  name: "cluster",
  users: USERS,
  versions: VERSIONS,
  start: "2026-03-01T10:00:00.000Z",
});

beforeAll(async () => {
  cluster = await startPrivateCluster();
  admin = new Cluster(cluster.nodes);
  const redis: RedisSettings = {
    mode: "cluster",
    nodes: cluster.nodes,
    username: undefined,
    password: undefined,
    tls: false,
  };
  stack = await startPipeline({
    redis,
    queueName: QUEUE,
    workers: 2,
    workerEnv: fastWorkerEnv,
    tenants: [{ id: "acme", connection: "acme-entra", requestsPerSecond: RATE }],
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  admin?.disconnect();
  await cluster?.destroy();
});

/** The port of the master that holds `key`'s slot. */
async function masterOf(key: string): Promise<number> {
  const slot = (await admin.call("CLUSTER", "KEYSLOT", key)) as number;
  const ranges = (await admin.call("CLUSTER", "SLOTS")) as Array<[number, number, [string, number]]>;
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no master holds slot ${slot}`);
  return range[2][1];
}

const versionKey = (userId: string) => `${syncStatePrefix(QUEUE)}:version:acme:${userId}`;

describe("on a Redis Cluster of three masters", () => {
  it("applies every user's newest version through the Action and two workers, keys spread over the masters", async () => {
    const masters = new Set(await Promise.all(userIds.map((userId) => masterOf(versionKey(userId)))));
    expect(masters.size, "the users' keys should sit on more than one master").toBeGreaterThan(1);

    // Every version of every user at once, out of order: both workers take jobs of the same users.
    for (const event of shuffle(events, 13)) await stack.send(event);
    const results = await Promise.all(events.map((event) => stack.result(event.id, 60_000)));
    expect(
      results.filter((result) => result.state !== "completed"),
      stack.output().slice(-3000),
    ).toEqual([]);

    const state = stack.emulator.state("acme");
    for (const [index, userId] of userIds.entries()) {
      const stored = state.users.filter((user) => user.externalId === userId);
      expect(stored, userId).toHaveLength(1);
      expect(stored[0]?.givenName).toBe(`Version${VERSIONS - 1}`);
      expect(stored[0]?.groups.map((group) => group.id)).toEqual([groupFor(index, VERSIONS - 1)?.id]);
    }
    // The user lock held: no user was created twice by two workers at once.
    expect(stack.emulator.requests({ tenant: "acme", operation: "createUser" })).toHaveLength(USERS);
  });

  it("skips an older event delivered after the newest as stale", async () => {
    const older = events[1];
    if (!older) throw new Error("no event");
    // A redelivery of the same event would be a duplicate; a new event id with the old version is stale.
    await stack.send({ ...older, id: `${older.id}-again` });
    const result = await stack.result(`${older.id}-again`, 30_000);
    expect(result.outcome).toMatchObject({ outcome: "skipped", reason: "stale" });
    expect(stack.emulator.state("acme").users.find((user) => user.externalId === userIds[0])?.givenName).toBe(
      `Version${VERSIONS - 1}`,
    );
  });

  it("kept the tenant's shared rate limit across both workers", () => {
    const times = stack.emulator
      .requests({ tenant: "acme" })
      .map((request) => Date.parse(request.time))
      .sort((a, b) => a - b);
    const busiest = Math.max(
      ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length),
    );
    // One more per worker is the documented first-second allowance (worker/surecloud/sharedRateGate.ts).
    expect(busiest).toBeLessThanOrEqual(RATE + 2);
    const output = stack.output();
    expect(output).not.toContain("rate limit shared with other workers is unavailable");
    expect(output).not.toMatch(/CROSSSLOT|worker error|audit entry not stored/);
  });

  it("wrote an audit entry for every change, left no intent, and finds every synced user node by node", async () => {
    for (const userId of userIds) {
      const entries = await queryAuditTrail(admin, QUEUE, { user: userId });
      expect(entries.length, userId).toBeGreaterThan(0);
      // The intent shares the audit stream's slot, so the MULTI that settles it could run.
      expect(await masterOf(auditIntentKey(QUEUE, "acme", userId))).toBe(
        await masterOf(`${syncStatePrefix(QUEUE)}:audit`),
      );
    }
    expect(await scanKeys(admin, `${syncStatePrefix(QUEUE)}:intent:*`)).toEqual([]);
    const synced = await makeUserVersions(admin, syncStatePrefix(QUEUE)).syncedUsers("acme");
    expect(synced).toEqual([...userIds].sort());
    // BullMQ's keys carry the cluster prefix's hash tag; none sit under the single-node prefix.
    expect((await scanKeys(admin, `{bull}:${QUEUE}:*`)).length).toBeGreaterThan(0);
    expect(await scanKeys(admin, `bull:${QUEUE}:*`)).toEqual([]);
  });
});
