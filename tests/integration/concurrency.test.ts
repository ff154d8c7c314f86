// Two worker processes on one queue never race on a user (rule 2): many events for a few users,
// shuffled and delivered twice, end with each user once in SureCloud in its newest state.
import { afterAll, beforeAll, expect, it } from "vitest";
import { groups } from "../../dev/catalogue.js";
import { makeUserEvent } from "../fixtures/auth0Events.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ workers: 2, workerEnv: { WORKER_CONCURRENCY: "8" } });
  // Latency widens every window in which two jobs for one user could interleave.
  pipeline.emulator.setFaults({ latencyMs: 15 });
});
afterAll(async () => {
  await pipeline?.stop();
});

const choices = [groups.breachReporter, groups.readOnly, groups.riskManager, groups.vulnAdmin];

function shuffle<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

it("two workers, 6 users x 8 versions, shuffled and duplicated: one SureCloud user each, newest state", async () => {
  const users = Array.from({ length: 6 }, (_, index) => `samlp|acme-entra|racer-${index}`);
  const start = Date.parse("2026-11-02T08:00:00.000Z");
  const events = users.flatMap((userId, userIndex) =>
    Array.from({ length: 8 }, (_, version) => {
      const time = new Date(start + version * 1000).toISOString();
      return makeUserEvent({
        type: version === 0 ? "user.created" : "user.updated",
        userId,
        email: `racer-${userIndex}@acme.example`,
        givenName: `Version${version}`,
        time,
        updatedAt: time,
        userType: choices[(userIndex + version) % choices.length]?.id,
      });
    }),
  );
  const deliveries = shuffle([...events, ...events], 7);
  await Promise.all(deliveries.map((message) => pipeline.send(message)));
  const results = await Promise.all(events.map((message) => pipeline.result(message.id, 30_000)));

  expect(results.filter((result) => result.state !== "completed")).toEqual([]);
  const state = pipeline.emulator.state("acme");
  users.forEach((userId, userIndex) => {
    const matches = state.users.filter((user) => user.externalId === userId);
    expect(matches).toHaveLength(1);
    expect(matches[0]?.givenName).toBe("Version7");
    const newest = choices[(userIndex + 7) % choices.length];
    expect(matches[0]?.groups.map((group) => group.id)).toEqual([newest?.id]);
  });
  expect(state.users).toHaveLength(users.length);
  // Both processes took part.
  const pids = new Set(pipeline.logs.filter((line) => line.outcome === "applied").map((line) => line.pid));
  expect(pids.size).toBe(2);
});
