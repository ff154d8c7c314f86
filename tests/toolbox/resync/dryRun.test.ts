// `resync --dry-run` and `plan <user>`: computed without a single write to SureCloud (the emulator
// sees only reads), and what they say is exactly what the real resync then does, change by change,
// as its jobs' outcomes and the audit trail show.

import { afterAll, beforeAll, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { queryAuditTrail } from "../../../toolbox/audit/auditQuery.js";
import type { Preview } from "../../../toolbox/resync/preview.js";
import { type Harness, queuedJobIds, startHarness } from "./harness.js";

let harness: Harness;
let dryRun: { runId: string; previews: Preview[] };

const user = (name: string) => `samlp|acme-entra|dr-${name}`;

beforeAll(async () => {
  harness = await startHarness();
  const store = harness.pipeline.emulator.store("acme");
  const { auth0 } = harness;
  // create: nobody in SureCloud yet.
  auth0.putUser({
    userId: user("create"),
    email: "cre.ate@acme.example",
    userType: groups.breachReporter.id,
  });
  // link: found by email, unlinked, with a group outside the directive.
  store.seedUser({
    userName: "lin.k@acme.example",
    email: "lin.k@acme.example",
    groupIds: [groups.outside.id],
  });
  auth0.putUser({ userId: user("link"), email: "lin.k@acme.example", userType: groups.readOnly.id });
  // update: linked, but name, status and groups are out of step.
  store.seedUser({
    externalId: user("update"),
    userName: "up.date@acme.example",
    email: "up.date@acme.example",
    givenName: "Old",
    familyName: "Lovelace",
    displayName: "Ada Lovelace",
    status: "INACTIVE",
    groupIds: [groups.breachReporter.id],
  });
  auth0.putUser({
    userId: user("update"),
    email: "up.date@acme.example",
    givenName: "Ada",
    userType: groups.riskManager.id,
  });
  // none: already in step.
  store.seedUser({
    externalId: user("same"),
    userName: "sa.me@acme.example",
    email: "sa.me@acme.example",
    givenName: "Ada",
    familyName: "Lovelace",
    displayName: "Ada Lovelace",
    groupIds: [groups.readOnly.id],
  });
  auth0.putUser({ userId: user("same"), email: "sa.me@acme.example", userType: groups.readOnly.id });
  // failures the worker would hit.
  auth0.putUser({ userId: user("invalid"), email: "in.valid@acme.example", userType: "Read Only" });
  store.seedUser({
    externalId: "samlp|acme-entra|someone-else",
    userName: "con.flict@acme.example",
    email: "con.flict@acme.example",
  });
  auth0.putUser({ userId: user("conflict"), email: "con.flict@acme.example" });

  harness.pipeline.emulator.resetLog();
  const run = await harness.cli(["resync", "--tenant", "acme", "--dry-run", "--json"]);
  expect(run.code).toBe(0);
  dryRun = run.json();
});
afterAll(async () => {
  await harness?.stop();
});

const previewOf = (id: string) => dryRun.previews.find((preview) => preview.auth0UserId === id) as Preview;

it("reads SureCloud but writes nothing and queues nothing", async () => {
  const emulator = harness.pipeline.emulator;
  expect(emulator.requests().length).toBeGreaterThan(0);
  expect(emulator.requests({ write: true })).toEqual([]);
  expect(await harness.queue.getJobCounts("waiting", "active", "completed", "failed", "delayed")).toEqual({
    waiting: 0,
    active: 0,
    completed: 0,
    failed: 0,
    delayed: 0,
  });
});

it("says, per user, create / link / update / no change, or the failure the worker would hit", () => {
  const summary = Object.fromEntries(
    dryRun.previews.map((preview) => [
      preview.auth0UserId,
      preview.outcome === "plan"
        ? preview.action
        : `${preview.outcome}: ${"reason" in preview ? preview.reason : ""}`,
    ]),
  );
  expect(summary).toEqual({
    [user("create")]: "create",
    [user("link")]: "link",
    [user("update")]: "update",
    [user("same")]: "none",
    [user("invalid")]: "failed: invalid-directive",
    [user("conflict")]: "failed: conflict",
  });
  const update = previewOf(user("update"));
  expect(update.outcome === "plan" && update.plan).toMatchObject({
    patch: { givenName: "Ada", status: "ACTIVE" },
    status: { from: "INACTIVE", to: "ACTIVE" },
    memberships: { add: [groups.riskManager], remove: [groups.breachReporter] },
  });
});

it("prints a table with groups by name and UUID, and the counts", async () => {
  const run = await harness.cli(["resync", "--tenant", "acme", "--dry-run", "--changes-only"]);
  expect(run.stdout).toMatch(
    /AUTH0 USER\s+TENANT\s+ACTION\s+SURECLOUD USER\s+FIELDS\s+STATUS\s+ADD\s+REMOVE/,
  );
  expect(run.stdout).toContain(`Risk | Manager (${groups.riskManager.id})`);
  expect(run.stdout).not.toContain(user("same"));
  expect(run.stdout).toMatch(/Would fail[^\n]*\nAUTH0 USER\s+TENANT\s+REASON\s+DETAIL/);
  expect(run.stdout).toMatch(
    new RegExp(`${user("conflict").replace(/\|/g, "\\|")}\\s+acme\\s+conflict\\s+SureCloud user`),
  );
  expect(run.stdout).toMatch(/create 1, link 1, update 1, no change 1, failed 2\. Nothing was written\./);
  expect(harness.pipeline.emulator.requests({ write: true })).toEqual([]);
});

it("plan <user> shows one user's plan, the same as the dry run's", async () => {
  const text = await harness.cli(["plan", user("update")]);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/Action\s+update \(matched by externalId\)/);
  expect(text.stdout).toMatch(/Status\s+INACTIVE -> ACTIVE/);
  expect(text.stdout).toContain(`Add             Risk | Manager (${groups.riskManager.id})`);
  expect((await harness.cli(["plan", user("update"), "--json"])).json()).toEqual(previewOf(user("update")));
  const failing = await harness.cli(["plan", user("conflict")]);
  expect(failing.code).toBe(1);
  expect(failing.stdout).toMatch(/Action\s+fail \(conflict\)/);
  expect(harness.pipeline.emulator.requests({ write: true })).toEqual([]);
});

