// The role -> groups union for tenants whose directive comes from Entra app roles: what a person with
// one, several, an IGNORE, no mapped or an unknown role ends up with in SureCloud.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeRoleDirective, directiveForRoles } from "../../shared/roleDirective.js";
import { parseRoleMapping, type ResolvedRoleMapping, resolveRoleMapping } from "../../shared/roleMapping.js";
import { parseTenantsFile } from "../../shared/tenants.js";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "examples");
const tenants = parseTenantsFile(readFileSync(join(examples, "acme-tenants.yaml"), "utf8"));

const BREACH = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";
const RISK = "e21c4d6a-8a6f-4f5f-b2c9-54cb6dce3d0d";
const READ_ONLY = "5b4e2a17-df3c-4b82-a6f2-27a119d8c441";
const PLATFORM = "4e315da2-e7e1-48ec-ada2-86bd949c6baa";

function mapping(defaultLine = 'default: ["Platform | User"]'): ResolvedRoleMapping {
  const yaml = `
tenant: acme
ignore: [Break Glass]
roles:
  Risk Manager: ["Risk | Manager", "Read Only"]
  Breach Reporter: ["Privacy | Breach Reporter", "Read Only"]
  Leaver: []
${defaultLine}
`;
  return resolveRoleMapping(parseRoleMapping(yaml, "mapping.yaml"), tenants, "mapping.yaml");
}

describe("the groups a person's app roles give", () => {
  it("one role: exactly its groups", () => {
    const result = directiveForRoles(mapping(), ["Risk Manager"]);
    expect(result.directive).toEqual({ kind: "exact", groupIds: [RISK, READ_ONLY] });
    expect(result.contributions).toEqual([
      { role: "Risk Manager", directive: { kind: "exact", groupIds: [RISK, READ_ONLY] } },
    ]);
    expect(result.usedDefault).toBe(false);
  });

  it("two roles with an overlapping group: the union, each group once", () => {
    const result = directiveForRoles(mapping(), ["Risk Manager", "Breach Reporter"]);
    expect(result.directive).toEqual({ kind: "exact", groupIds: [RISK, READ_ONLY, BREACH] });
    expect(result.contributions.map((c) => c.role)).toEqual(["Risk Manager", "Breach Reporter"]);
  });

  it("the same union whatever order Entra sends the roles in", () => {
    const forwards = directiveForRoles(mapping(), ["Risk Manager", "Breach Reporter"]).directive;
    const backwards = directiveForRoles(mapping(), [
      "Breach Reporter",
      "Risk Manager",
      "Risk Manager",
    ]).directive;
    expect(forwards.kind === "exact" && new Set(forwards.groupIds)).toEqual(
      backwards.kind === "exact" && new Set(backwards.groupIds),
    );
  });

  it("an IGNORE role with others: the whole person is IGNORE", () => {
    const result = directiveForRoles(mapping(), ["Risk Manager", "Break Glass", "Breach Reporter"]);
    expect(result.directive).toEqual({ kind: "ignore" });
  });

  it("a role mapped to no groups adds nothing; alone it removes every group", () => {
    expect(directiveForRoles(mapping(), ["Leaver", "Risk Manager"]).directive).toEqual({
      kind: "exact",
      groupIds: [RISK, READ_ONLY],
    });
    expect(directiveForRoles(mapping(), ["Leaver"]).directive).toEqual({ kind: "clear" });
  });

  it("no mapped role: the mapping's default (groups, IGNORE or NONE)", () => {
    expect(directiveForRoles(mapping(), []).directive).toEqual({ kind: "exact", groupIds: [PLATFORM] });
    expect(directiveForRoles(mapping(), []).usedDefault).toBe(true);
    expect(directiveForRoles(mapping("default: IGNORE"), []).directive).toEqual({ kind: "ignore" });
    expect(directiveForRoles(mapping("default: none"), []).directive).toEqual({ kind: "clear" });
  });

  it("an unknown role is left out of the union and reported, never guessed", () => {
    const result = directiveForRoles(mapping(), ["Risk Manager", "Auditor", "Auditor"]);
    expect(result.directive).toEqual({ kind: "exact", groupIds: [RISK, READ_ONLY] });
    expect(result.unknownRoles).toEqual(["Auditor"]);
    expect(result.nearMisses).toEqual([]);
  });

  it("only unknown roles: the default applies, and the unknown roles are still reported", () => {
    const result = directiveForRoles(mapping(), ["Auditor"]);
    expect(result.directive).toEqual({ kind: "exact", groupIds: [PLATFORM] });
    expect(result.usedDefault).toBe(true);
    expect(result.unknownRoles).toEqual(["Auditor"]);
  });

  it("matches exactly: letter case and spaces are near misses with a did-you-mean", () => {
    const result = directiveForRoles(mapping(), ["risk manager", "BreachReporter ", "Break  Glass"]);
    expect(result.contributions).toEqual([]);
    expect(result.directive).toEqual({ kind: "exact", groupIds: [PLATFORM] });
    expect(result.nearMisses).toEqual([
      { role: "risk manager", didYouMean: "Risk Manager" },
      { role: "BreachReporter ", didYouMean: "Breach Reporter" },
      { role: "Break  Glass", didYouMean: "Break Glass" },
    ]);
    expect(describeRoleDirective(result)).toContain('"risk manager": did you mean "Risk Manager"?');
  });

  it("says which role gave which groups", () => {
    const text = describeRoleDirective(directiveForRoles(mapping(), ["Risk Manager", "Leaver", "Auditor"]));
    expect(text).toBe(
      `"Risk Manager" -> ${RISK},${READ_ONLY}; "Leaver" -> NONE; not in the mapping: "Auditor"`,
    );
  });
});
