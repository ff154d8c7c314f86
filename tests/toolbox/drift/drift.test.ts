// `surecloud-sync drift`: after memberships and a status are changed by hand in SureCloud, the
// report finds exactly those users, each with the plan that fixes it, without writing; a resync
// then repairs them and the report comes back clean.
import { afterAll, beforeAll, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import type { DriftReport } from "../../../toolbox/drift/driftReport.js";
import { type Harness, queuedJobIds, startHarness } from "../resync/harness.js";

let harness: Harness;
const user = (name: string) => `samlp|acme-entra|drift-${name}`;

beforeAll(async () => {
  harness = await startHarness();
  harness.auth0.putUser({
    userId: user("extra"),
    email: "ex.tra@acme.example",
    userType: groups.readOnly.id,
  });
  harness.auth0.putUser({
    userId: user("missing"),
    email: "mis.sing@acme.example",
    userType: `${groups.breachReporter.id},${groups.riskManager.id}`,
  });
  harness.auth0.putUser({
    userId: user("status"),
    email: "sta.tus@acme.example",
    userType: groups.readOnly.id,
  });
  harness.auth0.putUser({ userId: user("fine"), email: "fi.ne@acme.example", userType: groups.readOnly.id });
  await harness.settle(queuedJobIds(await harness.cli(["resync", "--tenant", "acme", "--json"])));
});
afterAll(async () => {
  await harness?.stop();
});

const sureCloudId = (auth0UserId: string) =>
  harness.pipeline.emulator.state("acme").users.find((candidate) => candidate.externalId === auth0UserId)
    ?.id as string;

it("finds nothing while SureCloud is in step with Auth0", async () => {
  const report = (await harness.cli(["drift", "--tenant", "acme", "--json"])).json<DriftReport>();
  expect(report).toMatchObject({ tenantId: "acme", checked: 4, inStep: 4, drifted: [], failed: [] });
});

it("finds memberships and a status changed by hand, each with its fix, and writes nothing", async () => {
  const store = harness.pipeline.emulator.store("acme");
  store.setMemberships(sureCloudId(user("extra")), [groups.readOnly.id, groups.outside.id]);
  store.setMemberships(sureCloudId(user("missing")), [groups.breachReporter.id]);
  store.updateUser(sureCloudId(user("status")), { status: "INACTIVE" });
  harness.pipeline.emulator.resetLog();

  const report = (await harness.cli(["drift", "--tenant", "acme", "--json"])).json<DriftReport>();
  expect(harness.pipeline.emulator.requests({ write: true })).toEqual([]);
  expect(report).toMatchObject({ checked: 4, inStep: 1 });
  const fixes = Object.fromEntries(
    report.drifted.map((entry) => {
      const plan = entry.preview.outcome === "plan" ? entry.preview.plan : undefined;
      return [
        entry.auth0UserId,
        {
          kinds: entry.kinds,
          add: plan?.memberships.add,
          remove: plan?.memberships.remove,
          status: plan?.status,
        },
      ];
    }),
  );
  expect(fixes).toEqual({
    [user("extra")]: { kinds: ["memberships"], add: [], remove: [groups.outside], status: undefined },
    [user("missing")]: { kinds: ["memberships"], add: [groups.riskManager], remove: [], status: undefined },
    [user("status")]: { kinds: ["status"], add: [], remove: [], status: { from: "INACTIVE", to: "ACTIVE" } },
  });

  const text = await harness.cli(["drift", "--tenant", "acme", "--fail-on-drift"]);
  expect(text.code).toBe(3);
  expect(text.stdout).toMatch(/AUTH0 USER\s+SURECLOUD USER\s+DRIFT\s+FIX/);
  expect(text.stdout).toContain(`Legacy | Local Admins (${groups.outside.id})`);
  expect(text.stdout).toMatch(/Tenant acme: 4 users checked, 1 in step, 3 drifted, 0 cannot be planned/);
});

it("is repaired by a resync", async () => {
  const ends = await harness.settle(
    queuedJobIds(await harness.cli(["resync", "--tenant", "acme", "--json"])),
  );
  expect(ends.every((end) => end.state === "completed")).toBe(true);
  const after = await harness.cli(["drift", "--tenant", "acme", "--fail-on-drift", "--json"]);
  expect(after.code).toBe(0);
  expect(after.json<DriftReport>()).toMatchObject({ inStep: 4, drifted: [] });
  const extra = harness.pipeline.emulator
    .state("acme")
    .users.find((candidate) => candidate.externalId === user("extra"));
  expect(extra?.groups).toEqual([groups.readOnly]);
});
