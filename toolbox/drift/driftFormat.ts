// The drift report for people: one row per drifted user with what differs and the plan that fixes
// it, then the users the worker could not fix, then the counts.
import { type Columns, formatRecords, formatTable } from "../cli/table.js";
import { formatFailures, type PreviewRow, previewRow } from "../resync/planFormat.js";
import type { DriftReport } from "./driftReport.js";

type DriftRow = PreviewRow & { drift: string };
const driftColumns: Columns<DriftRow> = [
  ["AUTH0 USER", "auth0UserId"],
  ["SURECLOUD USER", "sureCloudUser"],
  ["DRIFT", "drift"],
  ["FIX", "action"],
  ["FIELDS", "fields"],
  ["STATUS", "status"],
  ["ADD", "add"],
  ["REMOVE", "remove"],
];

export function formatDriftReport(report: DriftReport): string {
  const sections: string[] = [];
  if (report.drifted.length > 0) {
    const rows = report.drifted.map((entry) => ({
      ...previewRow(entry.preview),
      drift: entry.kinds.join(", "),
    }));
    sections.push(formatRecords(driftColumns, rows));
  }
  if (report.failed.length > 0) {
    sections.push(`Cannot be planned (the worker would fail these too):\n${formatFailures(report.failed)}`);
  }
  if (report.unknownRoles.length > 0) {
    const rows = report.unknownRoles.map((entry) => [
      entry.role,
      String(entry.users),
      entry.didYouMean ? `did you mean "${entry.didYouMean}"?` : "-",
    ]);
    sections.push(
      `App roles the role mapping does not name (left out of every user's groups):\n${formatTable(["ROLE", "USERS", "NEAR MISS"], rows)}`,
    );
  }
  sections.push(
    `Tenant ${report.tenantId}: ${report.checked} users checked, ${report.inStep} in step, ` +
      `${report.drifted.length} drifted, ${report.failed.length} cannot be planned` +
      (report.rejected ? `, ${report.rejected} unusable Auth0 records` : ""),
  );
  return sections.join("\n\n");
}
