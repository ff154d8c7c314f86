// SureCloud misbehaving: 500s and bursts of 429 are retried with backoff until every user is right,
// a 429's Retry-After holds back the whole tenant (and only that tenant), and a tenant's
// requestsPerSecond caps what the worker sends it.
import { afterEach, expect, it } from "vitest";
import type { LoggedRequest } from "../../dev/surecloud-emulator/requestLog.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { expectAllSynced, fastWorkerEnv, makeBatch, waitFor } from "./scenario.js";

let stack: Pipeline | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const at = (request: LoggedRequest) => Date.parse(request.time);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("30% of answers are 500 and two bursts of 429: every user ends correct, nothing applied twice", async () => {
  stack = await startPipeline({ workers: 2, workerEnv: fastWorkerEnv });
  const running = stack;
  const users = makeBatch("flaky", 16);
  running.emulator.setFaults({ errorRate: 0.3, seed: 42 });
  await Promise.all(users.map((user) => running.send(user.event)));
  await sleep(700);
  running.emulator.setFaults({ errorRate: 0.3, seed: 7, throttle: { count: 3, retryAfterSeconds: 1 } });
  await sleep(1_200);
  running.emulator.setFaults({ errorRate: 0.3, seed: 9, throttle: { count: 3, retryAfterSeconds: 1 } });
  // The incident lasts 3 s. Retries start at 50 ms (25 with the jitter) and double, so no job can
  // start more than 10 of its 12 attempts in that time: each must finish once SureCloud heals.
  await sleep(1_100);
  running.emulator.setFaults({});

  await expectAllSynced(running, users);
  const faults = running.emulator.requests({ tenant: "acme" }).map((request) => request.fault);
  // Each burst is cut short when SureCloud heals, but both bit: up to 3 + 3 answers were 429.
  expect(faults.filter((fault) => fault === "throttle").length).toBeGreaterThanOrEqual(4);
  expect(faults.filter((fault) => fault === "error").length).toBeGreaterThanOrEqual(10);
});

it("a 429 with Retry-After: 1 holds back every request to that tenant for a second, not to others", async () => {
  stack = await startPipeline({ workers: 1, workerEnv: fastWorkerEnv });
  const running = stack;
  running.emulator.setFaults({ throttle: { count: 1, retryAfterSeconds: 1 } });
  const acme = makeBatch("paused", 6);
  await Promise.all(acme.map((user) => running.send(user.event)));
  await waitFor("the 429", () => running.emulator.requests({ tenant: "acme" }).length > 0);
  const throttled = running.emulator.requests({ tenant: "acme" })[0];
  expect(throttled?.status).toBe(429);
  const beta = makeBatch("unpaused", 4, "beta-entra");
  await sleep(200);
  await Promise.all(beta.map((user) => running.send(user.event)));

  await expectAllSynced(running, acme);
  await expectAllSynced(running, beta, "beta");
  const throttledAt = at(throttled as LoggedRequest);
  // Requests already on the wire when the 429 came back may land just after it; none may start later.
  const duringPause = (tenant: string) =>
    running.emulator
      .requests({ tenant })
      .filter((request) => at(request) > throttledAt + 50 && at(request) < throttledAt + 950);
  expect(duringPause("acme")).toEqual([]);
  expect(duringPause("beta").length).toBeGreaterThan(0);
  const resumed = running.emulator.requests({ tenant: "acme" }).find((r) => at(r) > throttledAt + 50);
  expect(at(resumed as LoggedRequest) - throttledAt).toBeGreaterThanOrEqual(950);
});

it("a tenant limited to 20 requests per second never gets more, while another tenant is not slowed", async () => {
  stack = await startPipeline({
    workers: 1,
    workerEnv: fastWorkerEnv,
    tenants: [
      { id: "acme", connection: "acme-entra", requestsPerSecond: 20 },
      { id: "beta", connection: "beta-entra" },
    ],
  });
  const running = stack;
  const acme = makeBatch("limited", 8);
  const beta = makeBatch("unlimited", 8, "beta-entra");
  await Promise.all([...acme, ...beta].map((user) => running.send(user.event)));
  await expectAllSynced(running, beta, "beta");
  await expectAllSynced(running, acme);

  const times = running.emulator.requests({ tenant: "acme" }).map(at);
  // About 40 requests at 20 per second: no second-long window may hold more than 20 (+1 for its edge).
  expect(times.length).toBeGreaterThanOrEqual(30);
  const busiest = Math.max(
    ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length),
  );
  expect(busiest).toBeLessThanOrEqual(21);
  expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(((times.length - 1) * 1000) / 20 - 50);
  // Beta was done before acme, held to its limit, had sent half of its requests.
  const betaLast = Math.max(...running.emulator.requests({ tenant: "beta" }).map(at));
  expect(betaLast).toBeLessThan(times[Math.floor(times.length / 2)] ?? 0);
});
