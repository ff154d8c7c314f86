// The drift report for people: one row per drifted user with what differs and the plan that fixes
// it, then the users the worker could not fix, then the counts.
import { formatTable } from "../cli/table.js";
import { formatFailures, previewRow } from "../resync/planFormat.js";
import type { DriftReport } from "./driftReport.js";

export function formatDriftReport(report: DriftReport): string {
  const sections: string[] = [];
  if (report.drifted.length > 0) {
    const rows = report.drifted.map((entry) => {
      const [auth0UserId, , action, sureCloudUserId, fields, status, add, remove] = previewRow(entry.preview);
      return [auth0UserId, sureCloudUserId, entry.kinds.join(", "), action, fields, status, add, remove].map(
        (cell) => cell ?? "",
      );
    });
    const headers = ["AUTH0 USER", "SURECLOUD USER", "DRIFT", "FIX", "FIELDS", "STATUS", "ADD", "REMOVE"];
    sections.push(formatTable(headers, rows));
  }
  if (report.failed.length > 0) {
    sections.push(`Cannot be planned (the worker would fail these too):\n${formatFailures(report.failed)}`);
  }
  sections.push(
    `Tenant ${report.tenantId}: ${report.checked} users checked, ${report.inStep} in step, ` +
      `${report.drifted.length} drifted, ${report.failed.length} cannot be planned` +
      (report.rejected ? `, ${report.rejected} unusable Auth0 records` : ""),
  );
  return sections.join("\n\n");
}
