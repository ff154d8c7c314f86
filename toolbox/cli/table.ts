// Plain-text tables for terminal output: columns padded to their widest cell. On a terminal a table
// fits the width ($COLUMNS, else the terminal's own, else 120): the widest columns of text (messages,
// outcomes, changes) wrap at spaces, and a table that cannot fit so prints one record at a time, a
// label and a value a line (as psql's expanded display): ids and times are never cut, so they stay
// copyable. Piped output keeps one line a row, for grep; --json always carries the full text.

/** Narrowest a wrapped column may get before the table turns to one record at a time. */
const MIN_WRAPPED_WIDTH = 20;
const GAP = "  ";

export interface TableOptions {
  /** Longest line; default outputWidth(): a terminal's width, none when piped. */
  width?: number | undefined;
}

/** $COLUMNS when set; on a terminal its width (120 when unknown); undefined when stdout is piped. */
export function outputWidth(
  env: NodeJS.ProcessEnv = process.env,
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
): number | undefined {
  const columns = Number(env.COLUMNS);
  if (Number.isSafeInteger(columns) && columns > 0) return columns;
  return stdout.isTTY ? stdout.columns || 120 : undefined;
}

export function formatTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const natural = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const limit = "width" in options ? options.width : outputWidth();
  if (limit === undefined || tableWidth(natural) <= limit) return renderTable(headers, rows, natural);
  const fitted = fitColumns(natural, wrappable(rows, headers.length), limit);
  return fitted ? renderTable(headers, rows, fitted) : renderRecords(headers, rows, limit);
}

/** A table of records: each column a header and the record field it shows. */
export type Columns<Row> = Array<[header: string, field: keyof Row]>;

export function formatRecords<Row extends Record<string, string>>(
  columns: Columns<Row>,
  rows: Row[],
  options: TableOptions = {},
): string {
  return formatTable(
    columns.map(([header]) => header),
    rows.map((row) => columns.map(([, field]) => row[field] ?? "")),
    options,
  );
}

function tableWidth(widths: number[]): number {
  return widths.reduce((sum, width) => sum + width, 0) + GAP.length * Math.max(0, widths.length - 1);
}

/** Columns of text, which wrap at spaces; a column of ids or times has none and is never wrapped. */
function wrappable(rows: string[][], count: number): boolean[] {
  return Array.from({ length: count }, (_, column) => rows.some((row) => (row[column] ?? "").includes(" ")));
}

/**
 * Caps the widest text columns at one width, the largest that fits the limit (narrower columns keep
 * theirs); undefined when that cap would be narrower than MIN_WRAPPED_WIDTH.
 */
function fitColumns(natural: number[], text: boolean[], limit: number): number[] | undefined {
  const capped = (cap: number) =>
    natural.map((width, column) => (text[column] ? Math.min(width, cap) : width));
  let cap = Math.max(...natural);
  while (cap > MIN_WRAPPED_WIDTH && tableWidth(capped(cap)) > limit) cap -= 1;
  return tableWidth(capped(cap)) <= limit ? capped(cap) : undefined;
}

function renderTable(headers: string[], rows: string[][], widths: number[]): string {
  const line = (cells: string[]) => {
    const wrapped = widths.map((width, column) => wrapText(cells[column] ?? "", width));
    const height = Math.max(1, ...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, at) =>
      wrapped
        .map((lines, column) => (lines[at] ?? "").padEnd(widths[column] ?? 0))
        .join(GAP)
        .trimEnd(),
    ).join("\n");
  };
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** One record at a time: `LABEL  value`, long values wrapped under themselves, a blank line between. */
function renderRecords(headers: string[], rows: string[][], limit: number): string {
  const labelWidth = Math.max(...headers.map((header) => header.length));
  const valueWidth = Math.max(MIN_WRAPPED_WIDTH, limit - labelWidth - GAP.length);
  const indent = " ".repeat(labelWidth + GAP.length);
  const record = (row: string[]) =>
    headers
      .flatMap((header, column) =>
        wrapText(row[column] ?? "", valueWidth).map((text, at) =>
          `${at === 0 ? `${header.padEnd(labelWidth)}${GAP}` : indent}${text}`.trimEnd(),
        ),
      )
      .join("\n");
  return rows.map(record).join("\n\n");
}

/** Lines of at most `width` characters, broken at spaces where a word fits, else inside it. */
export function wrapText(text: string, width: number): string[] {
  const flat = text.replace(/\s*\n\s*/g, " ");
  if (flat.length <= width) return [flat];
  const lines: string[] = [];
  let current = "";
  for (const word of flat.split(" ")) {
    const joined = current === "" ? word : `${current} ${word}`;
    if (joined.length <= width) {
      current = joined;
      continue;
    }
    if (current !== "") lines.push(current);
    current = word;
    while (current.length > width) {
      lines.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  if (current !== "" || lines.length === 0) lines.push(current);
  return lines;
}