it("matches what the real resync then does, change for change, each change once in the audit trail", async () => {
  const run = await harness.cli(["resync", "--tenant", "acme", "--json"]);
  const ends = await harness.settle(queuedJobIds(run));
  const runId = run.json<{ runId: string }>().runId;
  const trail = (await queryAuditTrail(harness.redis, harness.pipeline.queueName)).filter((entry) =>
    entry.cause.eventId.startsWith(`rsy_${runId}_`),
  );
  for (const preview of dryRun.previews) {
    const end = ends.find((candidate) => candidate.outcome?.auth0UserId === preview.auth0UserId);
    const entries = trail.filter((entry) => entry.auth0UserId === preview.auth0UserId);
    if (preview.outcome === "failed") {
      expect(entries).toEqual([]);
      continue;
    }
    if (preview.outcome !== "plan") throw new Error(`unexpected ${preview.outcome}`);
    const { plan } = preview;
    expect(end?.outcome).toMatchObject({
      outcome: "applied",
      created: Boolean(plan.create),
      added: plan.memberships.add,
      removed: plan.memberships.remove,
    });
    if (preview.action === "none") {
      expect(entries).toEqual([]);
      continue;
    }
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      created: Boolean(plan.create),
      added: plan.memberships.add,
      removed: plan.memberships.remove,
      cause: { origin: "resync", eventType: "user.updated" },
      complete: true,
    });
    expect(entries[0]?.status).toEqual(plan.status);
    expect([...(entries[0]?.fields ?? [])].sort()).toEqual(Object.keys(plan.patch).sort());
  }
  const failed = ends
    .filter((end) => end.state === "failed")
    .map((end) => end.failedReason?.split(":")[0])
    .sort();
  expect(failed).toEqual(["conflict", "invalid-directive"]);
  // Now in step: a new dry run plans no change for anyone it can plan.
  const after = (await harness.cli(["resync", "--tenant", "acme", "--dry-run", "--json"])).json<{
    previews: Preview[];
  }>();
  expect(
    after.previews
      .filter((preview) => preview.outcome === "plan")
      .map((preview) => preview.outcome === "plan" && preview.action),
  ).toEqual(["none", "none", "none", "none"]);
});
