// What `surecloud-tenant expression` prints: what one app role (or none) gets, what a user with several
// roles gets from each directive source, and the check of an expression copied back out of Entra.
// Each returns the exit code: 1 when the worker would refuse a user, or the expression or a role name
// is not what the mapping says.
import { describeRoleDirective, directiveWord } from "../../../shared/roleDirective.js";
import type { CliIo } from "../../../toolbox/cli/command.js";
import { formatTable } from "../../../toolbox/cli/table.js";
import { checkExpression, checkPasses } from "../../../toolbox/entra/expressionCheck.js";
import type { ExpressionNode } from "../../../toolbox/entra/expressionEvaluator.js";
import type { KitData, KitTenant } from "../../../toolbox/entra/kitPage/kitData.js";
import {
  evaluateRoleSet,
  type UserTypeOutcome,
  userTypeOutcome,
} from "../../../toolbox/entra/roleSetEvaluation.js";
import type { DirectiveExplanation } from "../../../toolbox/ops/explainDirective.js";

const INDENT = "           ";

/** `Effect:` lines for one userType value; `refused` when the worker would fail the user's job. */
function effectLines(
  explanation: DirectiveExplanation,
  empty: boolean,
): { lines: string[]; refused: boolean } {
  if (empty) {
    return {
      lines: [
        "Effect:    Entra sends no value for an empty result; SureCloud would see no directive. Use NONE.",
      ],
      refused: true,
    };
  }
  const { directive, failure } = explanation;
  if (!directive) {
    return {
      lines: [`Effect:    the worker would refuse this user (${failure?.reason}): ${failure?.message}`],
      refused: true,
    };
  }
  if (directive.kind !== "exact") return { lines: [`Effect:    ${explanation.meaning}`], refused: false };
  const groups = explanation.tenant?.groups ?? [];
  const lines = [
    `Effect:    exactly these ${directive.groupIds.length} group(s); any other membership is removed:`,
    ...groups.map(
      (group) =>
        `${INDENT}${group.groupId}  ${group.name ?? `NOT in tenant ${explanation.tenant?.id}'s catalogue`}`,
    ),
  ];
  if (failure) lines.push("The worker would refuse this user (unknown-group) and change nothing.");
  return { lines, refused: failure !== undefined };
}

/** What a user whose single app role is `role` (undefined: none) gets from the expression. */
export function printOneRole(
  tree: ExpressionNode,
  role: string | undefined,
  kit: KitData,
  io: CliIo,
): number {
  const outcome = userTypeOutcome(tree, role, kit.tenant);
  io.out(
    `App role:  ${role === undefined ? "(none)" : role}${outcome.matchedRole ? "" : "  (no IIF matches: the default applies)"}`,
  );
  io.out(`userType:  ${outcome.userType}`);
  const effect = effectLines(outcome.explanation, outcome.empty);
  for (const line of effect.lines) io.out(line);
  const miss = nearMissLines(kit, role === undefined ? [] : [role]);
  for (const line of miss) io.out(line);
  return effect.refused || miss.length > 0 ? 1 : 0;
}

/** A user holding several roles: each role Entra's userType may pick, and the roles source's union. */
export function printRoleSet(tree: ExpressionNode, roles: string[], kit: KitData, io: CliIo): number {
  const evaluation = evaluateRoleSet(tree, kit.table, kit.tenant, roles);
  let refused = false;
  io.out(`App roles: ${evaluation.roles.join(", ")}`);
  io.out("");
  io.out("directiveSource userType: Entra's SingleAppRoleAssignment picks ONE of the user's roles, and");
  io.out("which one is not defined (Microsoft does not support several). Each possible result:");
  for (const outcome of evaluation.singleAssignment) {
    io.out("");
    refused = printOutcome(outcome, io) || refused;
  }
  io.out("");
  io.out(
    evaluation.outcomesDiffer
      ? "These differ: this user's groups would depend on Entra's pick. Give each user one role, or use directiveSource: roles."
      : "These agree: whichever role Entra picks, the user gets the same groups.",
  );
  io.out("");
  const { result, explanation } = evaluation.rolesSource;
  io.out("directiveSource roles: the union of the groups of every mapped role (any IGNORE role: IGNORE).");
  io.out(`Roles:     ${describeRoleDirective(result)}`);
  io.out(`userType:  ${directiveWord(result.directive)}`);
  const effect = effectLines(explanation, false);
  for (const line of effect.lines) io.out(line);
  const miss = nearMissLines(kit, evaluation.roles);
  for (const line of miss) io.out(line);
  return refused || effect.refused || miss.length > 0 ? 1 : 0;
}

