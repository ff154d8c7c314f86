// `surecloud-sync entra-kit` as an operator runs it: one page per tenant's mapping, --tenant to pick
// one, nothing written when any mapping is wrong, and the built binary inlining the built script.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binary, cli } from "../cli/cliHarness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const examples = join(root, "docs", "examples");
const acmeMapping = join(examples, "acme-entra-mapping.yaml");
let scratch: string;
let tenants: string;
let globexMapping: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "entra-kit-command-"));
  const acme = await readFile(join(examples, "acme-tenants.yaml"), "utf8");
  tenants = join(scratch, "tenants.yaml");
  await writeFile(
    tenants,
    `${acme.trimEnd()}
  - id: globex
    connection: globex-entra
    surecloud:
      baseUrl: https://globex.surecloud.example/api/v1
      tokenEnv: SURECLOUD_TOKEN_GLOBEX
    groups:
      - { groupId: 0f8e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b, name: "Audit | Viewer" }
`,
  );
  globexMapping = join(scratch, "globex.yaml");
  await writeFile(globexMapping, 'tenant: globex\nroles:\n  Auditors: ["Audit | Viewer"]\ndefault: NONE\n');
});

afterAll(() => rm(scratch, { recursive: true, force: true }));

async function outDir(): Promise<string> {
  return mkdtemp(join(scratch, "out-"));
}

describe("surecloud-sync entra-kit", () => {
  it("writes one page per mapping's tenant and says the SCIM secrets go separately", async () => {
    const out = await outDir();
    const run = await cli([
      "entra-kit",
      "--mapping",
      acmeMapping,
      "--mapping",
      globexMapping,
      "--tenants",
      tenants,
      "--out",
      out,
    ]);
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(["acme-entra-kit.html", "globex-entra-kit.html"]);
    expect(run.stdout).toContain(`Wrote ${join(out, "globex-entra-kit.html")}: tenant globex, 1 app role(s)`);
    expect(run.stdout).toContain("Send the SCIM Tenant URL and Secret Token separately");
    const globex = await readFile(join(out, "globex-entra-kit.html"), "utf8");
    expect(globex).toContain("Audit | Viewer");
    expect(globex).not.toContain("TPRM | Admin");
  });

  it("writes only the page of --tenant", async () => {
    const out = await outDir();
    const args = ["--mapping", acmeMapping, "--mapping", globexMapping, "--tenants", tenants, "--out", out];
    expect((await cli(["entra-kit", ...args, "--tenant", "globex"])).code).toBe(0);
    expect(await readdir(out)).toEqual(["globex-entra-kit.html"]);
    const unknown = await cli(["entra-kit", ...args, "--tenant", "initech"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "--tenant initech has no --mapping (the mappings are for: acme, globex)",
    );
  });

  it("writes nothing when one mapping names a group outside its tenant's catalogue", async () => {
    const broken = join(scratch, "broken.yaml");
    await writeFile(broken, 'tenant: globex\nroles:\n  Auditors: ["Audit | Editor"]\ndefault: NONE\n');
    const out = join(scratch, "never-written");
    const run = await cli([
      "entra-kit",
      "--mapping",
      acmeMapping,
      "--mapping",
      broken,
      "--tenants",
      tenants,
      "--out",
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${broken}: role "Auditors": group "Audit | Editor" is not in tenant globex's catalogue`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("without --mapping, writes a page for each tenant whose entry names its mapping, with its source", async () => {
    const named = join(scratch, "named");
    await mkdir(named);
    await writeFile(join(named, "globex-roles.yaml"), await readFile(globexMapping, "utf8"));
    const withRoles = (await readFile(tenants, "utf8")).replace(
      "    connection: globex-entra\n",
      "    connection: globex-entra\n    directiveSource: roles\n    roles: { mapping: globex-roles.yaml, matchBy: displayName }\n",
    );
    await writeFile(join(named, "tenants.yaml"), withRoles);
    const out = await outDir();
    const run = await cli(["entra-kit", "--tenants", join(named, "tenants.yaml"), "--out", out]);
    expect(run.stderr).toBe("");
    expect(await readdir(out)).toEqual(["globex-entra-kit.html"]);
    const page = await readFile(join(out, "globex-entra-kit.html"), "utf8");
    expect(page).toContain('<p data-directive-source="roles">');
    expect(page).toContain("<th>App role display name</th>");
    const none = await cli(["entra-kit", "--tenants", tenants, "--out", out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no tenant in");
  });

  it("refuses two mappings for one tenant, and a missing --out or tenants file", async () => {
    const twice = await cli([
      "entra-kit",
      "--mapping",
      acmeMapping,
      "--mapping",
      acmeMapping,
      "--tenants",
      tenants,
      "--out",
      scratch,
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("are both for tenant acme; give one mapping per tenant");
    const noOut = await cli(["entra-kit", "--mapping", acmeMapping, "--tenants", tenants]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--out <dir> is required");
    const noTenants = await cli(["entra-kit", "--mapping", acmeMapping, "--out", scratch]);
    expect(noTenants.code).toBe(2);
    expect(noTenants.stderr).toContain("--tenants <file> or TENANTS_FILE");
  });

  it("from the built binary, inlines the script bundled at build time", async () => {
    const out = await outDir();
    const run = await binary(["entra-kit", "--mapping", acmeMapping, "--tenants", tenants, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const built = await readFile(
      join(root, "dist", "toolbox", "entra", "kitPage", "kit-page.bundle.js"),
      "utf8",
    );
    expect(await readFile(join(out, "acme-entra-kit.html"), "utf8")).toContain(`<script>${built}</script>`);
  });
});
