// The SureCloud HTTP client against a nock double of surecloud-api.yaml: each operation, paging and
// encoding, the failure classes a job relies on, the tenant pause on 429, and that the token never leaks.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { SureCloudUser } from "../../../contract/surecloud.js";
import { PermanentError, RetryableError } from "../../../shared/errors.js";
import { makeSureCloudClient, type SureCloudCall } from "../../../worker/surecloud/httpClient.js";
import { makeRateGate } from "../../../worker/surecloud/rateGate.js";
import { makeVirtualClock } from "../../helpers/virtualClock.js";

const origin = "https://acme.surecloud.example";
const baseUrl = `${origin}/api/v1`;
const token = "sc-test-token-7d1e4b2a";
const groupA = { id: "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41", name: "Privacy | Breach Reporter" };
const groupB = {
  id: "0b6f8d0e-5a51-4f0e-9a43-52a1c3b0c2aa",
  name: "Risk | Reviewer",
  description: "Reviews risks",
};
const groupC = { id: "f3a9a6f2-1b7e-4b0c-8f3e-2d4c5b6a7e8f", name: "Audit | Reader" };
const jo: SureCloudUser = {
  id: "u-100",
  externalId: "waad|abc",
  userName: "Jo+Sc@acme.example",
  email: "jo+sc@acme.example",
  givenName: "Jo",
  familyName: "Smith",
  displayName: "Jo Smith",
  status: "ACTIVE",
};

/** The SureCloud double; every interceptor insists on the bearer token. */
const api = () => nock(origin, { reqheaders: { authorization: `Bearer ${token}` } });
const errorBody = (code: string, message: string) => ({ error: { code, message } });

function makeClient(extra: Partial<Parameters<typeof makeSureCloudClient>[0]> = {}) {
  const calls: SureCloudCall[] = [];
  const client = makeSureCloudClient({
    baseUrl,
    token,
    // Far above any answer nock gives here, so a slow machine never turns one into a timeout.
    timeoutMs: 30_000,
    onCall: (call) => calls.push(call),
    ...extra,
  });
  return { client, calls };
}

