// `surecloud-sync expression` as an operator and an Entra administrator use it: the expression to
// paste, and the check of one app role (or an expression copied back from Entra) before saving it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors.js";
import { runTenantCli as runCli } from "../../../tenant-config/tools/main.js";
import type { CliIo } from "../../../toolbox/cli/command.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const mapping = join(root, "docs", "examples", "acme-entra-mapping.yaml");
const tenants = join(root, "docs", "examples", "acme-tenants.yaml");
let scratch: string;

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), env };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "expression-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("surecloud-sync expression", () => {
  it("prints only the expression on standard output, and its length on standard error", async () => {
    const io = capture({ TENANTS_FILE: tenants });
    expect(await runCli(["expression", "--mapping", mapping], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(
      /^IIF\(SingleAppRoleAssignment\(\[appRoleAssignments\]\)="SureCloud Service Accounts"/,
    );
    expect(io.stderr.join("\n")).toContain(
      `${io.stdout[0]?.length} characters (Entra accepts up to 10000); tenant acme`,
    );
  });

  it("shows the userType and the named groups a user with one app role gets", async () => {
    const io = capture();
    const code = await runCli(
      ["expression", "--mapping", mapping, "--tenants", tenants, "--evaluate", "SureCloud TPRM users"],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout.join("\n")).toBe(
      [
        "App role:  SureCloud TPRM users",
        "userType:  6bb924e6-dccd-42c6-b7e9-d02215ed3c5d",
        "Effect:    exactly these 1 group(s); any other membership is removed:",
        "           6bb924e6-dccd-42c6-b7e9-d02215ed3c5d  TPRM | User",
      ].join("\n"),
    );
  });

  it("shows the default for a user with no app role, and IGNORE for an ignored role", async () => {
    const none = capture();
    await runCli(["expression", "--mapping", mapping, "--tenants", tenants, "--no-role"], none);
    expect(none.stdout[0]).toBe("App role:  (none)  (no IIF matches: the default applies)");
    expect(none.stdout.join("\n")).toContain("4e315da2-e7e1-48ec-ada2-86bd949c6baa  Platform | User");
    const ignored = capture();
    await runCli(
      ["expression", "--mapping", mapping, "--tenants", tenants, "--evaluate", "SureCloud Service Accounts"],
      ignored,
    );
    expect(ignored.stdout.slice(1)).toEqual([
      "userType:  IGNORE",
      "Effect:    leave group memberships unchanged",
    ]);
  });

  it("flags an expression from Entra that names a group outside the catalogue, or no valid directive", async () => {
    const pasted = join(scratch, "from-entra.txt");
    await writeFile(
      pasted,
      'IIF(SingleAppRoleAssignment([appRoleAssignments])="Old role","00000000-0000-4000-8000-000000000000","Read Only")\n',
    );
    const unknown = capture();
    const base = ["expression", "--mapping", mapping, "--tenants", tenants, "--expression", pasted];
    expect(await runCli([...base, "--evaluate", "Old role"], unknown)).toBe(1);
    expect(unknown.stdout.join("\n")).toContain(
      "00000000-0000-4000-8000-000000000000  NOT in tenant acme's catalogue",
    );
    expect(unknown.stdout.join("\n")).toContain("The worker would refuse this user (unknown-group)");
    const named = capture();
    expect(await runCli([...base, "--no-role"], named)).toBe(1);
    expect(named.stdout.join("\n")).toContain(
      'the worker would refuse this user (invalid-directive): Group directive entry 1 "Read Only"',
    );
  });

  it("refuses a mapping that names an unknown group, and explains usage mistakes", async () => {
    const bad = join(scratch, "bad.yaml");
    await writeFile(bad, "tenant: acme\nroles:\n  Admins: [Administrators]\ndefault: NONE\n");
    await expect(runCli(["expression", "--mapping", bad, "--tenants", tenants], capture())).rejects.toThrow(
      ConfigError,
    );
    await expect(runCli(["expression", "--mapping", bad, "--tenants", tenants], capture())).rejects.toThrow(
      'role "Admins": group "Administrators" is not in tenant acme\'s catalogue',
    );
    const noTenants = capture();
    expect(await runCli(["expression", "--mapping", mapping], noTenants)).toBe(2);
    expect(noTenants.stderr[0]).toContain("--tenants is required (or set TENANTS_FILE).");
    const both = capture();
    expect(
      await runCli(
        ["expression", "--mapping", mapping, "--tenants", tenants, "--evaluate", "x", "--no-role"],
        both,
      ),
    ).toBe(2);
  });
});
