// `surecloud-sync audit` over a real run: live events and a resync change SureCloud through the
// worker process; each change is in the trail once, with the event that caused it, and the command
// filters by tenant, user and time as a table or JSON lines.
import { afterAll, beforeAll, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import type { StoredAuditEntry } from "../../../worker/audit/auditEntry.js";
import { makeUserEvent, newEventId } from "../../fixtures/auth0Events.js";
import { type Harness, queuedJobIds, startHarness } from "../resync/harness.js";

let harness: Harness;
const ADA = "samlp|acme-entra|audit-ada";
const BO = "samlp|beta-entra|audit-bo";
const causes: string[] = [];

function lines(stdout: string): StoredAuditEntry[] {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StoredAuditEntry);
}

beforeAll(async () => {
  harness = await startHarness();
  const { pipeline } = harness;
  const deliver = async (options: Parameters<typeof makeUserEvent>[0]) => {
    const event = makeUserEvent({ id: newEventId(), ...options });
    await pipeline.send(event);
    const result = await pipeline.result(event.id);
    expect(result.state).toBe("completed");
    return event;
  };
  const created = await deliver({
    type: "user.created",
    userId: ADA,
    email: "ada@acme.example",
    time: "2026-11-04T08:00:00.000Z",
    userType: groups.readOnly.id,
  });
  await pipeline.send(created); // delivered twice: changes nothing the second time
  await pipeline.result(created.id);
  const updated = await deliver({
    type: "user.updated",
    userId: ADA,
    email: "ada@acme.example",
    time: "2026-11-04T09:00:00.000Z",
    userType: groups.riskManager.id,
  });
  await deliver({
    type: "user.created",
    userId: BO,
    connection: "beta-entra",
    email: "bo@beta.example",
    userType: "NONE",
  });
  causes.push(created.id, updated.id);

  // A group added by hand, repaired by a resync: a change whose cause is the resync.
  const ada = pipeline.emulator.state("acme").users.find((user) => user.externalId === ADA);
  pipeline.emulator
    .store("acme")
    .setMemberships(ada?.id as string, [groups.riskManager.id, groups.outside.id]);
  harness.auth0.putUser({
    userId: ADA,
    email: "ada@acme.example",
    updatedAt: "2026-11-04T09:00:00.000Z",
    userType: groups.riskManager.id,
  });
  await harness.settle(queuedJobIds(await harness.cli(["resync", "--tenant", "acme", "--json"])));
});
afterAll(async () => {
  await harness?.stop();
});

it("has each change once, with the event or resync that caused it", async () => {
  const run = await harness.cli(["audit", "--tenant", "acme", "--json"]);
  expect(run.code).toBe(0);
  const entries = lines(run.stdout);
  expect(entries.map((entry) => [entry.cause.eventType, entry.cause.origin])).toEqual([
    ["user.created", "event"],
    ["user.updated", "event"],
    ["user.updated", "resync"],
  ]);
  expect(entries.slice(0, 2).map((entry) => entry.cause.eventId)).toEqual(causes);
  expect(entries.map(({ created, added, removed }) => ({ created, added, removed }))).toEqual([
    { created: true, added: [groups.readOnly], removed: [] },
    { created: false, added: [groups.riskManager], removed: [groups.readOnly] },
    { created: false, added: [], removed: [groups.outside] },
  ]);
  expect(new Set(entries.map((entry) => entry.auth0UserId))).toEqual(new Set([ADA]));
});

it("filters by tenant, by user and by time", async () => {
  expect(lines((await harness.cli(["audit", "--json"])).stdout)).toHaveLength(4);
  expect(
    lines((await harness.cli(["audit", "--tenant", "beta", "--json"])).stdout).map(
      (entry) => entry.auth0UserId,
    ),
  ).toEqual([BO]);
  const ada = lines((await harness.cli(["audit", "--user", ADA, "--json"])).stdout);
  const bySureCloudId = lines(
    (await harness.cli(["audit", "--user", ada[0]?.sureCloudUserId as string, "--json"])).stdout,
  );
  expect(bySureCloudId).toEqual(ada);
  expect(
    lines((await harness.cli(["audit", "--since", "1h", "--limit", "2", "--json"])).stdout),
  ).toHaveLength(2);
  const none = await harness.cli(["audit", "--until", "2020-01-01T00:00:00Z"]);
  expect(none.stdout).toBe("No audit entries match.");
});

it("prints a table for people, and refuses a time it cannot read", async () => {
  const table = await harness.cli(["audit", "--tenant", "acme"]);
  expect(table.stdout).toMatch(/TIME\s+TENANT\s+AUTH0 USER\s+SURECLOUD USER\s+CAUSE\s+CHANGE/);
  expect(table.stdout).toContain(`user.created ${causes[0]}`);
  expect(table.stdout).toMatch(/user\.updated rsy_\S+ \(resync\)\s+- Legacy \| Local Admins/);
  expect(table.stdout).toMatch(/3 entries$/);
  const bad = await harness.cli(["audit", "--since", "soon"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--since "soon" is neither an ISO 8601 time nor an age/);
});