/** The promise's rejection, checked to carry no trace of the token anywhere a log could print. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error(`expected an Error, got ${String(error)}`);
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    expect(`${e.message}\n${e.stack}\n${JSON.stringify(e)}`).not.toContain(token);
  }
  return error;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  // Stops delayed replies still in flight after a timeout test, so they cannot land in a later test.
  nock.abortPendingRequests();
  nock.cleanAll();
  expect(pending, "every interceptor was called").toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

describe("operations", () => {
  it("lists every group across pages, 500 at a time, passing the cursor encoded", async () => {
    api()
      .get("/api/v1/groups")
      .query({ limit: "500" })
      .reply(200, { items: [groupA, groupB], nextCursor: "page 2/+&=" })
      .get("/api/v1/groups")
      .query({ limit: "500", cursor: "page 2/+&=" })
      .reply(200, { items: [groupC], nextCursor: null });
    const { client, calls } = makeClient();

    expect(await client.listGroups()).toEqual([groupA, groupB, groupC]);
    expect(calls.map((c) => c.operation)).toEqual(["listGroups", "listGroups"]);
  });

  it("fails a listing whose server repeats a page cursor instead of paging for ever", async () => {
    api()
      .get("/api/v1/groups")
      .query(true)
      .times(2)
      .reply(200, { items: [groupA], nextCursor: "same" });
    const error = await failureOf(makeClient().client.listGroups());

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ reason: "surecloud-rejected" });
  });

  it.each([
    [{ externalId: "waad|abc" }, { externalId: "waad|abc" }],
    [{ userName: "jo+sc@acme.example" }, { userName: "jo+sc@acme.example" }],
    [{ email: "JO+SC@acme.example" }, { email: "JO+SC@acme.example" }],
  ])("finds a user by %o with the value encoded in the query", async (lookup, query) => {
    api()
      .get("/api/v1/users")
      .query(query)
      .reply(200, { items: [jo] });

    expect(await makeClient().client.findUser(lookup)).toEqual(jo);
  });

  it("finds no user when SureCloud answers no match", async () => {
    api().get("/api/v1/users").query({ email: "nobody@acme.example" }).reply(200, { items: [] });

    expect(await makeClient().client.findUser({ email: "nobody@acme.example" })).toBeUndefined();
  });

  it("refuses to hand back a user that does not match the look-up", async () => {
    api()
      .get("/api/v1/users")
      .query({ externalId: "waad|other" })
      .reply(200, { items: [jo] });
    const error = await failureOf(makeClient().client.findUser({ externalId: "waad|other" }));

    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(error.message).toContain("findUsers");
  });

  it("creates a user, sending the body as JSON", async () => {
    const write = {
      externalId: "waad|abc",
      userName: jo.userName,
      email: jo.email,
      status: "ACTIVE" as const,
    };
    api()
      .post("/api/v1/users", write)
      .matchHeader("content-type", "application/json")
      .reply(201, { ...jo, createdAt: "2025-01-01T00:00:00Z" });

    expect(await makeClient().client.createUser(write)).toMatchObject(jo);
  });

  it("updates a user with only the patched fields, the id encoded in the path", async () => {
    api()
      .patch("/api/v1/users/u%2F100%20x", { status: "INACTIVE" })
      .reply(200, { ...jo, status: "INACTIVE" });

    const user = await makeClient().client.updateUser("u/100 x", { status: "INACTIVE" });
    expect(user.status).toBe("INACTIVE");
  });

  it("lists a user's groups", async () => {
    api()
      .get("/api/v1/users/u-100/groups")
      .reply(200, { items: [groupA] });

    expect(await makeClient().client.listUserGroups("u-100")).toEqual([groupA]);
  });

  it("adds and removes a membership", async () => {
    api()
      .put(`/api/v1/groups/${groupA.id}/members/u%3F100`)
      .reply(204)
      .delete(`/api/v1/groups/${groupA.id}/members/u%3F100`)
      .reply(204);
    const { client, calls } = makeClient();

    await client.addMember(groupA.id, "u?100");
    await client.removeMember(groupA.id, "u?100");
    expect(calls.map(({ operation, method, status }) => ({ operation, method, status }))).toEqual([
      { operation: "addMember", method: "PUT", status: 204 },
      { operation: "removeMember", method: "DELETE", status: 204 },
    ]);
  });

  it("passes every request through the tenant's gate", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 5, ...clock });
    api().get("/api/v1/users/u-100/groups").times(3).reply(200, { items: [] });
    const { client } = makeClient({ gate });

    for (let i = 0; i < 3; i++) await client.listUserGroups("u-100");

    expect(clock.now()).toBe(400);
  });
});

describe("failures a retry can fix", () => {
  it("turns a 429 into a RetryableError with Retry-After and pauses the whole tenant", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 100, ...clock });
    api()
      .get("/api/v1/users/u-100/groups")
      .reply(429, errorBody("rate_limited", "slow down"), { "Retry-After": "7" });
    const error = await failureOf(makeClient({ gate }).client.listUserGroups("u-100"));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expect(error.message).toBe("SureCloud listUserGroups answered 429 (rate_limited): slow down");
    // The next request of any job of this tenant waits out the pause.
    await gate.acquire();
    expect(clock.now()).toBe(7000);
  });

  it("reads a Retry-After given as an HTTP date", async () => {
    // The client reads the date against Date.now: a stopped clock makes the wait exact, however long
    // the request takes.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-03-02T10:00:00.000Z") });
    try {
      const retryAt = new Date(Date.now() + 30_000).toUTCString();
      api().get("/api/v1/users/u-100/groups").reply(429, "", { "Retry-After": retryAt });
      const error = await failureOf(makeClient().client.listUserGroups("u-100"));

      expect(error).toBeInstanceOf(RetryableError);
      expect((error as RetryableError).retryAfterMs).toBe(30_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves retryAfterMs unset and the tenant running when a 429 gives no Retry-After", async () => {
    const clock = makeVirtualClock();
    const gate = makeRateGate({ requestsPerSecond: 100, ...clock });
    api().get("/api/v1/users/u-100/groups").reply(429, errorBody("rate_limited", "slow down"));
    const error = await failureOf(makeClient({ gate }).client.listUserGroups("u-100"));

    expect(error).toMatchObject({ status: 429, retryAfterMs: undefined });
    await gate.acquire();
    expect(clock.now()).toBe(10);
  });

  it.each([500, 502, 503])("turns a %i into a RetryableError", async (status) => {
    api().post("/api/v1/users").reply(status, errorBody("unavailable", "try later"));
    const write = {
      externalId: "waad|abc",
      userName: "jo",
      email: "jo@acme.example",
      status: "ACTIVE" as const,
    };
    const error = await failureOf(makeClient().client.createUser(write));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ status });
    expect(error.message).toBe(`SureCloud createUser answered ${status} (unavailable): try later`);
  });

  it("gives up on a slow answer after timeoutMs with a RetryableError", async () => {
    // With a Content-Length the aborted reply is not ended by the socket closing, which would trip an
    // assertion inside undici when nock's delayed reply lands after the abort.
    // The answer is complete after 1 s: had the client not given up at 100 ms it would get it and
    // succeed. Both are timers of this process and fire in order, so no machine is too slow for this.
    const body = JSON.stringify({ items: [] });
    api()
      .get("/api/v1/users/u-100/groups")
      .delay(1000)
      .reply(200, body, { "Content-Type": "application/json", "Content-Length": String(body.length) });
    const { client, calls } = makeClient({ timeoutMs: 100 });
    const error = await failureOf(client.listUserGroups("u-100"));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toBe("SureCloud listUserGroups got no answer within 100 ms");
    expect(calls).toEqual([expect.objectContaining({ operation: "listUserGroups", status: "timeout" })]);
  });

  it("turns a network error into a RetryableError that hides the token", async () => {
    api()
      .put(`/api/v1/groups/${groupA.id}/members/u-100`)
      .replyWithError(`connection reset while sending Bearer ${token}`);
    const { client, calls } = makeClient();
    const error = await failureOf(client.addMember(groupA.id, "u-100"));

    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toContain("SureCloud addMember could not reach the server");
    expect(error.message).toContain("connection reset while sending Bearer [redacted]");
    expect(calls).toEqual([expect.objectContaining({ operation: "addMember", status: "network" })]);
  });
});

describe("failures for good", () => {
  it.each([
    [400, "invalid_request", "email is not an address"],
    [401, "unauthorized", "token expired"],
    [403, "forbidden", "not allowed"],
    [404, "not_found", "no user u-404"],
  ])("turns a %i into PermanentError surecloud-rejected", async (status, code, text) => {
    api().patch("/api/v1/users/u-404").reply(status, errorBody(code, text));
    const error = await failureOf(makeClient().client.updateUser("u-404", { givenName: "Jo" }));

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ reason: "surecloud-rejected", status });
    expect(error.message).toBe(`SureCloud updateUser answered ${status} (${code}): ${text}`);
  });

  it("turns a 409 into PermanentError conflict", async () => {
    const write = {
      externalId: "waad|abc",
      userName: "jo",
      email: "jo@acme.example",
      status: "ACTIVE" as const,
    };
    api().post("/api/v1/users").reply(409, errorBody("conflict", "userName taken"));
    const error = await failureOf(makeClient().client.createUser(write));

    expect(error).toMatchObject({ reason: "conflict", status: 409 });
    expect(error.message).toBe("SureCloud createUser answered 409 (conflict): userName taken");
  });

  it("rejects an answer whose body breaks the contract, naming the operation", async () => {
    api()
      .get("/api/v1/users")
      .query({ externalId: "waad|abc" })
      .reply(200, { items: [{ ...jo, status: "SUSPENDED" }] });
    const error = await failureOf(makeClient().client.findUser({ externalId: "waad|abc" }));

    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(error.message).toMatch(
      /^SureCloud findUsers answered 200 with a body outside the contract: items\.0\.status/,
    );
  });

  it("rejects an answer that is not JSON", async () => {
    api().get("/api/v1/groups").query(true).reply(200, "<html>maintenance</html>");
    const error = await failureOf(makeClient().client.listGroups());

    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(error.message).toBe("SureCloud listGroups answered 200 with a body that is not JSON");
  });

  it("does not follow a redirect, which could carry the token elsewhere", async () => {
    api().get("/api/v1/groups").query(true).reply(301, "", { Location: "https://elsewhere.example/" });
    const error = await failureOf(makeClient().client.listGroups());

    expect(error).toMatchObject({ reason: "surecloud-rejected", status: 301 });
  });

  it("masks the token when the server echoes it in an error", async () => {
    api()
      .get("/api/v1/users/u-100/groups")
      .reply(401, errorBody("unauthorized", `token ${token} is revoked`));
    const error = await failureOf(makeClient().client.listUserGroups("u-100"));

    expect(error.message).toBe(
      "SureCloud listUserGroups answered 401 (unauthorized): token [redacted] is revoked",
    );
  });
});

describe("reporting", () => {
  it("tells onCall the operation, method, status and how long the request took", async () => {
    api().get("/api/v1/users/u-100/groups").delay(60).reply(200, { items: [] });
    const { client, calls } = makeClient();

    const started = performance.now();
    await client.listUserGroups("u-100");
    const around = performance.now() - started;

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ operation: "listUserGroups", method: "GET", status: 200 });
    // In milliseconds, on the same clock as the call around it: at least the 60 ms delay (less timer
    // granularity), at most the time the whole call took, however long that was.
    expect(calls[0]?.durationMs).toBeGreaterThanOrEqual(50);
    expect(calls[0]?.durationMs).toBeLessThanOrEqual(around);
  });

  it("reports failed requests too", async () => {
    api().get("/api/v1/users/u-100/groups").reply(503, errorBody("unavailable", "later"));
    const { client, calls } = makeClient();

    await failureOf(client.listUserGroups("u-100"));

    expect(calls).toEqual([
      { operation: "listUserGroups", method: "GET", status: 503, durationMs: expect.any(Number) },
    ]);
  });
});
