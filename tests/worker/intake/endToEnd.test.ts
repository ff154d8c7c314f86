// The second way in, end to end: an Auth0 webhook delivery posted to the intake of a worker process
// started as operators start it (`node dist/worker/main.js` with INTAKE_PORT and INTAKE_TOKEN) is
// stored on real Redis, applied to the SureCloud emulator, and counted in the worker's /metrics.
import { afterAll, beforeAll, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { freePort } from "../../../dev/freePort.js";
import { makeUserEvent } from "../../fixtures/auth0Events.js";
import { type Pipeline, startPipeline } from "../../helpers/pipeline.js";
import { INTAKE_TOKEN } from "./intakeHarness.js";

let pipeline: Pipeline;
let intakeUrl: string;
let metricsUrl: string;

beforeAll(async () => {
  const [intakePort, httpPort] = [await freePort(), await freePort()];
  pipeline = await startPipeline({ workers: 0 });
  await pipeline.startWorker({
    INTAKE_PORT: String(intakePort),
    INTAKE_TOKEN,
    INTAKE_CONNECTIONS: "acme-entra",
    HTTP_PORT: String(httpPort),
  });
  intakeUrl = `http://127.0.0.1:${intakePort}/events`;
  metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
});
afterAll(async () => {
  // Also deletes the worker's own keys (versions, locks, audit) beside the queue.
  await pipeline?.stop();
});

function deliver(message: unknown, token = INTAKE_TOKEN) {
  return fetch(intakeUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(message),
  });
}

it("applies a delivered event to SureCloud: the user is created with the directive's groups", async () => {
  const userId = "samlp|acme-entra|intake-joiner";
  const event = makeUserEvent({
    userId,
    email: "ida.intake@acme.example",
    givenName: "Ida",
    familyName: "Intake",
    userType: `${groups.breachReporter.id}, ${groups.readOnly.id}`,
  });

  const response = await deliver(event);
  expect(response.status).toBe(202);

  const result = await pipeline.result(event.id);
  expect(result.state).toBe("completed");
  expect(result.outcome).toMatchObject({ outcome: "applied", created: true });
  const user = pipeline.emulator.state("acme").users.find((candidate) => candidate.externalId === userId);
  expect(user).toMatchObject({ email: "ida.intake@acme.example", status: "ACTIVE" });
  expect(user?.groups.map((group) => group.id).sort()).toEqual(
    [groups.breachReporter.id, groups.readOnly.id].sort(),
  );
});

it("counts requests by outcome in /metrics, and never logs the token", async () => {
  expect((await deliver(makeUserEvent(), "wrong-token")).status).toBe(401);
  expect((await deliver(makeUserEvent({ connection: "beta-entra" }))).status).toBe(200);

  const metrics = await (await fetch(metricsUrl)).text();
  expect(metrics).toMatch(/^group_sync_intake_requests_total\{outcome="queued"\} 1$/m);
  expect(metrics).toMatch(/^group_sync_intake_requests_total\{outcome="unauthorized"\} 1$/m);
  expect(metrics).toMatch(/^group_sync_intake_requests_total\{outcome="ignored"\} 1$/m);
  expect(metrics).toMatch(/^group_sync_intake_requests_total\{outcome="unavailable"\} 0$/m);
  expect(pipeline.output()).not.toContain(INTAKE_TOKEN);
  expect(pipeline.logs).toContainEqual(
    expect.objectContaining({ msg: "worker started", intakePort: expect.any(Number) }),
  );
});
