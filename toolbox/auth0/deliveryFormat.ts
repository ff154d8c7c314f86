// Failed deliveries as a table that fits a 120-column terminal: the last error takes what the
// other columns leave, and is cut with an ellipsis.
import { formatTable } from "../cli/table.js";
import type { DeliverySummary } from "./failedDeliveries.js";

export const TERMINAL_COLUMNS = 120;
const GAP = 2;
const MIN_ERROR_WIDTH = 16;

export function formatDeliveryTable(deliveries: DeliverySummary[], columns = TERMINAL_COLUMNS): string {
  const headers = ["EVENT ID", "TYPE", "TIME", "ATTEMPTS", "LAST ERROR"];
  const fixed = deliveries.map((delivery) => [
    delivery.eventId,
    delivery.eventType,
    delivery.time,
    String(delivery.attempts),
  ]);
  const used = headers
    .slice(0, 4)
    .reduce((sum, header, column) => sum + widest(header, fixed, column) + GAP, 0);
  const errorWidth = Math.max(columns - used, MIN_ERROR_WIDTH);
  const rows = deliveries.map((delivery, index) => [
    ...(fixed[index] ?? []),
    cut(delivery.lastError || "-", errorWidth),
  ]);
  return formatTable(headers, rows);
}

function widest(header: string, rows: string[][], column: number): number {
  return Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length));
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
