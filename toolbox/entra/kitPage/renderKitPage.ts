// The Entra administrator's kit as one self-contained HTML page: catalogue, app roles, the userType
// expression, every role's result, and the evaluator and checker (the bundled browser script). All CSS,
// script and data are inline, a Content-Security-Policy forbids any request, and data is escaped so a
// group or role name can never end a script or element.
import { createHash } from "node:crypto";
import { directiveWord } from "../../../shared/roleDirective.js";
import { MAX_EXPRESSION_LENGTH } from "../entraExpression.js";
import { type ExpressionNode, parseExpression } from "../expressionEvaluator.js";
import { evaluateRoleSet, userTypeOutcome } from "../roleSetEvaluation.js";
import type { KitData } from "./kitData.js";
import { guideHtml } from "./kitGuide.js";
import { kitStyles } from "./kitStyles.js";
import { escapeHtml, evaluationHtml, outcomeHtml, roleLabel } from "./outcomeHtml.js";

export interface KitPageOptions {
  /** The bundled browser script (kitPage/browser.ts). */
  script: string;
  /** Shown in the footer, e.g. 2026-11-29. */
  generatedOn: string;
}

export function renderKitPage(kit: KitData, options: KitPageOptions): string {
  const tree = parseExpression(kit.expression);
  const script = scriptSafe(options.script);
  const policy = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(kitStyles)}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const id = escapeHtml(kit.tenant.id);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>SureCloud setup kit for Microsoft Entra ID: ${id}</title>
<style>${kitStyles}</style>
</head>
<body>
<header>
<h1>SureCloud and Microsoft Entra ID: setup kit for <code>${id}</code></h1>
<p>Everything you need to provision your people into SureCloud from Entra ID, in the order you need it. The steps
are on the right; this side has what they use, and checks your work.</p>
<p><b>No secrets here.</b> The SCIM Tenant URL and Secret Token are not in this page: SureCloud sends them to
you separately, over a secure channel. This page works offline and makes no network request.</p>
</header>
<div class="layout">
<main>
${catalogueSection(kit)}
${appRolesSection(kit)}
${expressionSection(kit)}
${roleTableSection(kit, tree)}
${evaluatorSection(kit, tree)}
${checkerSection()}
<p class="muted">Generated on ${escapeHtml(options.generatedOn)} by <code>surecloud-sync entra-kit</code> for tenant
<code>${id}</code>. If SureCloud changes your catalogue or role mapping, it sends you a new kit.</p>
</main>
${guideHtml(kit)}
</div>
<script type="application/json" id="kit-data">${jsonForScript(kit)}</script>
<script>${script}</script>
</body>
</html>
`;
}

function catalogueSection(kit: KitData): string {
  const rows = kit.tenant.groups.map(
    (group) =>
      `<tr><td>${escapeHtml(group.name)}</td><td><code>${escapeHtml(group.groupId)}</code></td>` +
      `<td>${escapeHtml(group.description ?? "")}</td></tr>`,
  );
  return `<section id="catalogue"><h2>Your SureCloud groups</h2>
<p class="muted">The catalogue SureCloud set up for you: the only groups a user can be given.</p>
<table><thead><tr><th>Name</th><th>Group id</th><th>Description</th></tr></thead><tbody>${rows.join("")}</tbody></table>
</section>`;
}

function appRolesSection(kit: KitData): string {
  const names = new Map(kit.tenant.groups.map((group) => [group.groupId, group.name]));
  const gives = (directive: KitData["table"]["defaultDirective"]): string => {
    if (directive.kind === "ignore") return "IGNORE: SureCloud leaves their groups as they are";
    if (directive.kind === "clear") return "NONE: no SureCloud group";
    return directive.groupIds.map((groupId) => names.get(groupId) ?? groupId).join(", ");
  };
  const rows = kit.table.rules.map(
    (rule) =>
      `<tr><td><b>${escapeHtml(rule.role)}</b></td><td>${escapeHtml(gives(rule.directive))}</td></tr>`,
  );
  const field = roleField(kit.tenant);
  return `<section id="app-roles"><h2>App roles to create</h2>