function printOutcome(outcome: UserTypeOutcome, io: CliIo): boolean {
  const matched = outcome.matchedRole ? "" : "  (no IIF matches: the default applies)";
  const effect = effectLines(outcome.explanation, outcome.empty);
  for (const line of [
    `If Entra picks "${outcome.role}"${matched}:`,
    `userType:  ${outcome.userType}`,
    ...effect.lines,
  ]) {
    io.out(line);
  }
  return effect.refused;
}

/** Role names given on the command line that the mapping names only in another letter case or spacing. */
function nearMissLines(kit: KitData, roles: readonly string[]): string[] {
  const known = new Set(kit.table.rules.map((rule) => rule.role));
  return roles
    .filter((role) => !known.has(role))
    .flatMap((role) => {
      const match = kit.table.rules.find((rule) => looseName(rule.role) === looseName(role));
      return match
        ? [
            `"${role}" is not a role of the mapping; did you mean "${match.role}"? Entra compares role names exactly, so a user with "${role}" gets the default.`,
          ]
        : [];
    });
}

function looseName(role: string): string {
  return role.replace(/\s+/g, "").toLowerCase();
}

/** Checks an expression copied out of Entra: every mapped role and no role, against the mapping. */
export function printCheck(text: string, kit: KitData, io: CliIo): number {
  const check = checkExpression(text, kit);
  if (!check.readable) {
    io.out(`Cannot read the expression: ${check.problem}`);
    return 1;
  }
  const rows = check.rows.map((row) => [
    row.role ?? "(no role)",
    shortEffect(row.actual, kit.tenant),
    row.same ? "yes" : `NO: the mapping gives ${shortEffect(row.expected, kit.tenant)}`,
  ]);
  io.out(formatTable(["APP ROLE", "THIS EXPRESSION GIVES", "AS THE MAPPING SAYS"], rows));
  const notes: string[] = [];
  for (const miss of check.nearMisses) {
    notes.push(
      `It tests "${miss.role}": did you mean "${miss.didYouMean}"? Entra compares role names exactly, so users with that role get the default.`,
    );
  }
  for (const role of check.unknownRoles) notes.push(`It tests "${role}", which the mapping does not name.`);
  for (const role of check.untested) {
    notes.push(`It never tests "${role}": users with that role get the expression's default.`);
  }
  if (notes.length > 0) io.out(["", ...notes].join("\n"));
  const passes = checkPasses(check);
  io.out("");
  io.out(
    passes
      ? `OK: the expression gives every role what the mapping says${check.identical ? " (it is the generated expression, character for character)" : ""}.`
      : "The expression does not give every role what the mapping says: fix it in Entra, or paste the generated one.",
  );
  return passes ? 0 : 1;
}

/** One cell: the groups by name, IGNORE/NONE in words, or how the worker would refuse it. */
function shortEffect(outcome: UserTypeOutcome, tenant: KitTenant): string {
  if (outcome.empty) return "no value (Entra sends nothing)";
  const { directive, failure } = outcome.explanation;
  if (!directive) return `REFUSED (${failure?.reason}): ${outcome.userType}`;
  if (directive.kind === "ignore") return "IGNORE (groups unchanged)";
  if (directive.kind === "clear") return "NONE (all groups removed)";
  const names = directive.groupIds.map(
    (id) => tenant.groups.find((group) => group.groupId === id)?.name ?? `${id} (NOT in the catalogue)`,
  );
  return failure ? `REFUSED (${failure.reason}): ${names.join(", ")}` : names.join(", ");
}
