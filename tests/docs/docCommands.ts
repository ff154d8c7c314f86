// The shell commands a reader of the docs would type: each line of a ```sh block (continuations
// joined), each command in a table cell, and, where asked, each command in an inline code span of the
// prose. Each keeps its file and line, so a failure says exactly which documented command broke.
import { readFileSync } from "node:fs";

export interface DocCommand {
  /** The doc, relative to the repository root (`docs/operator.md`). */
  doc: string;
  /** 1-based line the command starts on. */
  line: number;
  /** The command as written (continuations joined with a space). */
  command: string;
  /** `export X=…` lines above it in the same block: a reader runs them first. */
  setup: string[];
  where: "block" | "table" | "prose";
}

export interface ExtractOptions {
  /** Also take commands from inline code spans in the prose. Default false. */
  prose?: boolean;
}

/** What starts a command worth running: a binary of this project or an npm script, maybe after `VAR=x`. */
const COMMAND_START =
  /^(?:[A-Z][A-Z0-9_]*=\S+\s+)*(?:node dist\/|npm run |surecloud-sync |surecloud-tenant )/;

export function extractCommands(root: string, doc: string, options: ExtractOptions = {}): DocCommand[] {
  return extractFromText(readFileSync(`${root}/${doc}`, "utf8"), doc, options);
}

export function extractFromText(text: string, doc: string, options: ExtractOptions = {}): DocCommand[] {
  const lines = text.split("\n");
  const commands: DocCommand[] = [];
  let fence: { shell: boolean; setup: string[] } | undefined;
  let pending: { line: number; parts: string[] } | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fenceMatch = /^\s*```(\S*)/.exec(raw);
    if (fenceMatch) {
      fence = fence ? undefined : { shell: ["sh", "bash", "shell"].includes(fenceMatch[1] ?? ""), setup: [] };
      return;
    }
    if (fence) {
      if (!fence.shell) return;
      const text = raw.trim();
      if (!pending && (text === "" || text.startsWith("#"))) return;
      pending ??= { line, parts: [] };
      pending.parts.push(text.replace(/\\$/, "").trim());
      if (text.endsWith("\\")) return;
      const command = pending.parts.join(" ");
      if (/^export\s/.test(command)) fence.setup.push(command);
      else commands.push({ doc, line: pending.line, command, setup: [...fence.setup], where: "block" });
      pending = undefined;
      return;
    }
    const where = raw.trimStart().startsWith("|") ? "table" : options.prose ? "prose" : undefined;
    if (!where) return;
    for (const span of codeSpans(lines, index)) {
      if (COMMAND_START.test(span)) commands.push({ doc, line, command: span, setup: [], where });
    }
  });
  return commands;
}

/**
 * The inline code spans that open on line `index`; a span may run on to the next line (markdown
 * joins them with a space). Spans that opened on an earlier line were taken there.
 */
function codeSpans(lines: string[], index: number): string[] {
  const spans: string[] = [];
  const text = lines[index] ?? "";
  // Backticks before this line that are unclosed mean this line starts inside a span: skip past it.
  let position = openSpanOnEntry(lines, index) ? text.indexOf("`") + 1 : 0;
  if (position === 0 && openSpanOnEntry(lines, index)) return spans;
  while (position < text.length) {
    const open = text.indexOf("`", position);
    if (open < 0) break;
    const close = text.indexOf("`", open + 1);
    if (close >= 0) {
      spans.push(text.slice(open + 1, close).trim());
      position = close + 1;
      continue;
    }
    const next = lines[index + 1] ?? "";
    const end = next.indexOf("`");
    if (end >= 0) spans.push(`${text.slice(open + 1)} ${next.slice(0, end)}`.replace(/\s+/g, " ").trim());
    break;
  }
  return spans;
}

/** Whether the paragraph's backticks before this line leave a span open (an odd count). */
function openSpanOnEntry(lines: string[], index: number): boolean {
  const previous = lines[index - 1];
  if (previous === undefined || previous.trim() === "") return false;
  let count = 0;
  for (
    let at = index - 1;
    at >= 0 && (lines[at] ?? "").trim() !== "" && !/^\s*```/.test(lines[at] ?? "");
    at -= 1
  ) {
    count += ((lines[at] ?? "").match(/`/g) ?? []).length;
  }
  return count % 2 === 1;
}
