// The audit trail for people (a table, one change a row) and for scripts (JSON lines).

import { type StoredAuditEntry, summariseEntry } from "../../worker/audit/auditEntry.js";
import { formatTable } from "../cli/table.js";

export function formatAuditTable(entries: StoredAuditEntry[]): string {
  const headers = ["TIME", "TENANT", "AUTH0 USER", "SURECLOUD USER", "CAUSE", "CHANGE"];
  const rows = entries.map((entry) => [
    entry.time,
    entry.tenantId,
    entry.auth0UserId,
    entry.sureCloudUserId,
    `${entry.cause.eventType} ${entry.cause.eventId}${entry.cause.origin === "resync" ? " (resync)" : ""}`,
    summariseEntry(entry),
  ]);
  return formatTable(headers, rows);
}

export function formatAuditJsonLines(entries: StoredAuditEntry[]): string {
  return entries.map((entry) => JSON.stringify(entry)).join("\n");
}
