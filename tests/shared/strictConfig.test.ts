// Every config file refuses a key it does not know, with a did-you-mean, and names the entry at fault
// by its id: a misspelt optional key used to pass validation and silently take its default.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../shared/errors.js";
import { parseRoleMapping } from "../../shared/roleMapping.js";
import { parseTenantsFile } from "../../shared/tenants.js";
import { parseOrganisations } from "../../tenant-config/tools/organisations.js";
import { parseScimConfiguration } from "../../tenant-config/tools/scimMapping.js";

const GROUP = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";

/** Two tenants, `acme` and `globex`; `globexExtra` is spliced into globex's entry. */
function tenantsFile(globexExtra: string, surecloudExtra = ""): string {
  return `
tenants:
  - id: acme
    connection: acme-entra
    surecloud: { baseUrl: https://acme.surecloud.example/api/v1, tokenEnv: SURECLOUD_TOKEN_ACME }
    groups: [{ groupId: ${GROUP}, name: Read Only }]
  - id: globex
    connection: globex-entra
    surecloud:
      baseUrl: https://globex.surecloud.example/api/v1
      tokenEnv: SURECLOUD_TOKEN_GLOBEX
${surecloudExtra}
    groups: [{ groupId: ${GROUP}, name: Read Only }]
${globexExtra}
`;
}

function refusal(parse: () => unknown): string {
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return (caught as Error).message;
}

describe("the tenants file refuses unknown keys, naming the tenant by its id", () => {
  it.each([
    [
      "      requestPerSecond: 5",
      "",
      'tenant "globex": surecloud.requestPerSecond: unknown setting; did you mean requestsPerSecond?',
    ],
    [
      "      timeout: 2000",
      "",
      'tenant "globex": surecloud.timeout: unknown setting; did you mean timeoutMs?',
    ],
    [
      "",
      "    missingdirective: clear",
      'tenant "globex": missingdirective: unknown setting; did you mean missingDirective?',
    ],
    [
      "",
      "    verifyWithAuthO: true",
      'tenant "globex": verifyWithAuthO: unknown setting; did you mean verifyWithAuth0?',
    ],
  ])("refuses %j%j", (surecloudExtra, globexExtra, expected) => {
    const message = refusal(() => parseTenantsFile(tenantsFile(globexExtra, surecloudExtra), "tenants.yaml"));
    expect(message).toBe(`tenants.yaml: ${expected}`);
  });

  it("refuses an unknown key in a catalogue group and at the top level", () => {
    const group = tenantsFile("").replace("name: Read Only }]\n\n", "name: Read Only, descripton: x }]\n\n");
    expect(refusal(() => parseTenantsFile(group, "t.yaml"))).toBe(
      't.yaml: tenant "globex": groups.0.descripton: unknown setting; did you mean description?',
    );
    expect(refusal(() => parseTenantsFile(`${tenantsFile("")}tenant: []\n`, "t.yaml"))).toBe(
      "t.yaml: tenant: unknown setting; did you mean tenants?",
    );
  });

  it("says a missing key is required and a wrong type in plain words, not the validator's", () => {
    const noToken = tenantsFile("").replace("      tokenEnv: SURECLOUD_TOKEN_GLOBEX\n", "");
    expect(refusal(() => parseTenantsFile(noToken, "t.yaml"))).toBe(
      't.yaml: tenant "globex": surecloud.tokenEnv: is required',
    );
    const words = refusal(() => parseTenantsFile(tenantsFile("", '      timeoutMs: "2s"'), "t.yaml"));
    expect(words).toBe('t.yaml: tenant "globex": surecloud.timeoutMs: must be a number, not text "2s"');
    const policy = refusal(() => parseTenantsFile(tenantsFile("    missingDirective: keep"), "t.yaml"));
    expect(policy).toBe(
      't.yaml: tenant "globex": missingDirective: must be one of ignore, clear, not text "keep"',
    );
    expect(policy).not.toMatch(/Invalid|expected|received/);
  });

  it("names an entry without a usable id by its position", () => {
    const noId = tenantsFile("")
      .replace("  - id: globex\n", "  - ")
      .replace("    connection: globex-entra", "connection: globex-entra");
    expect(refusal(() => parseTenantsFile(noId, "t.yaml"))).toBe("t.yaml: tenant #2: id: is required");
  });
});

describe("the other config files refuse unknown keys with a did-you-mean", () => {
  it("role mapping", () => {
    const text = "tenant: acme\nroles:\n  Admins: [Read Only]\ndefualt: NONE\n";
    expect(refusal(() => parseRoleMapping(text, "mapping.yaml"))).toBe(
      "mapping.yaml: default: must be IGNORE, NONE or a list of groups; defualt: unknown setting; did you mean default?",
    );
  });

  it("organisations, naming the organisation by its connection", () => {
    const text = "organisations:\n  - connection: globex-entra\n    displayname: Globex\n";
    expect(refusal(() => parseOrganisations(text, "organisations.yaml"))).toBe(
      'organisations.yaml: organisation "globex-entra": displayname: unknown setting; did you mean displayName?',
    );
    const badStrategy = "organisations:\n  - connection: globex-entra\n    strategy: azure\n";
    expect(refusal(() => parseOrganisations(badStrategy, "o.yaml"))).toBe(
      'o.yaml: organisation "globex-entra": strategy: must be one of waad, samlp, oidc, okta, not text "azure"',
    );
  });

  it("SCIM mapping", () => {
    const text = [
      "user_id_atribute: externalId",
      "mapping:",
      "  - { scim: userName, auth0: username }",
      "  - { scim: userType, auth0: app_metadata.user_type, auht0: x }",
    ].join("\n");
    expect(refusal(() => parseScimConfiguration(text, "scim-mapping.yaml"))).toBe(
      "scim-mapping.yaml: user_id_attribute: is required; mapping.1.auht0: unknown setting; did you mean auth0?; " +
        "user_id_atribute: unknown setting; did you mean user_id_attribute?",
    );
  });
});
