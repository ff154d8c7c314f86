// Plans for people: a table row per user (dry run, drift), a block for one user (`plan`), and the
// per-tenant counts. JSON output is the Preview itself (preview.ts), so scripts see every field.

import type { GroupRef } from "../../contract/surecloud.js";
import { describeDirective } from "../../shared/directive.js";
import { describeRoleDirective } from "../../shared/roleDirective.js";
import type { SyncPlan } from "../../worker/sync/plan.js";
import { type Columns, formatRecords, formatTable } from "../cli/table.js";
import type { Preview } from "./preview.js";

/** One preview as a table row, by column name (dry run, drift). */
export type PreviewRow = {
  auth0UserId: string;
  tenant: string;
  action: string;
  sureCloudUser: string;
  fields: string;
  status: string;
  add: string;
  remove: string;
};

const planTableColumns: Columns<PreviewRow> = [
  ["AUTH0 USER", "auth0UserId"],
  ["TENANT", "tenant"],
  ["ACTION", "action"],
  ["SURECLOUD USER", "sureCloudUser"],
  ["FIELDS", "fields"],
  ["STATUS", "status"],
  ["ADD", "add"],
  ["REMOVE", "remove"],
];

/** The plans as a table, then the users whose job would fail, with why (kept apart: messages are long). */
export function formatPreviewTable(previews: Preview[]): string {
  const planned = previews.filter((preview) => preview.outcome !== "failed");
  const sections = planned.length > 0 ? [formatRecords(planTableColumns, planned.map(previewRow))] : [];
  const failing = formatFailures(previews);
  if (failing) sections.push(`Would fail (the worker cannot apply these):\n${failing}`);
  return sections.join("\n\n");
}

/** The users whose job would fail: reason and message; "" when none. */
export function formatFailures(previews: Preview[]): string {
  const rows = previews.flatMap((preview) =>
    preview.outcome === "failed"
      ? [[preview.auth0UserId, preview.tenantId ?? "-", preview.reason, preview.message]]
      : [],
  );
  return rows.length > 0 ? formatTable(["AUTH0 USER", "TENANT", "REASON", "DETAIL"], rows) : "";
}

export function previewRow(preview: Preview): PreviewRow {
  const lead = { auth0UserId: preview.auth0UserId, tenant: preview.tenantId ?? "-" };
  const none = { sureCloudUser: "-", status: "", add: "", remove: "" };
  switch (preview.outcome) {
    case "skipped":
      return { ...lead, ...none, action: "skip", fields: preview.reason };
    case "failed":
      return { ...lead, ...none, action: "fail", fields: `${preview.reason}: ${preview.message}` };
    case "plan": {
      const { plan } = preview;
      return {
        ...lead,
        action: preview.action,
        sureCloudUser: plan.match.sureCloudUserId ?? "(new)",
        fields: fieldsOf(plan).join(", ") || "-",
        status: statusOf(plan),
        add: groups(plan.memberships.add),
        remove: groups(plan.memberships.remove),
      };
    }
    default: {
      const never: never = preview;
      throw new Error(`unhandled preview ${JSON.stringify(never)}`);
    }
  }
}

/** The block `plan <user>` prints. */
export function formatPreviewDetail(preview: Preview): string {
  const lines: Array<[string, string]> = [
    ["Auth0 user", preview.auth0UserId],
    ["Tenant", preview.tenantId ?? "(none: no tenant has this user's connection)"],
  ];
  switch (preview.outcome) {
    case "skipped":
      lines.push(["Action", `skip (${preview.reason})`]);
      break;
    case "failed":
      lines.push(["Action", `fail (${preview.reason})`], ["Reason", preview.message]);
      break;
    case "plan":
      lines.push(...planLines(preview.plan, preview.action));
      break;
    default: {
      const never: never = preview;
      throw new Error(`unhandled preview ${JSON.stringify(never)}`);
    }
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  const indent = " ".repeat(width + 2);
  return lines
    .map(([label, value]) => `${label.padEnd(width)}  ${value.replaceAll("\n", `\n${indent}`)}`)
    .join("\n");
}

function planLines(plan: SyncPlan, action: string): Array<[string, string]> {
  const matched = plan.match.by === "none" ? "no SureCloud user matched" : `matched by ${plan.match.by}`;
  const changes = plan.create
    ? Object.entries(plan.create).filter(([field]) => field !== "status")
    : Object.entries(plan.patch).filter(([field]) => field !== "status");
  const directive = plan.directive.value ? describeDirective(plan.directive.value) : "not applied";
  return [
    ["Action", `${action === "none" ? "no change" : action} (${matched})`],
    ["SureCloud user", plan.match.sureCloudUserId ?? "(to be created)"],
    ["Fields", changes.map(([field, value]) => `${field} = ${JSON.stringify(value)}`).join("\n") || "-"],
    ["Status", statusOf(plan)],
    ["Directive", `${plan.directive.applied ? directive : "not applied"} (${plan.directive.why})`],
    ...(plan.directive.roles ? [["App roles", describeRoles(plan.directive.roles)] as [string, string]] : []),
    ["Add", groups(plan.memberships.add, "\n") || "-"],
    ["Remove", groups(plan.memberships.remove, "\n") || "-"],
  ];
}

/** Which role gave which groups, and the roles the mapping does not name, one to a line. */
function describeRoles(roles: NonNullable<SyncPlan["directive"]["roles"]>): string {
  return describeRoleDirective(roles).replaceAll("; ", "\n");
}

export function fieldsOf(plan: SyncPlan): string[] {
  if (plan.create) return ["(all)"];
  return Object.keys(plan.patch).filter((field) => field !== "status");
}

function statusOf(plan: SyncPlan): string {
  if (!plan.status) return "-";
  return `${plan.status.from ?? "new"} -> ${plan.status.to}`;
}

function groups(list: GroupRef[], separator = ", "): string {
  return list.map((group) => `${group.name} (${group.id})`).join(separator);
}

/** Counts per action and outcome, e.g. `create 3, link 1, update 2, no change 5, failed 1`. */
export function countPreviews(previews: Preview[]): string {
  const counts = new Map<string, number>();
  for (const preview of previews) {
    const key =
      preview.outcome === "plan"
        ? preview.action === "none"
          ? "no change"
          : preview.action
        : preview.outcome;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const order = ["create", "link", "update", "no change", "skipped", "failed"];
  return order
    .filter((key) => counts.has(key))
    .map((key) => `${key} ${counts.get(key)}`)
    .join(", ");
}
