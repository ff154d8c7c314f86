// Two worker processes on one queue never race on a user (rule 2): many events for a few users,
// shuffled and delivered twice, end with each user once in SureCloud in its newest state.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { groupFor, shuffle, versionedUserEvents } from "../helpers/versionedEvents.js";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ workers: 2, workerEnv: { WORKER_CONCURRENCY: "8" } });
  // Latency widens every window in which two jobs for one user could interleave.
  pipeline.emulator.setFaults({ latencyMs: 15 });
});
afterAll(async () => {
  await pipeline?.stop();
});

it("two workers, 6 users x 8 versions, shuffled and duplicated: one SureCloud user each, newest state", async () => {
  const { userIds: users, events } = versionedUserEvents({
    name: "racer",
    users: 6,
    versions: 8,
    start: "2026-11-02T08:00:00.000Z",
  });
  const deliveries = shuffle([...events, ...events], 7);
  await Promise.all(deliveries.map((message) => pipeline.send(message)));
  const results = await Promise.all(events.map((message) => pipeline.result(message.id, 30_000)));

  expect(results.filter((result) => result.state !== "completed")).toEqual([]);
  const state = pipeline.emulator.state("acme");
  users.forEach((userId, userIndex) => {
    const matches = state.users.filter((user) => user.externalId === userId);
    expect(matches).toHaveLength(1);
    expect(matches[0]?.givenName).toBe("Version7");
    const newest = groupFor(userIndex, 7);
    expect(matches[0]?.groups.map((group) => group.id)).toEqual([newest?.id]);
  });
  expect(state.users).toHaveLength(users.length);
  // Both processes took part.
  const pids = new Set(pipeline.logs.filter((line) => line.outcome === "applied").map((line) => line.pid));
  expect(pids.size).toBe(2);
});
