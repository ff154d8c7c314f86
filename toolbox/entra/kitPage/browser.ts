/// <reference lib="dom" />
// The kit page's script (bundled by scripts/build.mjs into kit-page.bundle.js, inlined by the page):
// the Copy button, the role evaluator and the expression checker. It runs the same evaluator, directive
// parser and union rule as the CLI and the worker, on the data the page carries; it makes no request.
import { checkExpression } from "../expressionCheck.js";
import { parseExpression } from "../expressionEvaluator.js";
import { evaluateRoleSet } from "../roleSetEvaluation.js";
import type { KitData } from "./kitData.js";
import { checkHtml, evaluationHtml } from "./outcomeHtml.js";

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the kit page has no #${id}`);
  return found as T;
}

function start(): void {
  const kit = JSON.parse(element("kit-data").textContent ?? "") as KitData;
  const tree = parseExpression(kit.expression);

  const status = element("copy-status");
  element("copy").addEventListener("click", () => {
    copyText(kit.expression).then(
      () => {
        status.textContent = `Copied (${kit.expression.length} characters).`;
      },
      () => {
        status.textContent = "Could not copy: select the expression above and copy it by hand.";
      },
    );
  });

  const other = element<HTMLInputElement>("other-role");
  const evaluation = element("evaluation");
  const evaluate = (): void => {
    const picked = [...document.querySelectorAll<HTMLInputElement>('input[name="role"]:checked')].map(
      (box) => box.value,
    );
    // Entra role names are compared exactly: what is typed is kept as typed, only emptiness is dropped.
    const typed = other.value === "" ? [] : [other.value];
    evaluation.innerHTML = evaluationHtml(
      evaluateRoleSet(tree, kit.table, kit.tenant, [...picked, ...typed]),
      kit.tenant.directiveSource,
    );
  };
  for (const box of document.querySelectorAll<HTMLInputElement>('input[name="role"]')) {
    box.addEventListener("change", evaluate);
  }
  other.addEventListener("input", evaluate);

  const pasted = element<HTMLTextAreaElement>("pasted");
  const result = element("check-result");
  element("check").addEventListener("click", () => {
    result.innerHTML = checkHtml(checkExpression(pasted.value, kit));
  });
}

/** The clipboard API where the page may use it; else the older copy command on a hidden field. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // A file:// page may be refused the asynchronous clipboard; the copy command still works on a click.
  }
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.className = "offscreen";
  document.body.append(field);
  field.select();
  const copied = document.execCommand("copy");
  field.remove();
  if (!copied) throw new Error("copy refused");
}

start();
