// What a set of Entra app roles gives a user of a tenant, for `surecloud-sync explain --role`: under
// `directiveSource: roles` (the union, as the worker computes it) and under `userType` (the expression
// the role mapping builds, where SingleAppRoleAssignment hands Entra one of the roles, unpredictably).
import { type Directive, describeDirective } from "../../shared/directive.js";
import type { RoleTable } from "../../shared/roleDirective.js";
import { directiveForRoles, type RoleNearMiss } from "../../shared/roleDirective.js";
import type { Tenant } from "../../shared/tenants.js";

export interface NamedGroup {
  groupId: string;
  name: string;
}

export interface SourceAnswer {
  directive: Directive;
  meaning: string;
  groups: NamedGroup[];
}

export interface RolesExplanation {
  tenantId: string;
  /** The tenant's own source today. */
  directiveSource: Tenant["directiveSource"];
  roles: string[];
  /** `directiveSource: roles`: the union of every mapped role's groups. */
  rolesSource: SourceAnswer & {
    contributions: Array<{ role: string } & SourceAnswer>;
    usedDefault: boolean;
    unknownRoles: string[];
    nearMisses: RoleNearMiss[];
  };
  /** `directiveSource: userType`: what each role alone gives (Entra picks one when there are several). */
  userTypeSource: Array<{ role: string | null } & SourceAnswer>;
}

export function explainRoles(tenant: Tenant, table: RoleTable, roles: readonly string[]): RolesExplanation {
  const names = new Map(tenant.groups.map((group) => [group.groupId, group.name]));
  const answer = (directive: Directive): SourceAnswer => ({
    directive,
    meaning: describeDirective(directive),
    groups: (directive.kind === "exact" ? directive.groupIds : []).map((groupId) => ({
      groupId,
      name: names.get(groupId) ?? "?",
    })),
  });
  const { directive, contributions, ...rest } = directiveForRoles(table, roles);
  // Under userType, a user with no mapped role gets the expression's default; with several, any one of them.
  const picks = contributions.length === 0 ? [null] : contributions.map(({ role }) => role);
  return {
    tenantId: tenant.id,
    directiveSource: tenant.directiveSource,
    roles: [...roles],
    rolesSource: {
      ...answer(directive),
      contributions: contributions.map((given) => ({ role: given.role, ...answer(given.directive) })),
      ...rest,
    },
    userTypeSource: picks.map((role) => ({
      role,
      ...answer(role === null ? table.defaultDirective : directiveForRoles(table, [role]).directive),
    })),
  };
}
