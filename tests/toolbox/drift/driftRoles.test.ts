// Switching a tenant from userType to app roles, safely: with the role mapping named in its entry but
// the tenant still on userType, `drift --directive-source roles` lists every user whose groups the
// switch would change and the roles the mapping does not name, `plan` shows one user's, and `explain
// --role` what a set of roles gives under each source. Nothing is written.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { catalogue, groups } from "../../../dev/catalogue.js";
import type { DriftReport } from "../../../toolbox/drift/driftReport.js";
import type { RolesExplanation } from "../../../toolbox/ops/explainRoles.js";
import { tokenEnvOf } from "../../helpers/pipeline.js";
import { type Harness, queuedJobIds, startHarness } from "../resync/harness.js";

const { breachReporter, readOnly, riskManager } = groups;
let harness: Harness;
let dir: string;
/** The tenants file naming the role mapping, acme still on userType. */
let env: Record<string, string>;
const user = (name: string) => `samlp|acme-entra|switch-${name}`;

beforeAll(async () => {
  harness = await startHarness();
  dir = await mkdtemp(join(tmpdir(), "drift-roles-"));
  await writeFile(
    join(dir, "acme-roles.yaml"),
    `tenant: acme
roles:
  Risk Manager: ["Risk | Manager"]
  Breach Reporter: ["Privacy | Breach Reporter", "Read Only"]
default: NONE
`,
  );
  const tenant = {
    id: "acme",
    connection: "acme-entra",
    surecloud: { baseUrl: harness.pipeline.emulator.baseUrlFor("acme"), tokenEnv: tokenEnvOf("acme") },
    groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
    roles: { mapping: "acme-roles.yaml" },
  };
  await writeFile(join(dir, "tenants.json"), JSON.stringify({ tenants: [tenant] }));
  env = { TENANTS_FILE: join(dir, "tenants.json") };

  // Today (userType) each person has one role's groups, whichever role Entra picked.
  harness.auth0.putUser({
    userId: user("both"),
    email: "bo.th@acme.example",
    userType: riskManager.id,
    roles: ["Risk Manager", "Breach Reporter"],
  });
  harness.auth0.putUser({
    userId: user("same"),
    email: "sa.me@acme.example",
    userType: riskManager.id,
    roles: ["Risk Manager"],
  });
  harness.auth0.putUser({
    userId: user("typo"),
    email: "ty.po@acme.example",
    userType: readOnly.id,
    roles: ["breach reporter"],
  });
  await harness.settle(queuedJobIds(await harness.cli(["resync", "--tenant", "acme", "--json"], env)));
});
afterAll(async () => {
  await harness?.stop();
  await rm(dir, { recursive: true, force: true });
});

it("is in step under the tenant's own source (userType)", async () => {
  const report = (await harness.cli(["drift", "--tenant", "acme", "--json"], env)).json<DriftReport>();
  expect(report).toMatchObject({ checked: 3, inStep: 3, drifted: [], unknownRoles: [] });
});

it("drift --directive-source roles lists what the switch would change for every user, writing nothing", async () => {
  harness.pipeline.emulator.resetLog();
  const run = await harness.cli(["drift", "--tenant", "acme", "--directive-source", "roles", "--json"], env);
  expect(harness.pipeline.emulator.requests({ write: true })).toEqual([]);
  const report = run.json<DriftReport>();
  const changes = Object.fromEntries(
    report.drifted.map((entry) => {
      const plan = entry.preview.outcome === "plan" ? entry.preview.plan : undefined;
      return [entry.auth0UserId, { add: plan?.memberships.add, remove: plan?.memberships.remove }];
    }),
  );
  expect(changes).toEqual({
    [user("both")]: { add: [breachReporter, readOnly], remove: [] },
    // A near miss is not guessed: no mapped role, so the mapping's default (NONE).
    [user("typo")]: { add: [], remove: [readOnly] },
  });
  expect(report).toMatchObject({
    inStep: 1,
    unknownRoles: [{ role: "breach reporter", users: 1, didYouMean: "Breach Reporter" }],
  });

  const text = await harness.cli(["drift", "--tenant", "acme", "--directive-source", "roles"], env);
  expect(text.stdout).toContain("App roles the role mapping does not name");
  expect(text.stdout).toMatch(/breach reporter\s+1\s+did you mean "Breach Reporter"\?/);
});

it("plan --directive-source roles shows which role gives which groups for one user", async () => {
  const run = await harness.cli(["plan", user("both"), "--directive-source", "roles"], env);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("the union of the groups of the app roles");
  expect(run.stdout).toContain(`"Risk Manager" -> ${riskManager.id}`);
  expect(run.stdout).toContain(`Privacy | Breach Reporter (${breachReporter.id})`);
});

it("refuses --directive-source roles for a tenant that names no role mapping", async () => {
  const run = await harness.cli(["drift", "--tenant", "acme", "--directive-source", "roles"]);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain('tenant "acme" names no role mapping');
});

it("explain --role says what a set of roles gives under each source", async () => {
  const args = ["explain", "--tenant", "acme", "--role", "Risk Manager", "--role", "Breach Reporter"];
  const json = (await harness.cli([...args, "--json"], env)).json<RolesExplanation>();
  expect(json.rolesSource.groups.map((group) => group.name)).toEqual([
    "Risk | Manager",
    "Privacy | Breach Reporter",
    "Read Only",
  ]);
  expect(json.userTypeSource.map((pick) => pick.role)).toEqual(["Risk Manager", "Breach Reporter"]);
  const text = (await harness.cli(args, env)).stdout;
  expect(text).toContain("directiveSource roles: Risk | Manager, Privacy | Breach Reporter, Read Only");
  expect(text).toContain("Entra picks ONE of these roles, not predictably");
});
