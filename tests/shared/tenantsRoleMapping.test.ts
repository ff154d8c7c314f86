// A tenant whose directive comes from app roles names its role mapping file in the tenants file; the
// loader reads and resolves it against the catalogue, so a bad mapping stops start-up (or a reload).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../shared/errors.js";
import { tenantsFileSources } from "../../shared/roleMapping.js";
import { loadTenantsFile, parseTenantsFile } from "../../shared/tenants.js";

const RISK = "e21c4d6a-8a6f-4f5f-b2c9-54cb6dce3d0d";
const READ_ONLY = "5b4e2a17-df3c-4b82-a6f2-27a119d8c441";

function tenantsYaml(tenantExtra: string): string {
  return `
tenants:
  - id: acme
    connection: acme-entra
    surecloud: { baseUrl: "https://acme.surecloud.example/api/v1", tokenEnv: SURECLOUD_TOKEN_ACME }
    groups:
      - { groupId: ${RISK}, name: "Risk | Manager" }
      - { groupId: ${READ_ONLY}, name: Read Only }
${tenantExtra}
`;
}

const GOOD_MAPPING = `
tenant: acme
roles:
  Risk Manager: ["Risk | Manager", "Read Only"]
default: NONE
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tenants-roles-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function loadError(path: string): Promise<string> {
  const error = await loadTenantsFile(path).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

describe("directiveSource and the role mapping in the tenants file", () => {
  it("defaults to userType, with no role mapping", () => {
    const file = parseTenantsFile(tenantsYaml(""));
    expect(file.tenants[0]).toMatchObject({ directiveSource: "userType" });
    expect(file.tenants[0]?.roles).toBeUndefined();
  });

  it("loads the mapping from beside the tenants file and resolves it against the catalogue", async () => {
    write("acme-roles.yaml", GOOD_MAPPING);
    const path = write(
      "tenants.yaml",
      tenantsYaml("    directiveSource: roles\n    roles: { mapping: acme-roles.yaml }"),
    );
    const file = await loadTenantsFile(path);
    expect(file.tenants[0]?.roles).toMatchObject({
      mapping: "acme-roles.yaml",
      matchBy: "value",
      table: {
        rules: [{ role: "Risk Manager", directive: { kind: "exact", groupIds: [RISK, READ_ONLY] } }],
        defaultDirective: { kind: "clear" },
      },
    });
    expect(tenantsFileSources(path, file)).toEqual([path, join(dir, "acme-roles.yaml")]);
  });

  it("loads a mapping named ahead of the switch, so plan and drift can preview it", async () => {
    write("acme-roles.yaml", GOOD_MAPPING);
    const path = write(
      "tenants.yaml",
      tenantsYaml("    roles: { mapping: ./acme-roles.yaml, matchBy: displayName }"),
    );
    const tenant = (await loadTenantsFile(path)).tenants[0];
    expect(tenant?.directiveSource).toBe("userType");
    expect(tenant?.roles?.table?.rules).toHaveLength(1);
  });

  it("loads the documented example: the roles-source tenants file and the expression tool's mapping", async () => {
    const example = join(
      fileURLToPath(new URL("../../docs/examples/", import.meta.url)),
      "acme-roles-tenants.yaml",
    );
    const tenant = (await loadTenantsFile(example)).tenants[0];
    expect(tenant).toMatchObject({ directiveSource: "roles", roles: { matchBy: "displayName" } });
    expect(tenant?.roles?.table?.rules.map((rule) => rule.role)).toEqual([
      "SureCloud Service Accounts",
      "SureCloud TPRM admins",
      "SureCloud TPRM users",
    ]);
  });

  it("refuses directiveSource roles without a mapping", () => {
    expect(() => parseTenantsFile(tenantsYaml("    directiveSource: roles"))).toThrow(
      /roles: is required with directiveSource: roles/,
    );
  });

  it("refuses an unknown source, an unknown matchBy and an unknown key in roles", () => {
    expect(() => parseTenantsFile(tenantsYaml("    directiveSource: role"))).toThrow(/directiveSource/);
    expect(() => parseTenantsFile(tenantsYaml("    roles: { mapping: a.yaml, matchBy: name }"))).toThrow(
      /roles\.matchBy/,
    );
    expect(() => parseTenantsFile(tenantsYaml("    roles: { mapping: a.yaml, table: {} }"))).toThrow(/table/);
  });

  it("stops the load on a mapping that names a group outside the catalogue, naming tenant and file", async () => {
    write("acme-roles.yaml", GOOD_MAPPING.replace('"Read Only"', '"Read Only Plus"'));
    const path = write(
      "tenants.yaml",
      tenantsYaml("    directiveSource: roles\n    roles: { mapping: acme-roles.yaml }"),
    );
    const message = await loadError(path);
    expect(message).toContain(`${path}: tenants.0.roles.mapping (tenant "acme"): `);
    expect(message).toContain(
      'role "Risk Manager": group "Read Only Plus" is not in tenant acme\'s catalogue',
    );
  });

  it("stops the load on a missing mapping file, or one written for another tenant", async () => {
    const path = write(
      "tenants.yaml",
      tenantsYaml("    directiveSource: roles\n    roles: { mapping: gone.yaml }"),
    );
    expect(await loadError(path)).toContain(`cannot read ${join(dir, "gone.yaml")}: ENOENT`);
    write("gone.yaml", GOOD_MAPPING.replace("tenant: acme", "tenant: globex"));
    expect(await loadError(path)).toContain('is the mapping of tenant "globex", not "acme"');
  });
});
