// `surecloud-sync redeliver` against the Management API faked by nock: the exact redeliver bodies
// (date range to the second, statuses, event types), one event by id, a stream name resolved to its
// id, --dry-run reading the dead-letter list and sending no POST, and the errors operators meet.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth0Time } from "../../../toolbox/auth0/redeliveryFilter.js";
import { cli } from "../cli/cliHarness.js";
import { type FakeEventStreams, fakeEventStreams } from "./fakeEventStreams.js";

const STREAM_ID = "est_3GnZxSe1pQ8vR2mT7kLwY4";
let auth0: FakeEventStreams;

beforeEach(() => {
  nock.disableNetConnect();
  auth0 = fakeEventStreams();
  // Three streams at two a page: the sync's stream is found on the second page.
  auth0.addStream({ id: "est_1AaaaaaaaaaaaaaaaaaaaA", name: "audit-to-siem" });
  auth0.addStream({ id: "est_2BbbbbbbbbbbbbbbbbbbbB", name: "billing" });
  auth0.addStream({ id: STREAM_ID, name: "surecloud-group-sync" });
  auth0.addDelivery(STREAM_ID, { id: "evt_early", type: "user.updated", time: "2026-11-02T07:59:59Z" });
  auth0.addDelivery(STREAM_ID, { id: "evt_created", type: "user.created", time: "2026-11-02T08:05:00Z" });
  auth0.addDelivery(STREAM_ID, { id: "evt_updated1", type: "user.updated", time: "2026-11-02T08:10:00Z" });
  auth0.addDelivery(STREAM_ID, { id: "evt_updated2", type: "user.updated", time: "2026-11-02T08:20:00Z" });
  auth0.addDelivery(STREAM_ID, { id: "evt_deleted", type: "user.deleted", time: "2026-11-02T08:30:00Z" });
  auth0.addDelivery(STREAM_ID, { id: "evt_late", type: "user.updated", time: "2026-11-02T08:45:00Z" });
});
afterEach(() => {
  auth0.close();
  nock.enableNetConnect();
});

const run = (...args: string[]) => cli(["redeliver", ...args], auth0.env);
const range = ["--since", "2026-11-02T08:00:00Z", "--until", "2026-11-02T08:45:00Z"];

