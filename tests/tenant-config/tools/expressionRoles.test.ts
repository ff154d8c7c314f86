// `surecloud-tenant expression` as an Entra administrator checks their work: an expression copied back
// out of Entra checked on its own for every role, several roles at once (what each directive source
// gives), and a role name typed in the wrong letter case caught rather than given the default.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTenantCli } from "../../../tenant-config/tools/main.js";
import type { CliIo } from "../../../toolbox/cli/command.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const mapping = join(root, "docs", "examples", "acme-entra-mapping.yaml");
const tenants = join(root, "docs", "examples", "acme-tenants.yaml");
const base = ["expression", "--mapping", mapping, "--tenants", tenants];
let scratch: string;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (line) => stdout.push(line), err: (line) => stderr.push(line), env: {} };
  const code = await runTenantCli(args, io);
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

/** The generated expression, written to a file as if copied from Entra, after `edit`. */
async function pasted(edit: (expression: string) => string = (e) => e): Promise<string> {
  const generated = await run(base);
  const path = join(scratch, `pasted-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(path, `${edit(generated.stdout)}\n`);
  return path;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "expression-roles-"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("checking an expression copied from Entra, on its own", () => {
  it("passes the generated expression, listing what every role and no role get", async () => {
    const result = await run([...base, "--expression", await pasted()]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SureCloud Service Accounts\s+IGNORE \(groups unchanged\)\s+yes$/m);
    expect(result.stdout).toMatch(/^SureCloud TPRM admins\s+TPRM \| Admin\s+yes$/m);
    expect(result.stdout).toMatch(/^SureCloud TPRM users\s+TPRM \| User\s+yes$/m);
    expect(result.stdout).toMatch(/^\(no role\)\s+Platform \| User\s+yes$/m);
    expect(result.stdout).toContain("OK: the expression gives every role what the mapping says");
  });

  it("flags a role name in the wrong letter case, and what its users would get instead", async () => {
    const file = await pasted((e) => e.replace('"SureCloud TPRM admins"', '"SureCloud TPRM Admins"'));
    const result = await run([...base, "--expression", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^SureCloud TPRM admins\s+Platform \| User\s+NO: the mapping gives TPRM \| Admin$/m,
    );
    expect(result.stdout).toContain(
      'It tests "SureCloud TPRM Admins": did you mean "SureCloud TPRM admins"?',
    );
  });

  it("says why an expression it cannot read is refused", async () => {
    const file = await pasted((e) => e.slice(0, 40));
    const result = await run([...base, "--expression", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Cannot read the expression: /);
  });
});

describe("several app roles", () => {
  const admins = "SureCloud TPRM admins";
  const users = "SureCloud TPRM users";

  it("reads a comma list and repeated --evaluate alike, and shows what each directive source gives", async () => {
    const comma = await run([...base, "--evaluate", `${admins},${users}`]);
    const repeated = await run([...base, "--evaluate", admins, "--evaluate", users]);
    expect(comma).toEqual(repeated);
    expect(comma.code).toBe(0);
    expect(comma.stdout).toContain(`App roles: ${admins}, ${users}`);
    expect(comma.stdout).toContain(
      `If Entra picks "${admins}":\nuserType:  7866fa5b-124d-4ddd-850b-197d39d806b8`,
    );
    expect(comma.stdout).toContain(
      `If Entra picks "${users}":\nuserType:  6bb924e6-dccd-42c6-b7e9-d02215ed3c5d`,
    );
    expect(comma.stdout).toContain("These differ: this user's groups would depend on Entra's pick.");
    expect(comma.stdout).toContain(
      "userType:  7866fa5b-124d-4ddd-850b-197d39d806b8,6bb924e6-dccd-42c6-b7e9-d02215ed3c5d\n" +
        "Effect:    exactly these 2 group(s); any other membership is removed:",
    );
  });

  it("makes an IGNORE role win under the roles source", async () => {
    const result = await run([...base, "--evaluate", `${admins},SureCloud Service Accounts`]);
    expect(result.stdout).toMatch(/directiveSource roles:[\s\S]*userType: {2}IGNORE\nEffect: {4}leave group/);
  });

  it("gives a role name in the wrong letter case a did-you-mean and exit 1, not silently the default", async () => {
    const one = await run([...base, "--evaluate", "surecloud tprm admins"]);
    expect(one.code).toBe(1);
    expect(one.stdout).toContain(
      '"surecloud tprm admins" is not a role of the mapping; did you mean "SureCloud TPRM admins"?',
    );
    const several = await run([...base, "--evaluate", `SureCloud TPRM Users,${admins}`]);
    expect(several.code).toBe(1);
    expect(several.stdout).toContain('did you mean "SureCloud TPRM users"?');
  });

  it("refuses an empty role name from a stray comma", async () => {
    const result = await run([...base, "--evaluate", `${admins},`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--evaluate: a role name is empty");
  });
});
