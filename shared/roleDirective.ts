// The group directive of a tenant whose source is the user's Entra app roles (`directiveSource: roles`):
// the union of the groups of every mapped role; any IGNORE role makes the whole user IGNORE; no mapped
// role gives the mapping's default. Roles the mapping does not name are left out and reported, never
// guessed. Pure, and only type imports: an administrator's browser page bundles it as it is.
import type { Directive } from "./directive.js";

/** One app role, the userType value its users get, and the same as a directive (for the union). */
export interface RoleRule {
  role: string;
  userType: string;
  directive: Directive;
}

/** What a mapping says, with groups resolved to catalogue groupIds: what the worker applies. */
export interface RoleTable {
  /** IGNORE roles first, then the mapped roles in file order. */
  rules: RoleRule[];
  /** For users with no listed role. */
  defaultUserType: string;
  defaultDirective: Directive;
}

/** A role the user has that the mapping does not name, but one it does name differs only in case or spaces. */
export interface RoleNearMiss {
  role: string;
  didYouMean: string;
}

/** One mapped role the user has, and what it gives on its own. */
export interface RoleContribution {
  role: string;
  directive: Directive;
}

export interface RoleDirective {
  /** What the worker applies. */
  directive: Directive;
  /** Every mapped role the user has, in the order the user's roles came. */
  contributions: RoleContribution[];
  /** True when no role of the user's is mapped, so the mapping's default applies. */
  usedDefault: boolean;
  /** The user's roles the mapping does not name (each once), left out of the union. */
  unknownRoles: string[];
  /** The unknown roles that look like a mapped one (letter case, spaces). */
  nearMisses: RoleNearMiss[];
}

/**
 * Applies a resolved role mapping (a ResolvedRoleMapping, or a tenant's loaded RoleTable) to a user's
 * role names. Matching is exact.
 */
export function directiveForRoles(mapping: RoleTable, roleNames: readonly string[]): RoleDirective {
  const byRole = new Map<string, RoleRule>(mapping.rules.map((rule) => [rule.role, rule]));
  const contributions: RoleContribution[] = [];
  const unknownRoles: string[] = [];
  const seen = new Set<string>();
  for (const role of roleNames) {
    if (seen.has(role)) continue;
    seen.add(role);
    const rule = byRole.get(role);
    if (rule) contributions.push({ role, directive: rule.directive });
    else unknownRoles.push(role);
  }
  return {
    directive: contributions.length === 0 ? mapping.defaultDirective : union(contributions),
    contributions,
    usedDefault: contributions.length === 0,
    unknownRoles,
    nearMisses: nearMisses(unknownRoles, mapping.rules),
  };
}

/** One line for people: which roles gave what, and what was left out. */
export function describeRoleDirective(result: Omit<RoleDirective, "directive">): string {
  const parts =
    result.contributions.length === 0
      ? ["no mapped role: the mapping's default"]
      : result.contributions.map(({ role, directive }) => `"${role}" -> ${directiveWord(directive)}`);
  if (result.unknownRoles.length > 0) {
    parts.push(`not in the mapping: ${result.unknownRoles.map((role) => `"${role}"`).join(", ")}`);
  }
  for (const miss of result.nearMisses) parts.push(`"${miss.role}": did you mean "${miss.didYouMean}"?`);
  return parts.join("; ");
}

/** IGNORE, NONE, or the groupIds joined by commas: the directive as a userType value would say it. */
export function directiveWord(directive: Directive): string {
  switch (directive.kind) {
    case "ignore":
      return "IGNORE";
    case "clear":
      return "NONE";
    case "exact":
      return directive.groupIds.join(",");
    default: {
      const never: never = directive;
      throw new Error(`unhandled directive ${JSON.stringify(never)}`);
    }
  }
}

function union(contributions: readonly RoleContribution[]): Directive {
  const groupIds: string[] = [];
  for (const { directive } of contributions) {
    // One IGNORE role (a service account, break-glass) means SureCloud must leave the user alone.
    if (directive.kind === "ignore") return { kind: "ignore" };
    if (directive.kind === "exact") {
      for (const id of directive.groupIds) if (!groupIds.includes(id)) groupIds.push(id);
    }
  }
  return groupIds.length === 0 ? { kind: "clear" } : { kind: "exact", groupIds };
}

/** Letter case and spaces (any whitespace, anywhere) are what people get wrong typing a role name. */
function looseName(role: string): string {
  return role.replace(/\s+/g, "").toLowerCase();
}

function nearMisses(unknownRoles: readonly string[], rules: readonly RoleRule[]): RoleNearMiss[] {
  const misses: RoleNearMiss[] = [];
  for (const role of unknownRoles) {
    const match = rules.find((rule) => looseName(rule.role) === looseName(role));
    if (match) misses.push({ role, didYouMean: match.role });
  }
  return misses;
}
