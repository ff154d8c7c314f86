// The userType expression an Entra administrator pastes: the setup document's example reproduced
// exactly, every role evaluating to the directive the worker will apply, and clear refusals.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Directive, parseDirective } from "../../../shared/directive.js";
import { ConfigError } from "../../../shared/errors.js";
import { parseRoleMapping, resolveRoleMapping } from "../../../shared/roleMapping.js";
import { parseTenantsFile, type TenantsFile } from "../../../shared/tenants.js";
import { buildExpression, MAX_EXPRESSION_LENGTH } from "../../../toolbox/entra/entraExpression.js";
import { evaluateExpression, parseExpression } from "../../../toolbox/entra/expressionEvaluator.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const examples = join(root, "docs", "examples");

/** Copied from the SureCloud "External IdP Server Setup" document. */
const SETUP_DOCUMENT_EXPRESSION =
  'IIF(SingleAppRoleAssignment([appRoleAssignments])="SureCloud Service Accounts","IGNORE",' +
  'IIF(SingleAppRoleAssignment([appRoleAssignments])="SureCloud TPRM admins","7866fa5b-124d-4ddd-850b-197d39d806b8",' +
  'IIF(SingleAppRoleAssignment([appRoleAssignments])="SureCloud TPRM users","6bb924e6-dccd-42c6-b7e9-d02215ed3c5d",' +
  '"4e315da2-e7e1-48ec-ada2-86bd949c6baa")))';

const tenants: TenantsFile = parseTenantsFile(readFileSync(join(examples, "acme-tenants.yaml"), "utf8"));

function expressionFor(mappingYaml: string, file: TenantsFile = tenants): string {
  return buildExpression(
    resolveRoleMapping(parseRoleMapping(mappingYaml, "mapping.yaml"), file, "mapping.yaml"),
  );
}

