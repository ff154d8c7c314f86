// Auth0 delivers at least once and in any order, and operators scale out: every event delivered
// twice, shuffled, to three worker processes on one queue still leaves each user in its newest
// state, created once, with no event applied twice.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { groupFor, shuffle, versionedUserEvents } from "../helpers/versionedEvents.js";
import { fastWorkerEnv } from "./scenario.js";

let stack: Pipeline;
beforeAll(async () => {
  stack = await startPipeline({ workers: 3, workerEnv: fastWorkerEnv });
  // Latency widens every window in which two workers could interleave on one user.
  stack.emulator.setFaults({ latencyMs: 10 });
});
afterAll(async () => {
  await stack?.stop();
});

it("every event twice, shuffled, across three workers: newest state, one account each, nothing twice", async () => {
  const versions = 4;
  const { userIds: users, events } = versionedUserEvents({
    name: "twice",
    users: 8,
    versions,
    start: "2026-11-03T09:00:00.000Z",
  });
  const deliveries = shuffle([...events, ...events], 11);
  for (const message of deliveries) await stack.send(message);
  const results = await Promise.all(events.map((message) => stack.result(message.id, 20_000)));

  expect(results.filter((result) => result.state !== "completed")).toEqual([]);
  const state = stack.emulator.state("acme");
  expect(state.users).toHaveLength(users.length);
  users.forEach((userId, userIndex) => {
    const [user, ...others] = state.users.filter((stored) => stored.externalId === userId);
    expect(others).toEqual([]);
    expect(user?.givenName).toBe(`Version${versions - 1}`);
    const newest = groupFor(userIndex, versions - 1);
    expect(user?.groups.map((group) => group.id)).toEqual([newest?.id]);
  });
  expect(stack.emulator.requests({ operation: "createUser" })).toHaveLength(users.length);
  // Each event was applied at most once, whichever process ran it.
  const applied = stack.logs.filter((line) => line.outcome === "applied").map((line) => line.eventId);
  expect(new Set(applied).size).toBe(applied.length);
  // All three processes took part.
  const pids = new Set(stack.logs.filter((line) => line.outcome).map((line) => line.pid));
  expect(pids.size).toBe(3);
});
