// The intake's bearer authentication, over HTTP on real Redis: no token, a wrong token and a token
// of the right length that is still wrong are all 401, and none of them queues anything.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeUserEvent } from "../../fixtures/auth0Events.js";
import { INTAKE_TOKEN, type IntakeHarness, startIntakeHarness } from "./intakeHarness.js";

let intake: IntakeHarness;
beforeEach(async () => {
  intake = await startIntakeHarness();
});
afterEach(async () => {
  await intake.stop();
});

/** The same length as the real token, one character different. */
const sameLengthWrongToken = `${INTAKE_TOKEN.slice(0, -1)}b`;

describe("the intake refuses a delivery without the right bearer token", () => {
  it.each([
    ["no Authorization header", null, "no bearer token"],
    ["another scheme", `Basic ${Buffer.from(`auth0:${INTAKE_TOKEN}`).toString("base64")}`, "no bearer token"],
    ["a wrong token", "Bearer not-the-token", "wrong bearer token"],
    ["a token of the right length that is wrong", `Bearer ${sameLengthWrongToken}`, "wrong bearer token"],
    ["the token with something after it", `Bearer ${INTAKE_TOKEN}x`, "wrong bearer token"],
  ])("%s: 401, nothing queued, the reason logged without the token", async (_case, authorization, reason) => {
    expect(sameLengthWrongToken).toHaveLength(INTAKE_TOKEN.length);
    const response = await intake.post(makeUserEvent(), { authorization });

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: "unauthorized" });
    expect(await intake.jobCount()).toBe(0);
    expect(await intake.requests("unauthorized")).toBe(1);
    expect(intake.logs).toContainEqual(expect.objectContaining({ outcome: "unauthorized", reason }));
    expect(JSON.stringify(intake.logs)).not.toContain(INTAKE_TOKEN.slice(4));
  });

  it("checks the token before the route, so a caller without it learns nothing about the paths", async () => {
    const response = await intake.post({}, { authorization: null, path: "/anything" });
    expect(response.status).toBe(401);
  });

  it("takes the scheme in any letter case, as HTTP allows", async () => {
    const response = await intake.post(makeUserEvent(), { authorization: `bearer ${INTAKE_TOKEN}` });
    expect(response.status).toBe(202);
    expect(await intake.jobCount()).toBe(1);
  });

  it("answers 404 and 405 to an authenticated caller off the route", async () => {
    expect((await intake.post({}, { path: "/other" })).status).toBe(404);
    const wrongMethod = await fetch(`${intake.url}/events`, {
      headers: { authorization: `Bearer ${INTAKE_TOKEN}` },
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await intake.jobCount()).toBe(0);
  });
});
