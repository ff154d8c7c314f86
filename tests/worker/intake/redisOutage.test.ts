// Redis away: the intake answers 503 at once (so Auth0 retries the delivery), never hangs, and stores
// the job as soon as Redis is back. Runs against a private redis-server: the shared one is never stopped.
import { afterEach, expect, it } from "vitest";
import { jobIdFor } from "../../../shared/job.js";
import { workerDefaults } from "../../../worker/defaults.js";
import { makePrivateRedis, type PrivateRedis } from "../../faults/privateRedis.js";
import { makeUserEvent } from "../../fixtures/auth0Events.js";
import { type IntakeHarness, startIntakeHarness } from "./intakeHarness.js";

let redis: PrivateRedis | undefined;
let intake: IntakeHarness | undefined;
afterEach(async () => {
  await redis?.start();
  await intake?.stop();
  await redis?.destroy();
  redis = undefined;
  intake = undefined;
});

/** Answers well inside the store timeout: a Redis that is away fails the request, it does not park it. */
const FAST_MS = workerDefaults.INTAKE_STORE_TIMEOUT_MS + 500;

/** What Auth0 does with a 5xx: it delivers again (here until the intake stores the job). */
async function redeliverUntilStored(running: IntakeHarness, event: unknown): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { status } = await running.post(event);
    if (status !== 503 || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("Redis stopped mid-run: 503 at once with nothing stored, then 202 once it is back", async () => {
  // Persistent, as production Redis is: the job stored before the outage is still there after it.
  redis = await makePrivateRedis({ persist: true });
  intake = await startIntakeHarness({ redisUrl: redis.url });
  const running = intake;
  expect((await running.post(makeUserEvent())).status).toBe(202);

  await redis.stop();
  const event = makeUserEvent();
  const started = Date.now();
  const refused = await running.post(event);
  expect(refused).toEqual({ status: 503, body: { error: "the job could not be stored; Auth0 retries" } });
  expect(Date.now() - started).toBeLessThan(FAST_MS);
  expect(await running.requests("unavailable")).toBe(1);
  const line = running.logs.find((entry) => entry.outcome === "unavailable");
  expect(line).toMatchObject({ status: 503, eventId: event.id });
  expect(String(line?.reason)).toMatch(/^Redis: /);
  // Reported once per outage, however many reconnects fail.
  const reports = () => running.logs.filter((entry) => entry.msg === "intake: redis connection error");
  await expect.poll(() => reports().length).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(reports()).toHaveLength(1);

  await redis.start();
  expect(await redeliverUntilStored(running, event)).toBe(202);
  expect(await running.queue.getJobState(jobIdFor("event", event.id))).toBe("waiting");
  expect(await running.jobCount()).toBe(2);
});

it("Redis away when the intake starts: 503 within the store timeout, then 202 once it answers", async () => {
  redis = await makePrivateRedis();
  await redis.stop();
  intake = await startIntakeHarness({ redisUrl: redis.url });
  const running = intake;
  const event = makeUserEvent();

  const started = Date.now();
  expect((await running.post(event)).status).toBe(503);
  expect(Date.now() - started).toBeLessThan(FAST_MS);

  await redis.start();
  expect(await redeliverUntilStored(running, event)).toBe(202);
  expect(await running.jobCount()).toBe(1);
});
