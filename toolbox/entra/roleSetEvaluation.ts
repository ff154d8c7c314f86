// What a user holding a set of Entra app roles gets from each directive source. With `userType`,
// Entra's SingleAppRoleAssignment returns one of the user's roles (which one is not defined when there
// are several, and Microsoft calls that case unsupported), so each role's result is a possible
// outcome. With `roles`, the worker applies the union rule of shared/roleDirective.ts.
import type { Directive } from "../../shared/directive.js";
import type { RoleTable } from "../../shared/roleDirective.js";
import { directiveForRoles, directiveWord, type RoleDirective } from "../../shared/roleDirective.js";
import { type DirectiveExplanation, explainDirective } from "../ops/explainDirective.js";
import { type ExpressionNode, evaluateExpression } from "./expressionEvaluator.js";
import type { KitTenant } from "./kitPage/kitData.js";

/** What the expression gives a user whose single app role is `role` (undefined: none). */
export interface UserTypeOutcome {
  role: string | undefined;
  userType: string;
  /** The IIF that matched; undefined when the expression's default applied. */
  matchedRole: string | undefined;
  /** Entra sends no value for an empty result, so SureCloud would see no directive at all. */
  empty: boolean;
  explanation: DirectiveExplanation;
}

export interface RoleSetEvaluation {
  roles: string[];
  /** `userType` source: one possible outcome per role Entra may pick; one, role undefined, for none. */
  singleAssignment: UserTypeOutcome[];
  /** Several roles: SingleAppRoleAssignment is unsupported and its pick unpredictable. */
  severalRoles: boolean;
  /** The possible `userType` outcomes differ, so the user's groups depend on Entra's pick. */
  outcomesDiffer: boolean;
  /** `roles` source: the union rule, and what its directive does in this tenant. */
  rolesSource: { result: RoleDirective; explanation: DirectiveExplanation };
}

export function userTypeOutcome(
  tree: ExpressionNode,
  role: string | undefined,
  tenant: KitTenant,
): UserTypeOutcome {
  const { userType, matchedRole } = evaluateExpression(tree, role);
  return {
    role,
    userType,
    matchedRole,
    empty: userType === "",
    explanation: explainDirective(userType, tenant),
  };
}

export function evaluateRoleSet(
  tree: ExpressionNode,
  table: RoleTable,
  tenant: KitTenant,
  roleNames: readonly string[],
): RoleSetEvaluation {
  const roles = [...new Set(roleNames)];
  const picks = roles.length === 0 ? [undefined] : roles;
  const singleAssignment = picks.map((role) => userTypeOutcome(tree, role, tenant));
  const result = directiveForRoles(table, roles);
  return {
    roles,
    singleAssignment,
    severalRoles: roles.length > 1,
    outcomesDiffer: singleAssignment.some((outcome) => !sameEffect(outcome, singleAssignment[0])),
    rolesSource: { result, explanation: explainDirective(directiveWord(result.directive), tenant) },
  };
}

/** Two outcomes do the same to a user: the same directive, or the same refused or empty value. */
export function sameEffect(a: UserTypeOutcome, b: UserTypeOutcome | undefined): boolean {
  if (!b) return false;
  const [left, right] = [a.explanation.directive, b.explanation.directive];
  if (left && right && !a.empty && !b.empty) return effectKey(left) === effectKey(right);
  return a.userType === b.userType;
}

function effectKey(directive: Directive): string {
  return directive.kind === "exact" ? [...directive.groupIds].sort().join(",") : directive.kind;
}