${sourceNote(kit.tenant, field)}
<p class="muted">Create one app role per row, with this ${field} exactly: names are compared character for
character, letter case and spaces included.</p>
<table><thead><tr><th>App role ${field}</th><th>Its users get</th></tr></thead><tbody>${rows.join("")}</tbody></table>
<p>Users with none of these roles get: <b>${escapeHtml(gives(kit.table.defaultDirective))}</b>.</p>
</section>`;
}

/** The app role field the mapping's names must equal: the display name, or the value (roles source). */
function roleField(tenant: KitData["tenant"]): string {
  return tenant.directiveSource === "roles" && tenant.matchBy !== "displayName" ? "value" : "display name";
}

function sourceNote(tenant: KitData["tenant"], field: string): string {
  const says =
    tenant.directiveSource === "roles"
      ? "from the <code>roles</code> attribute: every app role a person holds counts (the union of their groups)"
      : "from <code>userType</code>, which the expression below computes from one app role per person";
  return `<p data-directive-source="${tenant.directiveSource}">SureCloud reads your people's groups ${says}, matching each role by its ${field}.</p>`;
}

function expressionSection(kit: KitData): string {
  return `<section id="expression"><h2>The <code>userType</code> expression</h2>
<p class="muted">Paste it into the <code>userType</code> attribute mapping (mapping type <b>Expression</b>).
${kit.expression.length} characters; Entra accepts up to ${MAX_EXPRESSION_LENGTH.toLocaleString("en")}.</p>
<pre class="expression" id="expression-text">${escapeHtml(kit.expression)}</pre>
<button type="button" id="copy">Copy expression</button><span class="status" id="copy-status" role="status"></span>
</section>`;
}

function roleTableSection(kit: KitData, tree: ExpressionNode): string {
  const roles = [...kit.table.rules.map((rule) => rule.role), undefined];
  const rows = roles.map((role) => {
    const outcome = userTypeOutcome(tree, role, kit.tenant);
    return (
      `<tr data-role="${escapeHtml(roleLabel(role))}"><td>${escapeHtml(roleLabel(role))}</td>` +
      `<td><code>${escapeHtml(outcome.userType)}</code></td><td>${outcomeHtml(outcome)}</td></tr>`
    );
  });
  return `<section id="role-table"><h2>What each role gives</h2>
<p class="muted">The value the expression sends for a user with one app role, and what SureCloud then does.
The last row is for users with none of the roles (the default: <code>${escapeHtml(directiveWord(kit.table.defaultDirective))}</code>).</p>
<table><thead><tr><th>App role</th><th>userType sent</th><th>SureCloud groups</th></tr></thead><tbody>${rows.join("")}</tbody></table>
</section>`;
}

function evaluatorSection(kit: KitData, tree: ExpressionNode): string {
  const boxes = kit.table.rules.map(
    (rule) =>
      `<label><input type="checkbox" name="role" value="${escapeHtml(rule.role)}"> ${escapeHtml(rule.role)}</label>`,
  );
  return `<section id="evaluator"><h2>Try a person's roles</h2>
<p class="muted">Pick the app roles one person holds. With one role both directive sources agree; with several,
the expression (source <code>userType</code>) cannot give a predictable answer, while the <code>roles</code> source
gives the union of their groups.</p>
<div class="picker">${boxes.join("")}</div>
<p><label>Another role, as Entra names it: <input type="text" id="other-role" placeholder="e.g. a role not in the mapping"></label></p>
<div id="evaluation">${evaluationHtml(evaluateRoleSet(tree, kit.table, kit.tenant, []), kit.tenant.directiveSource)}</div>
</section>`;
}

function checkerSection(): string {
  return `<section id="checker"><h2>Check the expression saved in Entra</h2>
<p class="muted">In Entra, open the <code>userType</code> mapping, copy the whole expression, and paste it here.
The check runs in this page only.</p>
<textarea id="pasted" spellcheck="false" placeholder="IIF(SingleAppRoleAssignment([appRoleAssignments])=…"></textarea>
<p><button type="button" id="check">Check</button></p>
<div id="check-result" role="status"></div>
</section>`;
}

/** JSON that reads back the same but never holds `<`, `>` or `&` (no `</script>`, no `<!--`). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The bundle with any `</script` or `<!--` written so the HTML parser cannot end the element early. */
function scriptSafe(script: string): string {
  return script.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

function sha256(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}
