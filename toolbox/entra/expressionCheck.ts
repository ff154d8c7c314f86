// Checks a userType expression copied back out of Entra against the one generated from the role
// mapping: what it gives each mapped role and a user with none (evaluated as the CLI does), the
// roles it tests that differ from a mapped one only in letter case or spaces, and the roles it skips.
import { ConfigError } from "../../shared/errors.js";
import { directiveForRoles, type RoleNearMiss } from "../../shared/roleDirective.js";
import { type ExpressionNode, parseExpression, rolesTested } from "./expressionEvaluator.js";
import type { KitData } from "./kitPage/kitData.js";
import { sameEffect, type UserTypeOutcome, userTypeOutcome } from "./roleSetEvaluation.js";

export interface CheckRow {
  /** A mapped role; undefined for a user with none of them. */
  role: string | undefined;
  expected: UserTypeOutcome;
  actual: UserTypeOutcome;
  same: boolean;
}

export type ExpressionCheck =
  | { readable: false; problem: string }
  | {
      readable: true;
      /** The pasted text is the generated expression (blanks around it aside). */
      identical: boolean;
      /** Every mapped role, then no role, and what each gets from both expressions. */
      rows: CheckRow[];
      /** Roles the expression tests that a mapped role matches only ignoring case and spaces. */
      nearMisses: RoleNearMiss[];
      /** Roles the expression tests that the mapping does not name at all. */
      unknownRoles: string[];
      /** Mapped roles the expression never tests: their users get its default. */
      untested: string[];
    };

/** True when the pasted expression gives every user what the generated one gives. */
export function checkPasses(check: ExpressionCheck): boolean {
  return check.readable && check.rows.every((row) => row.same) && check.nearMisses.length === 0;
}

export function checkExpression(text: string, kit: KitData): ExpressionCheck {
  let pasted: ExpressionNode;
  try {
    pasted = parseExpression(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { readable: false, problem: error.message };
  }
  const generated = parseExpression(kit.expression);
  const mapped = kit.table.rules.map((rule) => rule.role);
  const rows = [...mapped, undefined].map((role) => {
    const expected = userTypeOutcome(generated, role, kit.tenant);
    const actual = userTypeOutcome(pasted, role, kit.tenant);
    return { role, expected, actual, same: sameEffect(actual, expected) };
  });
  const tested = rolesTested(pasted);
  const { nearMisses, unknownRoles } = directiveForRoles(kit.table, tested);
  const nearMissed = new Set(nearMisses.map((miss) => miss.role));
  return {
    readable: true,
    identical: text.trim() === kit.expression,
    rows,
    nearMisses,
    unknownRoles: unknownRoles.filter((role) => !nearMissed.has(role)),
    untested: mapped.filter((role) => !tested.includes(role)),
  };
}
