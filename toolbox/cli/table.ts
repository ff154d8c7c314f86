// Plain-text tables for terminal output: columns padded to their widest cell.

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** A table of records: each column a header and the record field it shows. */
export type Columns<Row> = Array<[header: string, field: keyof Row]>;

export function formatRecords<Row extends Record<string, string>>(
  columns: Columns<Row>,
  rows: Row[],
): string {
  return formatTable(
    columns.map(([header]) => header),
    rows.map((row) => columns.map(([, field]) => row[field] ?? "")),
  );
}