function refusal(mappingYaml: string, file: TenantsFile = tenants): string {
  try {
    expressionFor(mappingYaml, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the mapping to be refused");
}

describe("building the expression", () => {
  it("reproduces the setup document's example from the example mapping file", () => {
    expect(expressionFor(readFileSync(join(examples, "acme-entra-mapping.yaml"), "utf8"))).toBe(
      SETUP_DOCUMENT_EXPRESSION,
    );
  });

  it("accepts groupIds in any case, several groups a role, and NONE for a role with none", () => {
    const expression = expressionFor(`
tenant: acme
roles:
  Risk team: ["Risk | Manager", "8C27F1E1-4D7E-4C85-9D28-3A9E9C9F7E41", "risk | manager"]
  Leavers: []
default: IGNORE
`);
    expect(expression).toBe(
      'IIF(SingleAppRoleAssignment([appRoleAssignments])="Risk team",' +
        '"e21c4d6a-8a6f-4f5f-b2c9-54cb6dce3d0d,8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41",' +
        'IIF(SingleAppRoleAssignment([appRoleAssignments])="Leavers","NONE","IGNORE"))',
    );
  });
});

describe("evaluating the expression", () => {
  const mappingYaml = `
tenant: acme
ignore: [Break glass]
roles:
  Admins: ["Vulnerability | Admin", "Risk | Manager"]
  Readers: [Read Only]
  Leavers: []
default: NONE
`;
  const expected: Record<string, Directive> = {
    "Break glass": { kind: "ignore" },
    Admins: {
      kind: "exact",
      groupIds: ["baf8a3c9-2b6f-41c7-bc69-9f84ad12c7c2", "e21c4d6a-8a6f-4f5f-b2c9-54cb6dce3d0d"],
    },
    Readers: { kind: "exact", groupIds: ["5b4e2a17-df3c-4b82-a6f2-27a119d8c441"] },
    Leavers: { kind: "clear" },
  };

  it("gives each role, through the directive parser, exactly the groups the mapping names", () => {
    const tree = parseExpression(expressionFor(mappingYaml));
    for (const [role, directive] of Object.entries(expected)) {
      const result = evaluateExpression(tree, role);
      expect(result.matchedRole).toBe(role);
      expect(parseDirective(result.userType), role).toEqual(directive);
    }
  });

  it("gives users with no role, or an unlisted one, the default", () => {
    const tree = parseExpression(expressionFor(mappingYaml));
    for (const role of [undefined, "Contractors", "admins"]) {
      const result = evaluateExpression(tree, role);
      expect(result.matchedRole).toBeUndefined();
      expect(parseDirective(result.userType)).toEqual({ kind: "clear" });
    }
  });

  it("evaluates the setup document's expression as pasted, spaces and all", () => {
    const spaced = SETUP_DOCUMENT_EXPRESSION.replaceAll(",", ", ").replaceAll("IIF(", "IIF( ");
    const tree = parseExpression(spaced);
    expect(evaluateExpression(tree, "SureCloud TPRM users").userType).toBe(
      "6bb924e6-dccd-42c6-b7e9-d02215ed3c5d",
    );
    expect(evaluateExpression(tree, "SureCloud Service Accounts").userType).toBe("IGNORE");
  });

  it("refuses an expression outside the form it reads, naming the place", () => {
    expect(() => parseExpression('IIF([department]="x","a","b")')).toThrow(
      /expected SingleAppRoleAssignment.* at character 5/,
    );
    expect(() => parseExpression('"a" & "b"')).toThrow(/expected the end of the expression at character 5/);
  });
});

describe("refusals", () => {
  it("refuses a group name not in the catalogue, listing the catalogue", () => {
    const message = refusal("tenant: acme\nroles:\n  Admins: [Risk Manager]\ndefault: NONE\n");
    expect(message).toContain('role "Admins": group "Risk Manager" is not in tenant acme\'s catalogue');
    expect(message).toContain('"Risk | Manager"');
  });

  it("refuses a groupId not in the catalogue", () => {
    expect(
      refusal("tenant: acme\nroles:\n  A: []\ndefault: [00000000-0000-4000-8000-000000000000]\n"),
    ).toContain("default: groupId 00000000-0000-4000-8000-000000000000 is not in tenant acme's catalogue");
  });

  it("refuses a name two catalogue groups answer to, and asks for the groupId", () => {
    const twins = parseTenantsFile(`
tenants:
  - id: twins
    connection: twins-entra
    surecloud: { baseUrl: "https://twins.example/api/v1", tokenEnv: SURECLOUD_TOKEN_TWINS }
    groups:
      - { groupId: 11111111-1111-4111-8111-111111111111, name: "Read Only" }
      - { groupId: 22222222-2222-4222-8222-222222222222, name: "read only" }
`);
    expect(refusal("tenant: twins\nroles:\n  Readers: [READ ONLY]\ndefault: NONE\n", twins)).toMatch(
      /group "READ ONLY" is ambiguous in tenant twins's catalogue .*11111111.*22222222.*; use the groupId/,
    );
    expect(expressionFor("tenant: twins\nroles:\n  Readers: [read only]\ndefault: NONE\n", twins)).toContain(
      '"22222222-2222-4222-8222-222222222222"',
    );
  });

  it(`refuses an expression over Entra's ${MAX_EXPRESSION_LENGTH} characters, saying how long it is`, () => {
    const roles = Array.from(
      { length: 80 },
      (_, index) => `  Role number ${index}: [Read Only, "Risk | Manager"]`,
    );
    expect(refusal(`tenant: acme\nroles:\n${roles.join("\n")}\ndefault: NONE\n`)).toMatch(
      /the expression for tenant acme is \d{5} characters; Entra accepts at most 10000/,
    );
  });

  it("refuses an unknown tenant, a role both ignored and mapped, a quote in a role, and a bad default", () => {
    expect(refusal("tenant: nobody\nroles:\n  A: []\ndefault: NONE\n")).toContain(
      'tenant "nobody" is not in the tenants file (it has: acme)',
    );
    expect(() =>
      parseRoleMapping("tenant: acme\nignore: [A]\nroles:\n  A: []\ndefault: NONE\n", "m.yaml"),
    ).toThrow('m.yaml: ignore.0: "A" is also listed under roles');
    expect(() =>
      parseRoleMapping("tenant: acme\nroles:\n  'Say \"hi\"': []\ndefault: NONE\n", "m.yaml"),
    ).toThrow("must not contain a double quote");
    expect(() => parseRoleMapping("tenant: acme\nroles:\n  A: []\ndefault: everyone\n", "m.yaml")).toThrow(
      "must be IGNORE, NONE or a list of groups",
    );
  });
});
