// HTML for what a role, a set of roles or a pasted expression gives: the same functions render the
// page's static role table (in Node) and its evaluator and checker (in the browser), so both agree.
import { directiveWord } from "../../../shared/roleDirective.js";
import type { DirectiveExplanation } from "../../ops/explainDirective.js";
import { checkPasses, type ExpressionCheck } from "../expressionCheck.js";
import type { RoleSetEvaluation, UserTypeOutcome } from "../roleSetEvaluation.js";

const characters: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => characters[character] ?? character);
}

export function roleLabel(role: string | undefined): string {
  return role === undefined ? "(no role)" : role;
}

export function outcomeHtml(outcome: UserTypeOutcome): string {
  if (outcome.empty) {
    return effect(
      "empty",
      "Entra sends no value for an empty result, so SureCloud sees no directive. Use NONE.",
    );
  }
  return explanationHtml(outcome.explanation);
}

export function explanationHtml(explanation: DirectiveExplanation): string {
  if (explanation.failure) {
    const { reason, message } = explanation.failure;
    return effect("refused", `The worker refuses this user (${reason}) and changes nothing: ${message}`);
  }
  switch (explanation.directive?.kind) {
    case "ignore":
      return effect("ignore", "IGNORE: SureCloud leaves this user's groups as they are");
    case "clear":
      return effect("clear", "NONE: every SureCloud group is removed");
    default: {
      const items = (explanation.tenant?.groups ?? []).map(
        (group) =>
          `<li data-group-id="${escapeHtml(group.groupId)}">${escapeHtml(group.name ?? "(not in the catalogue)")}` +
          ` <code>${escapeHtml(group.groupId)}</code></li>`,
      );
      return `<div class="outcome" data-effect="exact"><ul class="groups">${items.join("")}</ul></div>`;
    }
  }
}

/** `source`: the tenant's own directive source, marked as theirs. */
export function evaluationHtml(evaluation: RoleSetEvaluation, source: "userType" | "roles"): string {
  const { singleAssignment, severalRoles, outcomesDiffer, rolesSource } = evaluation;
  const warning = severalRoles
    ? `<p class="warn" data-warning="several-roles">Entra's <code>SingleAppRoleAssignment</code> returns one of these ` +
      `${singleAssignment.length} roles, and which one is not defined: Microsoft does not support it for users ` +
      `with several app roles. Each row is a possible result${
        outcomesDiffer ? "; they differ, so this user's groups could change from one cycle to the next." : "."
      }</p>`
    : "";
  const rows = singleAssignment.map(
    (outcome) =>
      `<tr><td>${escapeHtml(roleLabel(outcome.role))}</td><td><code>${escapeHtml(outcome.userType)}</code></td>` +
      `<td>${outcomeHtml(outcome)}</td></tr>`,
  );
  const { result } = rolesSource;
  const notes = [
    ...result.contributions.map(
      (contribution) =>
        `<li>${escapeHtml(contribution.role)}: <code>${escapeHtml(directiveWord(contribution.directive))}</code></li>`,
    ),
    ...(result.usedDefault ? ["<li>No mapped role: the mapping's default applies.</li>"] : []),
    ...(result.contributions.some((contribution) => contribution.directive.kind === "ignore")
      ? ["<li>An IGNORE role makes the whole user IGNORE.</li>"]
      : []),
    ...result.unknownRoles.map(
      (role) =>
        `<li class="warn">${escapeHtml(role)}: not in the mapping; left out and reported to SureCloud.</li>`,
    ),
    ...result.nearMisses.map((miss) => nearMissHtml(miss.role, miss.didYouMean)),
  ];
  const yours = (which: typeof source) => (which === source ? " <b>(your organisation's setting)</b>" : "");
  return (
    `<div class="source" data-source="userType"><h4>Source <code>userType</code> (the expression)${yours("userType")}</h4>` +
    warning +
    `<table><thead><tr><th>Role Entra picks</th><th>userType</th><th>Result</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div>` +
    `<div class="source" data-source="roles"><h4>Source <code>roles</code> (every app role sent)${yours("roles")}</h4>` +
    `<p>The union of the groups of every mapped role the user holds.</p><ul class="notes">${notes.join("")}</ul>` +
    `${explanationHtml(rolesSource.explanation)}</div>`
  );
}

export function checkHtml(check: ExpressionCheck): string {
  if (!check.readable) return verdict("unreadable", "bad", check.problem);
  const differing = check.rows.filter((row) => !row.same).length;
  const head = check.identical
    ? verdict("identical", "good", "Matches: identical to the generated expression.")
    : checkPasses(check)
      ? verdict("same", "good", "Matches: every role gets the same result as with the generated expression.")
      : verdict(
          "differs",
          "bad",
          `Does not match: ${differing} of ${check.rows.length} cases get something else than the generated expression gives.`,
        );
  const notes = [
    ...check.nearMisses.map((miss) => nearMissHtml(miss.role, miss.didYouMean)),
    ...check.unknownRoles.map(
      (role) =>
        `<li data-unknown-role="${escapeHtml(role)}">"${escapeHtml(role)}" is not a role in the mapping.</li>`,
    ),
    ...check.untested.map(
      (role) =>
        `<li data-untested="${escapeHtml(role)}">"${escapeHtml(role)}" is never tested: its users get the default.</li>`,
    ),
  ];
  const rows = check.rows.map(
    (row) =>
      `<tr data-same="${row.same}" class="${row.same ? "" : "differs"}"><td>${escapeHtml(roleLabel(row.role))}</td>` +
      `<td>${outcomeHtml(row.expected)}</td><td>${outcomeHtml(row.actual)}</td><td>${row.same ? "same" : "DIFFERENT"}</td></tr>`,
  );
  return (
    head +
    (notes.length > 0 ? `<ul class="notes">${notes.join("")}</ul>` : "") +
    `<table><thead><tr><th>App role</th><th>Generated gives</th><th>Pasted gives</th><th></th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

function nearMissHtml(role: string, didYouMean: string): string {
  return (
    `<li class="warn" data-near-miss="${escapeHtml(role)}" data-did-you-mean="${escapeHtml(didYouMean)}">` +
    `"${escapeHtml(role)}" is not a mapped role: did you mean "${escapeHtml(didYouMean)}"? ` +
    `Entra compares role names exactly, letter case and spaces included.</li>`
  );
}

function effect(kind: string, text: string): string {
  const tone = kind === "refused" || kind === "empty" ? " bad" : "";
  return `<div class="outcome${tone}" data-effect="${kind}">${escapeHtml(text)}</div>`;
}

function verdict(kind: string, tone: "good" | "bad", text: string): string {
  return `<p class="verdict ${tone}" data-verdict="${kind}">${escapeHtml(text)}</p>`;
}
