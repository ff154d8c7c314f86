// SureCloud misbehaving: 500s and bursts of 429 are retried with backoff until every user is right,
// a 429's Retry-After holds back the whole tenant (and only that tenant), and a tenant's
// requestsPerSecond caps what the worker sends it.
import { afterEach, expect, it } from "vitest";
import type { LoggedRequest } from "../../dev/surecloud-emulator/requestLog.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import {
  type BatchUser,
  expectAllSynced,
  fastWorkerEnv,
  makeBatch,
  waitFor,
  waitForEndedAttempt,
} from "./scenario.js";

let stack: Pipeline | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const at = (request: LoggedRequest) => Date.parse(request.time);

it("30% of answers are 500 and two bursts of 429: every user ends correct, nothing applied twice", async () => {
  stack = await startPipeline({ workers: 2, workerEnv: fastWorkerEnv });
  const running = stack;
  const users = makeBatch("flaky", 16);
  // Each phase of the incident lasts until SureCloud has answered enough requests, not for a fixed
  // time: a slow machine makes it longer, never thinner. Seed 42 answers 11 of the first 30 with 500.
  running.emulator.setFaults({ errorRate: 0.3, seed: 42 });
  await Promise.all(users.map((user) => running.send(user.event)));
  await waitFor("30 answers with 500s among them", () => running.emulator.faults().seen >= 30, 20_000);
  for (const seed of [7, 9]) {
    running.emulator.setFaults({ errorRate: 0.3, seed, throttle: { count: 3, retryAfterSeconds: 1 } });
    await waitFor("a burst of three 429s", () => running.emulator.faults().throttle === null, 20_000);
  }
  // The incident takes a few seconds. Retries start at 50 ms (25 with the jitter) and double, so a job
  // needs over 50 s to use its 12 attempts: each must finish once SureCloud heals.
  running.emulator.setFaults({});

  await expectAllSynced(running, users);
  const faults = running.emulator.requests({ tenant: "acme" }).map((request) => request.fault);
  expect(faults.filter((fault) => fault === "throttle")).toHaveLength(6);
  expect(faults.filter((fault) => fault === "error").length).toBeGreaterThanOrEqual(11);
});

/** How long the 429s below ask the worker to wait. */
const RETRY_AFTER_S = 3;

it("a 429's Retry-After holds back every request to that tenant until it ends, and no other tenant", async () => {
  stack = await startPipeline({ workers: 1, workerEnv: fastWorkerEnv });
  const running = stack;
  running.emulator.setFaults({ throttle: { count: 1, retryAfterSeconds: RETRY_AFTER_S } });
  const [first, ...others] = makeBatch("paused", 6) as [BatchUser, ...BatchUser[]];
  // One job meets the 429 alone, so no other request of the tenant is on the wire when it comes back;
  // the rest are sent once the worker has ended that attempt, by when it has paused the tenant.
  await running.send(first.event);
  await waitForEndedAttempt(running, first.event.id);
  const [throttled, ...more] = running.emulator.requests({ tenant: "acme" });
  expect(throttled?.status).toBe(429);
  expect(more).toEqual([]);
  const beta = makeBatch("unpaused", 4, "beta-entra");
  await Promise.all([...beta, ...others].map((user) => running.send(user.event)));

  await expectAllSynced(running, [first, ...others]);
  await expectAllSynced(running, beta, "beta");
  // Every instant below is the emulator's own arrival stamp, so all are read on one clock. The pause
  // starts when the worker reads the 429, which is after it arrived; a request the gate lets through
  // after the pause is sent after that. So none can arrive before the 429's arrival + Retry-After,
  // however slow the machine.
  const pauseEnds = at(throttled as LoggedRequest) + RETRY_AFTER_S * 1000;
  const acmeLater = running.emulator.requests({ tenant: "acme" }).filter((r) => r.seq !== throttled?.seq);
  expect(acmeLater.length).toBeGreaterThan(0);
  expect(acmeLater.filter((request) => at(request) < pauseEnds)).toEqual([]);
  // Beta was sent during acme's pause and had most of it to get a request through: its gate is its own.
  expect(
    running.emulator.requests({ tenant: "beta" }).filter((r) => at(r) < pauseEnds).length,
  ).toBeGreaterThan(0);
});

it("a tenant limited to 10 requests per second never gets more, while another tenant is not slowed", async () => {
  const perSecond = 10;
  stack = await startPipeline({
    workers: 1,
    workerEnv: fastWorkerEnv,
    tenants: [
      { id: "acme", connection: "acme-entra", requestsPerSecond: perSecond },
      { id: "beta", connection: "beta-entra" },
    ],
  });
  const running = stack;
  const acme = makeBatch("limited", 8);
  const beta = makeBatch("unlimited", 8, "beta-entra");
  // Before any event exists, so before the worker can ask acme's gate for its first slot.
  const sentAt = Date.now();
  await Promise.all([...acme, ...beta].map((user) => running.send(user.event)));
  await expectAllSynced(running, beta, "beta");
  await expectAllSynced(running, acme);

  const interval = 1000 / perSecond;
  const times = (tenant: string) =>
    running.emulator
      .requests({ tenant })
      .map(at)
      .sort((a, b) => a - b);
  const acmeTimes = times("acme");
  // At least a create and a grant per user (expectAllSynced counted both): enough to see a limit.
  expect(acmeTimes.length).toBeGreaterThanOrEqual(2 * acme.length);
  // What the gate guarantees: its k-th slot (from 0) is at least k intervals after its first, which
  // is after sentAt, and a request arrives after its slot. So, on any machine, the k-th arrival is
  // no earlier than sentAt + k intervals; one interval is left for timer and clock granularity.
  // (A busy machine can only delay requests, and then send the held ones close together: a count
  // per sliding second of arrivals is not something the gate can promise, so it is not checked.)
  expect(acmeTimes.filter((time, k) => time - sentAt < (k - 1) * interval)).toEqual([]);
  // Beta has a gate of its own: two of its requests came closer together than acme's gate would
  // ever let through. Half an interval (50 ms) is an age for one request on a busy machine, and a
  // gate shared with acme would keep them a whole interval apart.
  const betaTimes = times("beta");
  const closest = Math.min(...betaTimes.slice(1).map((time, k) => time - (betaTimes[k] ?? 0)));
  expect(closest).toBeLessThan(interval / 2);
});
