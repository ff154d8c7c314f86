// The offline smoke test and the one-person view, as an operator onboarding a second tenant uses
// them: the local stack on a two-tenant file (emulator, real Redis, the built worker), `send-event`
// through the built Action for a `globex` user (as the built binary), then `user`, `failed --user`
// and `audit --user` by email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack, tokenOf } from "../../../dev/localStack.js";
import { binary, cli, REDIS_URL } from "../cli/cliHarness.js";
import { globexGroups, writeTwoTenants } from "./twoTenants.js";

let stack: LocalStack;
let file: Awaited<ReturnType<typeof writeTwoTenants>>;
const GINA = "gina.globex@globex.example";

const env = () => ({
  REDIS_URL,
  QUEUE_NAME: stack.queueName,
  TENANTS_FILE: stack.tenantsFile,
  SURECLOUD_TOKEN_ACME: tokenOf("acme"),
  SURECLOUD_TOKEN_GLOBEX: tokenOf("globex"),
});

beforeAll(async () => {
  file = await writeTwoTenants();
  stack = await startLocalStack({ tenantsFile: file.path });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await file?.remove();
});

describe("send-event: a smoke test for a second tenant, offline", () => {
  it("sends a globex user's event through the built Action and prints the applied outcome", async () => {
    const run = await binary(
      [
        "send-event",
        "--connection",
        "globex-entra",
        "--email",
        GINA,
        "--directive",
        `${globexGroups.auditor.id}, ${globexGroups.readOnly.id}`,
        "--wait",
      ],
      env(),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`for samlp|globex-entra|${GINA} (${GINA}, directive`);
    expect(run.stdout).toMatch(/^Queued job event-evt_\w+ on queue test-/m);
    expect(run.stdout).toContain("Outcome: applied: created ACTIVE; + Globex | Auditor, Globex | Read Only");

    const gina = stack.emulator.state("globex").users.find((user) => user.email === GINA);
    expect(gina).toMatchObject({ status: "ACTIVE", externalId: `samlp|globex-entra|${GINA}` });
    expect(gina?.groups.map((group) => group.name).sort()).toEqual([
      "Globex | Auditor",
      "Globex | Read Only",
    ]);
    expect(stack.emulator.state("acme").users).toEqual([]);
  });

  it("says why a job failed, and exits 1", async () => {
    const run = await binary(
      [
        "send-event",
        "--tenant",
        "globex",
        "--email",
        GINA,
        "--type",
        "user.updated",
        "--directive",
        "Globex | Auditor",
        "--wait",
      ],
      env(),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Outcome: failed: invalid-directive: Group directive entry 1 "Globex | Auditor" is not a group UUID, IGNORE or NONE',
    );
  });

  it("warns when no tenant lists the connection, and prints the skip with its reason", async () => {
    const run = await binary(["send-event", "--connection", "initech-entra", "--wait"], env());
    expect(run.stderr).toContain('no tenant in the tenants file lists connection "initech-entra"');
    expect(run.stdout).toContain(
      "Outcome: skipped: unknown-connection (no tenant in the worker's tenants file",
    );
    expect(run.code).toBe(1);
  });
});

describe("user: one person at a glance, by email", () => {
  it("shows the SureCloud account with groups by name, the last job's outcome and the audit entry", async () => {
    const run = await cli(["user", GINA, "--json"], env());
    expect(run.code).toBe(0);
    const person = JSON.parse(run.stdout);
    expect(person.auth0UserIds).toEqual([`samlp|globex-entra|${GINA}`]);
    expect(person.accounts).toHaveLength(1);
    expect(person.accounts[0]).toMatchObject({
      tenantId: "globex",
      foundBy: "externalId",
      user: { status: "ACTIVE" },
    });
    expect(person.accounts[0].groups).toEqual([
      { id: globexGroups.auditor.id, name: "Globex | Auditor", inCatalogue: true },
      { id: globexGroups.readOnly.id, name: "Globex | Read Only", inCatalogue: true },
    ]);
    expect(person.jobs.map((job: { outcome: string }) => job.outcome)).toEqual([
      expect.stringMatching(/^failed: invalid-directive: /),
      "applied: created ACTIVE; + Globex | Auditor, Globex | Read Only",
    ]);
    expect(person.audit).toHaveLength(1);
    expect(person.audit[0]).toMatchObject({
      tenantId: "globex",
      created: true,
      auth0UserId: `samlp|globex-entra|${GINA}`,
    });

    const text = await cli(["user", GINA], env());
    expect(text.stdout).toMatch(/^SureCloud account in tenant globex \(found by externalId\)$/m);
    expect(text.stdout).toMatch(/^ {2}status +ACTIVE$/m);
    expect(text.stdout).toMatch(/^ {2}groups +Globex \| Auditor, Globex \| Read Only$/m);
    expect(text.stdout).toContain("applied: created ACTIVE; + Globex | Auditor, Globex | Read Only");
  });

  it("finds the person by userName and by Auth0 id too, and says so when nothing matches", async () => {
    for (const query of [GINA.toUpperCase(), `samlp|globex-entra|${GINA}`]) {
      const person = JSON.parse((await cli(["user", query, "--json"], env())).stdout);
      expect(person.accounts[0]?.user.email).toBe(GINA);
    }
    const none = await cli(["user", "nobody@globex.example"], env());
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("Nothing found for nobody@globex.example");
  });

  it("failed --user and audit --user take the email", async () => {
    const failed = JSON.parse((await cli(["failed", "--user", GINA, "--json"], env())).stdout);
    expect(failed.matched).toBe(1);
    expect(failed.jobs[0]).toMatchObject({ reason: "invalid-directive", tenant: "globex" });
    const audit = await cli(["audit", "--user", GINA, "--json"], env());
    expect(
      audit.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).tenantId),
    ).toEqual(["globex"]);
    const nobody = await cli(["failed", "--user", "nobody@globex.example"], env());
    expect(nobody.stdout).toBe("No failed jobs match.");
  });
});

describe("tables fit a 120-column terminal", () => {
  it("failed with a long message: no line over 120, the whole message shown, and whole in --json", async () => {
    const long = `Globex ${"| Auditors of the regional risk committee ".repeat(4)}`.trim();
    await cli(
      ["send-event", "--tenant", "globex", "--email", "lee@globex.example", "--directive", long, "--wait"],
      env(),
    );
    const json = JSON.parse((await cli(["failed", "--user", "lee@globex.example", "--json"], env())).stdout);
    const message: string = json.jobs[0].message;
    expect(message.length).toBeGreaterThan(100);
    expect(message).toContain('"Globex | Auditors of the regional risk committee');

    const run = await binary(["failed", "--user", "lee@globex.example"], { ...env(), COLUMNS: "120" });
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
    expect(run.stdout).toMatch(/^REASON +invalid-directive$/m);
    expect(run.stdout).toContain(`JOB ID      ${json.jobs[0].jobId}`);
    expect(run.stdout.replace(/\n +/g, " ")).toContain(`MESSAGE     ${message}`);
  });
});
