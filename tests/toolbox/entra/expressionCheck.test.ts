// The checks behind the kit page's checker and evaluator, without a browser: what a pasted expression
// gets wrong (a role skipped, an unknown role, an empty result), and when several roles' possible
// results under SingleAppRoleAssignment differ.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseRoleMapping, resolveRoleMapping } from "../../../shared/roleMapping.js";
import { parseTenantsFile } from "../../../shared/tenants.js";
import { checkExpression, checkPasses } from "../../../toolbox/entra/expressionCheck.js";
import { parseExpression } from "../../../toolbox/entra/expressionEvaluator.js";
import { makeKitData } from "../../../toolbox/entra/kitPage/kitData.js";
import { jsonForScript } from "../../../toolbox/entra/kitPage/renderKitPage.js";
import { evaluateRoleSet } from "../../../toolbox/entra/roleSetEvaluation.js";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "examples");
const tenants = parseTenantsFile(readFileSync(join(examples, "acme-tenants.yaml"), "utf8"));
const kit = makeKitData(
  resolveRoleMapping(
    parseRoleMapping(
      `
tenant: acme
roles:
  Readers: [Read Only]
  Also readers: [Read Only]
  Risk: ["Risk | Manager"]
default: NONE
`,
      "mapping",
    ),
    tenants,
  ),
);
const iif = (role: string, then: string, otherwise: string) =>
  `IIF(SingleAppRoleAssignment([appRoleAssignments])="${role}",${then},${otherwise})`;

describe("checking a pasted expression", () => {
  it("passes the generated expression, and names a role it skips or does not know", () => {
    expect(checkPasses(checkExpression(kit.expression, kit))).toBe(true);
    const pasted = iif(
      "Readers",
      '"5b4e2a17-df3c-4b82-a6f2-27a119d8c441"',
      iif("Auditors", '"IGNORE"', '"NONE"'),
    );
    const check = checkExpression(pasted, kit);
    expect(check.readable && check.untested).toEqual(["Also readers", "Risk"]);
    expect(check.readable && check.unknownRoles).toEqual(["Auditors"]);
    expect(check.readable && check.rows.filter((row) => !row.same).map((row) => row.role)).toEqual([
      "Also readers",
      "Risk",
    ]);
    expect(checkPasses(check)).toBe(false);
  });

  it("fails an empty result, which Entra never sends", () => {
    const check = checkExpression(iif("Readers", '""', kit.expression), kit);
    const row = check.readable ? check.rows.find((candidate) => candidate.role === "Readers") : undefined;
    expect(row?.actual.empty).toBe(true);
    expect(row?.same).toBe(false);
  });
});

describe("several roles under SingleAppRoleAssignment", () => {
  const tree = parseExpression(kit.expression);

  it("says the possible results differ only when they do", () => {
    const same = evaluateRoleSet(tree, kit.table, kit.tenant, ["Readers", "Also readers"]);
    expect(same.severalRoles).toBe(true);
    expect(same.outcomesDiffer).toBe(false);
    expect(evaluateRoleSet(tree, kit.table, kit.tenant, ["Readers", "Risk"]).outcomesDiffer).toBe(true);
  });

  it("counts an unmapped role as a possible pick that gets the default", () => {
    const result = evaluateRoleSet(tree, kit.table, kit.tenant, ["Risk", "Contractors"]);
    expect(result.singleAssignment.map((outcome) => outcome.userType)).toEqual([
      "e21c4d6a-8a6f-4f5f-b2c9-54cb6dce3d0d",
      "NONE",
    ]);
    expect(result.rolesSource.result.unknownRoles).toEqual(["Contractors"]);
  });
});

describe("the page's data", () => {
  it("reads back unchanged and never holds what could end its script element", () => {
    const value = { name: "</script><!-- & \u2028" };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
