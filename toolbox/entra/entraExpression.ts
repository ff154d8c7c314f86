// The Entra attribute-mapping expression for SCIM `userType`: nested
// IIF(SingleAppRoleAssignment([appRoleAssignments])="<role>","<userType>",…), the form the SureCloud
// setup document uses, built from a resolved role mapping.
import { ConfigError } from "../../shared/errors.js";
import type { ResolvedRoleMapping } from "../../shared/roleMapping.js";

/** Entra refuses a mapping expression longer than this. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** The function Entra evaluates to one of the user's app roles (one, even when there are several). */
export const ROLE_FUNCTION = "SingleAppRoleAssignment([appRoleAssignments])";

/** Builds the expression; refuses one Entra would not save. */
export function buildExpression(mapping: ResolvedRoleMapping): string {
  let expression = literal(mapping.defaultUserType);
  for (const rule of [...mapping.rules].reverse()) {
    expression = `IIF(${ROLE_FUNCTION}=${literal(rule.role)},${literal(rule.userType)},${expression})`;
  }
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ConfigError(
      `the expression for tenant ${mapping.tenant.id} is ${expression.length} characters; Entra accepts at most ` +
        `${MAX_EXPRESSION_LENGTH}. Map fewer app roles, or give roles that share groups one app role.`,
    );
  }
  return expression;
}

/** Role names and userType values never hold `"` or `\` (the mapping file refuses them). */
function literal(text: string): string {
  return `"${text}"`;
}
