// The tenants file's fingerprint is over what the worker reads, not the file's bytes: the same
// configuration written another way keeps it (no reload for a reformatted file), any change the
// worker would act on gives another, and a reload's log names the tenants it touched.
import { describe, expect, it } from "vitest";
import { parseTenantsFile } from "../../shared/tenants.js";
import { tenantsChange, tenantsFingerprint } from "../../worker/tenantsFingerprint.js";

const json = parseTenantsFile(
  JSON.stringify({
    tenants: [
      {
        id: "acme",
        connection: "acme-entra",
        surecloud: { baseUrl: "https://acme.surecloud.example/api/v1", tokenEnv: "SURECLOUD_TOKEN_ACME" },
        groups: [{ groupId: "8C27F1E1-4D7E-4C85-9D28-3A9E9C9F7E41", name: "Privacy | Breach Reporter" }],
      },
    ],
  }),
);

const yaml = parseTenantsFile(`# the same tenant, as an operator would write it
tenants:
  - groups:
      - { name: "Privacy | Breach Reporter", groupId: 8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41 }
    surecloud:
      tokenEnv: SURECLOUD_TOKEN_ACME
      baseUrl: https://acme.surecloud.example/api/v1/
      timeoutMs: 10000
    connections: [acme-entra]
    id: acme
    missingDirective: ignore
`);

describe("tenants file fingerprint", () => {
  it("is the same for the same configuration written another way (YAML, key order, defaults spelt out)", () => {
    expect(tenantsFingerprint(json)).toMatch(/^[0-9a-f]{12}$/);
    expect(tenantsFingerprint(yaml)).toBe(tenantsFingerprint(json));
  });

  it("changes with anything the worker acts on, and the change names the tenants", () => {
    const [acme] = json.tenants;
    if (!acme) throw new Error("fixture has acme");
    const cleared = {
      tenants: [
        { ...acme, missingDirective: "clear" as const },
        { ...acme, id: "beta" },
      ],
    };
    expect(tenantsFingerprint(cleared)).not.toBe(tenantsFingerprint(json));
    expect(tenantsChange(json, cleared)).toEqual({ added: ["beta"], removed: [], changed: ["acme"] });
    expect(tenantsChange(cleared, json)).toEqual({ added: [], removed: ["beta"], changed: ["acme"] });
  });
});