describe("redeliver: a time range", () => {
  it("resolves the stream name to its id and posts the date range, statuses and event types", async () => {
    const result = await run(
      ...range,
      "--event-type",
      "user.created",
      "--event-type",
      "user.updated,user.deleted",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(auth0.requests.filter((request) => request.path === "/api/v2/event-streams")).toHaveLength(2);
    expect(auth0.posts().map((post) => [post.path, post.body])).toEqual([
      [
        `/api/v2/event-streams/${STREAM_ID}/redeliver`,
        {
          date_from: "2026-11-02T08:00:00Z",
          date_to: "2026-11-02T08:45:00Z",
          statuses: ["failed"],
          event_types: ["user.created", "user.updated", "user.deleted"],
        },
      ],
    ]);
    expect(result.stdout).toContain(
      `Auth0 accepted the redelivery of the failed events of event stream "surecloud-group-sync" (${STREAM_ID})`,
    );
    expect(result.stdout).toContain(
      "from 2026-11-02T08:00:00Z to 2026-11-02T08:45:00Z, user.created, user.updated, user.deleted",
    );
  });

  it("sends only statuses when no range or type is given: every failed delivery of the stream", async () => {
    const result = await run("--stream", "surecloud-group-sync");
    expect(result.code).toBe(0);
    expect(auth0.posts().map((post) => post.body)).toEqual([{ statuses: ["failed"] }]);
  });

  it("sends whole seconds: the start rounded down, the exclusive end rounded up", async () => {
    await run("--since", "2026-11-02T08:00:00.750Z", "--until", "2026-11-02T08:45:00.250Z");
    expect(auth0.posts()[0]?.body).toEqual({
      date_from: "2026-11-02T08:00:00Z",
      date_to: "2026-11-02T08:45:01Z",
      statuses: ["failed"],
    });
  });

  it("reads --since as an age counted back from now", async () => {
    const before = Date.now();
    await run("--since", "90m");
    const after = Date.now();
    const sent = auth0.posts()[0]?.body as { date_from: string };
    expect(sent.date_from).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const from = Date.parse(sent.date_from);
    expect(from).toBeGreaterThanOrEqual(Date.parse(auth0Time(new Date(before - 90 * 60_000), "down")));
    expect(from).toBeLessThanOrEqual(after - 90 * 60_000);
  });

  it("takes a stream id as it is, without listing the streams", async () => {
    const result = await run("--stream", STREAM_ID, "--event-type", "user.deleted");
    expect(result.code).toBe(0);
    expect(auth0.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /api/v2/event-streams/${STREAM_ID}`,
      `POST /api/v2/event-streams/${STREAM_ID}/redeliver`,
    ]);
  });

  it("prints what it sent and what Auth0 accepted as JSON", async () => {
    const result = await run(...range, "--json");
    expect(JSON.parse(result.stdout)).toEqual({
      stream: { id: STREAM_ID, name: "surecloud-group-sync", status: "enabled" },
      dryRun: false,
      sent: { date_from: "2026-11-02T08:00:00Z", date_to: "2026-11-02T08:45:00Z", statuses: ["failed"] },
      accepted: { date_from: "2026-11-02T08:00:00Z", date_to: "2026-11-02T08:45:00Z", statuses: ["failed"] },
    });
  });

  it("says so, and still redelivers, when the stream is disabled", async () => {
    auth0.addStream({ id: "est_4DdddddddddddddddddddD", name: "paused-stream", status: "disabled" });
    const result = await run("--stream", "paused-stream", ...range);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('event stream "paused-stream" is disabled');
    expect(auth0.posts()).toHaveLength(1);
  });
});

describe("redeliver --dry-run", () => {
  it("lists the failed deliveries in the range and types, across pages, and sends no POST", async () => {
    const result = await run(...range, "--event-type", "user.updated", "--dry-run");
    expect(result.code).toBe(0);
    expect(auth0.posts()).toEqual([]);
    const listings = auth0.requests.filter((request) => request.path.endsWith("/deliveries"));
    expect(listings.length).toBeGreaterThanOrEqual(1);
    expect(Object.fromEntries(listings[0]?.query ?? [])).toMatchObject({
      statuses: "failed",
      event_types: "user.updated",
      date_from: "2026-11-02T08:00:00Z",
      date_to: "2026-11-02T08:45:00Z",
    });
    expect(result.stdout).toContain(
      `(${STREAM_ID}): 2 failed deliveries from 2026-11-02T08:00:00Z to 2026-11-02T08:45:00Z, user.updated.`,
    );
    expect(result.stdout).toContain("Nothing was redelivered.");
    const ids = [...result.stdout.matchAll(/^(evt_\w+)/gm)].map((match) => match[1]);
    expect(ids).toEqual(["evt_updated2", "evt_updated1"]);
  });

  it("reads every page of the dead-letter list", async () => {
    const result = await run("--dry-run", "--json");
    const listed = JSON.parse(result.stdout) as { deliveries: Array<{ eventId: string }>; complete: boolean };
    expect(listed.complete).toBe(true);
    expect(listed.deliveries.map((delivery) => delivery.eventId)).toEqual([
      "evt_late",
      "evt_deleted",
      "evt_updated2",
      "evt_updated1",
      "evt_created",
      "evt_early",
    ]);
    expect(auth0.requests.filter((request) => request.path.endsWith("/deliveries"))).toHaveLength(3);
    expect(auth0.posts()).toEqual([]);
  });

  it("reads deliveries answered as a bare array too", async () => {
    auth0.deliveriesAsArray();
    const result = await run(...range, "--event-type", "user.deleted", "--dry-run", "--json");
    const listed = JSON.parse(result.stdout) as { deliveries: Array<{ eventId: string; attempts: number }> };
    expect(listed.deliveries).toMatchObject([{ eventId: "evt_deleted", attempts: 4 }]);
  });

  it("with --event, reads that event's delivery and sends no POST", async () => {
    const result = await run("--event", "evt_created", "--dry-run");
    expect(result.code).toBe(0);
    expect(auth0.posts()).toEqual([]);
    expect(auth0.requests.at(-1)?.path).toBe(`/api/v2/event-streams/${STREAM_ID}/deliveries/evt_created`);
    expect(result.stdout).toContain(": 1 failed delivery for event evt_created.");
  });
});

describe("redeliver --event", () => {
  it("posts to the event's redeliver path with no filter", async () => {
    const result = await run("--event", "evt_deleted");
    expect(result.code).toBe(0);
    expect(auth0.posts().map((post) => [post.path, post.body])).toEqual([
      [`/api/v2/event-streams/${STREAM_ID}/redeliver/evt_deleted`, undefined],
    ]);
    expect(result.stdout).toContain("Auth0 accepted the redelivery of event evt_deleted");
  });

  it("reports an event Auth0 will not redeliver (409)", async () => {
    auth0.refuseRedelivery("evt_deleted");
    const result = await run("--event", "evt_deleted");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: Auth0 will not redeliver: redelivering event evt_deleted .*\(409\)/,
    );
  });

  it("reports an event id the stream does not know (404)", async () => {
    const result = await run("--event", "evt_nope");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Auth0 found nothing for redelivering event evt_nope");
  });
});

describe("redeliver: errors", () => {
  it("names the missing scope when Auth0 answers 403 to the redelivery", async () => {
    auth0.grant(["read:event_streams", "read:event_deliveries"]);
    const result = await run(...range);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "grant the application (AUTH0_CLIENT_ID) the update:event_deliveries scope",
    );
    expect(result.stderr).toContain("Insufficient scope, expected any of: update:event_deliveries");
  });

  it("names read:event_deliveries when a dry run may not read the deliveries", async () => {
    auth0.grant(["read:event_streams", "update:event_deliveries"]);
    const result = await run(...range, "--dry-run");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the read:event_deliveries scope");
  });

  it("names read:event_streams when the stream cannot be looked up", async () => {
    auth0.grant(["update:event_deliveries"]);
    const result = await run(...range);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Auth0 refused listing event streams (403)");
    expect(result.stderr).toContain("the read:event_streams scope");
    expect(auth0.posts()).toEqual([]);
  });

  it("names the stream it could not find, and the streams there are", async () => {
    const result = await run("--stream", "no-such-stream");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no event stream named or with id "no-such-stream"');
    expect(result.stderr).toContain(`surecloud-group-sync (${STREAM_ID})`);
  });

  it.each([
    [["--event", "evt_created", "--since", "1h"], "--event redelivers one event"],
    [
      ["--event-type", "user.blocked"],
      '--event-type "user.blocked" is not one of user.created, user.updated, user.deleted',
    ],
    [["--since", "yesterday-ish"], '--since "yesterday-ish" is neither an ISO 8601 time nor an age'],
    [["--since", "1h", "--until", "2h"], "--since must be before --until"],
    [["--stream", " "], "--stream needs an event stream name or id"],
    [["--bogus"], "Unknown option '--bogus'"],
  ])("refuses %j as a usage error (exit 2) before calling Auth0", async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(auth0.requests).toEqual([]);
  });

  it("names the missing credentials", async () => {
    const result = await cli(["redeliver", "--since", "1h"], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET");
  });
});
