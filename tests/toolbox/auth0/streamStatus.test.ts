// `surecloud-sync stream-status` against the Management API faked by nock: the stream's status and
// destination, its failed deliveries (count and latest first), tables within 120 columns, JSON,
// and a 403 naming the scope the application lacks.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DEFAULT_STREAM } from "../../../toolbox/auth0/streamCommand.js";
import { cli } from "../cli/cliHarness.js";
import { type FakeEventStreams, fakeEventStreams } from "./fakeEventStreams.js";

const STREAM_ID = "est_3GnZxSe1pQ8vR2mT7kLwY4";
const longError =
  "Error: Redis connection to surecloud-sync-redis.internal.example:6380 failed - connect ETIMEDOUT 10.20.30.40:6380 after 3 attempts";
let auth0: FakeEventStreams;

beforeEach(() => {
  nock.disableNetConnect();
  auth0 = fakeEventStreams();
  auth0.addStream({ id: "est_1AaaaaaaaaaaaaaaaaaaaA", name: "audit-to-siem" });
  auth0.addStream({
    id: STREAM_ID,
    name: "surecloud-group-sync",
    destination: { type: "action", configuration: { action_id: "act_9xYgroupSync" } },
  });
});
afterEach(() => {
  auth0.close();
  nock.enableNetConnect();
});

const run = (...args: string[]) => cli(["stream-status", ...args], auth0.env);

function addThreeFailures(): void {
  auth0.addDelivery(STREAM_ID, {
    id: "evt_4qkS2N0aW1pXb7eRcT5uYz",
    type: "user.updated",
    time: "2026-11-02T08:10:00.412Z",
  });
  auth0.addDelivery(STREAM_ID, {
    id: "evt_8mBv3Lr6Hs0Jd2Fg9Kp1Qw",
    type: "user.deleted",
    time: "2026-11-02T08:30:00Z",
    error: longError,
  });
  auth0.addDelivery(STREAM_ID, {
    id: "evt_2cXn7Tz5Vb1Mq8Wr4Ye6Ua",
    type: "user.created",
    time: "2026-11-02T08:20:00Z",
  });
}

