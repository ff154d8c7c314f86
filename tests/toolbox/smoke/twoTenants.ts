// A tenants file with two tenants, the second (`globex`) onboarded as an operator would: its own
// connection, catalogue and token variable. Written to a temporary directory, YAML as operators write it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const globexGroups = {
  auditor: { id: "1b0c7a52-3d4e-4f60-8a71-92b3c4d5e6f7", name: "Globex | Auditor" },
  riskOwner: { id: "2c1d8b63-4e5f-4071-9b82-a3c4d5e6f708", name: "Globex | Risk Owner" },
  readOnly: { id: "3d2e9c74-5f60-4182-8c93-b4d5e6f70819", name: "Globex | Read Only" },
};

const text = `tenants:
  - id: acme
    connection: acme-entra
    surecloud:
      baseUrl: https://acme.surecloud.example/api/v1
      tokenEnv: SURECLOUD_TOKEN_ACME
    groups:
      - { groupId: 8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41, name: "Privacy | Breach Reporter" }
  - id: globex
    connection: globex-entra
    surecloud:
      baseUrl: https://globex.surecloud.example/api/v1
      tokenEnv: SURECLOUD_TOKEN_GLOBEX
    groups:
${Object.values(globexGroups)
  .map((group) => `      - { groupId: ${group.id}, name: "${group.name}" }`)
  .join("\n")}
    missingDirective: clear
`;

export async function writeTwoTenants(): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "two-tenants-"));
  const path = join(dir, "tenants.yaml");
  await writeFile(path, text);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
