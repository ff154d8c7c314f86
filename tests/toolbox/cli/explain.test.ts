// explain: every row of the directive table, the exact invalid-directive reason, and a tenant's view
// (catalogue names, and the unknown-group failure for a UUID outside the catalogue).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { binary, cli, writeTenantsFile } from "./cliHarness.js";

let tenants: Awaited<ReturnType<typeof writeTenantsFile>>;
beforeAll(async () => {
  tenants = await writeTenantsFile();
});
afterAll(async () => {
  await tenants.remove();
});

const explainJson = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const run = await cli(["explain", ...args, "--json"], env);
  return { code: run.code, body: JSON.parse(run.stdout), stderr: run.stderr };
};

describe("explain without a tenant", () => {
  it("IGNORE in any case keeps memberships", async () => {
    const run = await cli(["explain", " ignore "]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Meaning:  leave group memberships unchanged");
  });

  it('NONE and "" remove every membership', async () => {
    for (const value of ["NONE", "none", "", "   "]) {
      const { code, body } = await explainJson([value]);
      expect(code).toBe(0);
      expect(body).toMatchObject({
        input: value,
        directive: { kind: "clear" },
        meaning: "remove every group membership",
      });
    }
  });

  it("UUIDs mean exactly those groups, lower-cased, repeats folded", async () => {
    const raw = `${groups.readOnly.id.toUpperCase()} , ${groups.riskManager.id},${groups.readOnly.id}`;
    const { code, body } = await explainJson([raw]);
    expect(code).toBe(0);
    expect(body.directive).toEqual({ kind: "exact", groupIds: [groups.readOnly.id, groups.riskManager.id] });
    expect(body.meaning).toBe(`exactly these 2 group(s): ${groups.readOnly.id}, ${groups.riskManager.id}`);
  });

  it("an invalid value prints the worker's exact reason and exits 1", async () => {
    const run = await cli(["explain", "Privacy Admins"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'the worker fails the job with invalid-directive: Group directive entry 1 "Privacy Admins" is not a group UUID, IGNORE or NONE',
    );
    const comma = await explainJson([" , "]);
    expect(comma.code).toBe(1);
    expect(comma.body.failure).toEqual({
      reason: "invalid-directive",
      message: 'Group directive "," has commas but no group UUID',
    });
  });

  it("needs exactly one value: none or several are usage errors", async () => {
    expect((await cli(["explain"])).code).toBe(2);
    const split = await cli(["explain", `${groups.readOnly.id},`, groups.riskManager.id]);
    expect(split.code).toBe(2);
    expect(split.stderr).toContain("give the directive as one argument (quote it)");
  });
});

describe("explain with a tenant", () => {
  it("names the catalogue groups a directive resolves to", async () => {
    const run = await cli([
      "explain",
      `${groups.breachReporter.id},${groups.vulnAdmin.id}`,
      "--tenant",
      "acme",
      "--tenants",
      tenants.path,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^${groups.breachReporter.id}\\s+Privacy \\| Breach Reporter\\s+yes$`, "m"),
    );
    expect(run.stdout).toMatch(new RegExp(`^${groups.vulnAdmin.id}\\s+Vulnerability \\| Admin\\s+yes$`, "m"));
    expect(run.stdout).toContain(
      "When the attribute is absent, tenant acme (missingDirective: ignore) does: leave group memberships unchanged.",
    );
  });

  it("flags a UUID outside the catalogue as the unknown-group failure, exit 1", async () => {
    const { code, body } = await explainJson(
      [`${groups.readOnly.id}, ${groups.outside.id}`, "--tenant", "beta"],
      {
        TENANTS_FILE: tenants.path,
      },
    );
    expect(code).toBe(1);
    expect(body.tenant.groups).toEqual([
      { groupId: groups.readOnly.id, name: groups.readOnly.name, inCatalogue: true },
      { groupId: groups.outside.id, name: null, inCatalogue: false },
    ]);
    expect(body.failure).toEqual({
      reason: "unknown-group",
      message: `Group(s) not in tenant "beta"'s catalogue: ${groups.outside.id}`,
    });
  });

  it("needs the tenants file for --tenant, and names an unknown tenant", async () => {
    const noFile = await cli(["explain", "NONE", "--tenant", "acme"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("--tenant needs the tenants file");
    const unknown = await cli(["explain", "NONE", "--tenant", "gamma", "--tenants", tenants.path]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`Error: no tenant "gamma" in ${tenants.path} (tenants: acme, beta)`);
  });
});

describe("the built binary", () => {
  it("explains a directive for a tenant and exits 1 on an unknown group", async () => {
    const ok = await binary(["explain", groups.riskManager.id, "--tenant", "acme"], {
      TENANTS_FILE: tenants.path,
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Meaning:  exactly these 1 group(s): ${groups.riskManager.id}`);
    expect(ok.stdout).toContain("Risk | Manager");
    const bad = await binary(["explain", groups.outside.id, "--tenant", "acme", "--tenants", tenants.path]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("the worker fails the job with unknown-group");
  });

  it("shows --help for the command", async () => {
    const help = await binary(["explain", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: surecloud-sync explain <userType> [options]");
  });
});