describe("stream-status", () => {
  it("shows the status, the destination and the failed deliveries, latest first, within 120 columns", async () => {
    addThreeFailures();
    const result = await run();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^STREAM +surecloud-group-sync$/m);
    expect(result.stdout).toMatch(new RegExp(`^id +${STREAM_ID}$`, "m"));
    expect(result.stdout).toMatch(/^status +enabled$/m);
    expect(result.stdout).toMatch(/^destination +action act_9xYgroupSync$/m);
    expect(result.stdout).toMatch(/^failed deliveries +3$/m);
    const rows = result.stdout.split("\n").filter((line) => line.startsWith("evt_"));
    expect(rows.map((row) => row.split(/\s+/).slice(0, 4))).toEqual([
      ["evt_8mBv3Lr6Hs0Jd2Fg9Kp1Qw", "user.deleted", "2026-11-02T08:30:00Z", "4"],
      ["evt_2cXn7Tz5Vb1Mq8Wr4Ye6Ua", "user.created", "2026-11-02T08:20:00Z", "4"],
      ["evt_4qkS2N0aW1pXb7eRcT5uYz", "user.updated", "2026-11-02T08:10:00Z", "4"],
    ]);
    expect(rows[0]).toContain("Error: Redis connection to surecloud-sync");
    expect(rows[0]).toMatch(/…$/);
    expect(rows[1]).toContain("Error: connect ECONNREFUSED 10.0.0.5:6379");
    for (const line of result.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(120);
    expect(result.stdout).toContain(`surecloud-sync redeliver --stream ${STREAM_ID} --since <when>`);
  });

  it("shows the latest --limit deliveries and counts them all", async () => {
    addThreeFailures();
    const result = await run("--limit", "2");
    expect(result.stdout).toMatch(/^failed deliveries +3 \(latest 2 below\)$/m);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("evt_"))).toHaveLength(2);
  });

  it("asks Auth0 for the failed deliveries only, on the resolved stream id", async () => {
    await run("--stream", "surecloud-group-sync");
    const listing = auth0.requests.find((request) => request.path.endsWith("/deliveries"));
    expect(listing?.path).toBe(`/api/v2/event-streams/${STREAM_ID}/deliveries`);
    expect(listing?.query.get("statuses")).toBe("failed");
    expect(listing?.query.has("date_from")).toBe(false);
  });

  it("says none when the dead-letter list is empty", async () => {
    const result = await run();
    expect(result.stdout).toMatch(/^failed deliveries +none$/m);
    expect(result.stdout).not.toContain("EVENT ID");
  });

  it("shouts when the stream is disabled", async () => {
    auth0.addStream({ id: "est_5EeeeeeeeeeeeeeeeeeeeE", name: "stopped", status: "disabled" });
    const result = await run("--stream", "est_5EeeeeeeeeeeeeeeeeeeeE");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^status +DISABLED: Auth0 sends it no events/m);
  });

  it("shows a webhook destination's URL without its query, and never its authorization", async () => {
    auth0.addStream({
      id: "est_6FfffffffffffffffffffF",
      name: "intake-webhook",
      destination: {
        type: "webhook",
        configuration: {
          webhook_endpoint: "https://intake.example/auth0/events?key=abc123",
          webhook_authorization: { method: "bearer", token: "super-secret-bearer" },
        },
      },
    });
    const result = await run("--stream", "intake-webhook", "--json");
    expect(result.stdout).not.toContain("super-secret-bearer");
    expect(result.stdout).not.toContain("abc123");
    expect(JSON.parse(result.stdout).stream.destination).toEqual({
      type: "webhook",
      target: "https://intake.example/auth0/events",
    });
  });

  it("prints the stream and every failed delivery as JSON", async () => {
    addThreeFailures();
    const result = await run("--json", "--limit", "1");
    const status = JSON.parse(result.stdout);
    expect(status.stream).toEqual({
      id: STREAM_ID,
      name: "surecloud-group-sync",
      status: "enabled",
      destination: { type: "action", target: "act_9xYgroupSync" },
    });
    expect(status.failedDeliveries.count).toBe(3);
    expect(status.failedDeliveries.complete).toBe(true);
    expect(status.failedDeliveries.latest[0]).toEqual({
      eventId: "evt_8mBv3Lr6Hs0Jd2Fg9Kp1Qw",
      eventType: "user.deleted",
      time: "2026-11-02T08:30:00Z",
      attempts: 4,
      lastError: longError,
    });
  });

  it("names read:event_deliveries when Auth0 answers 403 to the deliveries", async () => {
    auth0.grant(["read:event_streams"]);
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Auth0 refused listing failed deliveries of event stream "surecloud-group-sync" (403): grant the application (AUTH0_CLIENT_ID) the read:event_deliveries scope',
    );
  });

  it("names read:event_streams when Auth0 answers 403 to reading the stream", async () => {
    auth0.grant(["read:event_deliveries"]);
    const result = await run("--stream", STREAM_ID);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Auth0 refused reading event stream ${STREAM_ID} (403)`);
    expect(result.stderr).toContain("read:event_streams scope");
  });

  it("refuses a bad --limit as a usage error", async () => {
    const result = await run("--limit", "0");
    expect(result.code).toBe(2);
    expect(auth0.requests).toEqual([]);
  });

  it("defaults --stream to the stream tenant-config deploys", () => {
    const tenant = parseYaml(readFileSync(join(process.cwd(), "tenant-config", "tenant.yaml"), "utf8")) as {
      eventStreams: Array<{ name: string }>;
    };
    expect(tenant.eventStreams.map((stream) => stream.name)).toContain(DEFAULT_STREAM);
  });
});
