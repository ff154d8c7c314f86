// The pipeline on a Sentinel group (one master, one replica, one sentinel), named only by the
// sentinel and the group's name: the sentinel promotes the replica while two workers are applying
// a batch, and every job still completes, each user synced exactly once.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RedisSettings } from "../../shared/redisSettings.js";
import { expectAllSynced, fastWorkerEnv, makeBatch, waitFor } from "../faults/scenario.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { type PrivateSentinelGroup, startPrivateSentinelGroup } from "./privateTopology.js";

let group: PrivateSentinelGroup;
let stack: Pipeline;

beforeAll(async () => {
  group = await startPrivateSentinelGroup();
  const redis: RedisSettings = {
    mode: "sentinel",
    masterName: group.masterName,
    sentinels: group.sentinels,
    sentinelUsername: undefined,
    sentinelPassword: undefined,
    username: undefined,
    password: undefined,
    tls: false,
  };
  // A slow tenant keeps the batch running for a few seconds, so the failover lands mid-run.
  stack = await startPipeline({
    redis,
    workers: 2,
    workerEnv: fastWorkerEnv,
    tenants: [{ id: "acme", connection: "acme-entra", requestsPerSecond: 6 }],
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await group?.destroy();
});

it("loses no job when the sentinel fails the master over during a run", async () => {
  const users = makeBatch("sentinel", 12);
  for (const user of users) await stack.send(user.event);
  const before = await group.masterPort();
  // Some users applied, most still to come.
  await waitFor("the first users applied", () => stack.emulator.state("acme").users.length >= 2, 30_000);
  const after = await group.failover();
  expect(after).not.toBe(before);
  // The failover landed mid-run: users were still to be applied after it.
  expect(stack.emulator.state("acme").users.length).toBeLessThan(users.length);
  await expectAllSynced(stack, users, "acme", 60_000);
  expect(stack.output()).not.toMatch(/worker error/);
}, 120_000);
