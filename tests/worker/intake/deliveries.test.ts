// What the intake does with a delivery it may read, over HTTP on real Redis: a user event becomes
// the job the Action would queue, a redelivery stays one job, and what it can never handle (too
// large, not JSON, not a user CloudEvent) is refused with a 4xx, so Auth0 does not retry it, and logged.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { eventToJob } from "../../../shared/eventToJob.js";
import { jobIdFor } from "../../../shared/job.js";
import { syncJobOptions } from "../../../shared/jobOptions.js";
import { workerDefaults } from "../../../worker/defaults.js";
import { makeUserEvent } from "../../fixtures/auth0Events.js";
import { INTAKE_TOKEN, type IntakeHarness, startIntakeHarness } from "./intakeHarness.js";

let intake: IntakeHarness;
beforeEach(async () => {
  intake = await startIntakeHarness({ connections: "acme-entra, beta-entra" });
});
afterEach(async () => {
  await intake.stop();
});

describe("a user event", () => {
  it("is answered 202 once its job is stored, the same job the Action would queue", async () => {
    const event = makeUserEvent({ userType: groups.readOnly.id });
    const response = await intake.post(event);

    const jobId = jobIdFor("event", event.id);
    expect(response).toEqual({ status: 202, body: { status: "queued", jobId } });
    const job = await intake.queue.getJob(jobId);
    const expected = eventToJob(event);
    expect(expected.kind).toBe("job");
    expect(job?.data).toEqual(expected.kind === "job" ? expected.job : undefined);
    expect(job?.name).toBe("user.created");
    expect(job?.opts.attempts).toBe(syncJobOptions.attempts);
    expect(await intake.requests("queued")).toBe(1);
  });

  it("delivered twice (Auth0 delivers at least once) stays one job", async () => {
    const event = makeUserEvent({ userType: "IGNORE" });
    const first = await intake.post(event);
    const second = await intake.post(event);

    expect(first.status).toBe(202);
    expect(second).toEqual(first);
    expect(await intake.jobCount()).toBe(1);
    expect(await intake.requests("queued")).toBe(2);
  });

  it("of a connection outside INTAKE_CONNECTIONS is acknowledged (200) and not queued", async () => {
    const response = await intake.post(makeUserEvent({ connection: "someone-elses-connection" }));
    expect(response).toEqual({
      status: 200,
      body: { status: "ignored", reason: "connection someone-elses-connection is not in INTAKE_CONNECTIONS" },
    });
    expect(await intake.jobCount()).toBe(0);
  });

  it("sent by the stream's test button is acknowledged (200) and not queued", async () => {
    const response = await intake.post(makeUserEvent({ purpose: "test" }));
    expect(response).toEqual({ status: 200, body: { status: "ignored", reason: "test event" } });
    expect(await intake.jobCount()).toBe(0);
  });
});

describe("a delivery the intake can never handle gets a 4xx, is not queued, and is logged with why", () => {
  const limit = workerDefaults.INTAKE_MAX_BODY_BYTES;

  it("a body over the limit: 413, without reading it all", async () => {
    const event = makeUserEvent({ extra: { padding: "x".repeat(limit) } });
    const response = await intake.post(event);
    expect(response.status).toBe(413);
    expect(await intake.jobCount()).toBe(0);
    expect(await intake.requests("too-large")).toBe(1);
  });

  it("a body over the limit sent without a Content-Length (chunked): 413 at the limit", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit: the answer must come long before the body would end.
        if (sent >= 64) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${intake.url}/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(64);
    expect(await intake.jobCount()).toBe(0);
  });

  it("a body just under the limit is read", async () => {
    const event = makeUserEvent({ userType: "IGNORE", extra: { padding: "" } });
    const room = limit - Buffer.byteLength(JSON.stringify(event)) - 1;
    event.data.object = { ...event.data.object, padding: "x".repeat(room) };
    expect((await intake.post(event)).status).toBe(202);
  });

  it("not JSON: 400", async () => {
    const response = await intake.post('{"id": "evt_1", "type": ', { raw: true });
    expect(response).toEqual({ status: 400, body: { error: "the body is not JSON" } });
    expect(await intake.jobCount()).toBe(0);
    expect(intake.logs).toContainEqual(
      expect.objectContaining({ msg: "intake: delivery refused", outcome: "malformed" }),
    );
  });

  it.each([
    ["a JSON array", [makeUserEvent()], /message: /],
    ["a CloudEvent of another type", { ...makeUserEvent(), type: "organization.created" }, /type/],
    ["a user event without a user id", makeUserEventWithout("user_id"), /user_id/],
    ["a user event with no connection at all", makeUserEventWithout("identities"), /connection/],
  ])("%s: 422 naming what is wrong", async (_case, body, why) => {
    const response = await intake.post(body);
    expect(response.status).toBe(422);
    expect(String(response.body.error)).toMatch(why);
    expect(await intake.jobCount()).toBe(0);
    expect(await intake.requests("rejected")).toBe(1);
    const line = intake.logs.find((entry) => entry.outcome === "rejected");
    expect(line).toMatchObject({ level: "warn", status: 422 });
    expect(String(line?.reason)).toMatch(why);
  });
});

function makeUserEventWithout(field: "user_id" | "identities") {
  const event = makeUserEvent({ withoutContext: true });
  const { [field]: _dropped, ...object } = event.data.object as unknown as Record<string, unknown>;
  return { ...event, data: { ...event.data, object } };
}
