// The group directive: what Entra computed into SCIM `userType`, and what it means for a user's
// SureCloud groups. This is the table in DESIGN.md, rule 7, and nothing else.
// zod/mini keeps the Action bundle small; its schemas nest in classic ones (same zod core).

import { PermanentError } from "./errors.js";
import * as z from "./zodMini.js";

/** Longest raw directive accepted: about 110 UUIDs. Longer values are rejected, not truncated. */
export const MAX_DIRECTIVE_LENGTH = 4096;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const directiveSchema = z.discriminatedUnion("kind", [
  /** Leave memberships as they are. */
  z.object({ kind: z.literal("ignore") }),
  /** Remove every membership. */
  z.object({ kind: z.literal("clear") }),
  /** Exactly these groups (lower-case UUIDs, no repeats, in the order first given). */
  z.object({ kind: z.literal("exact"), groupIds: z.array(z.string()).check(z.minLength(1)) }),
]);
export type Directive = z.infer<typeof directiveSchema>;

/** What the job says about the directive attribute, before the table is applied. */
export const directiveSourceSchema = z.discriminatedUnion("state", [
  /** The attribute holds a value (possibly empty). */
  z.object({ state: z.literal("present"), raw: z.string() }),
  /** Absent now but present before: Entra cleared it (it never sends an empty value). */
  z.object({ state: z.literal("cleared") }),
  /** Absent, never seen. */
  z.object({ state: z.literal("absent") }),
]);
export type DirectiveSource = z.infer<typeof directiveSourceSchema>;

/** What a tenant does when a user carries no directive at all. */
export const missingDirectivePolicySchema = z.enum(["ignore", "clear"]);
export type MissingDirectivePolicy = z.infer<typeof missingDirectivePolicySchema>;

/**
 * Parses a raw directive value. Throws PermanentError("invalid-directive") naming what is wrong;
 * it never guesses, since a wrong guess is an access-control change.
 */
export function parseDirective(raw: string): Directive {
  if (raw.length > MAX_DIRECTIVE_LENGTH) {
    throw invalid(`is ${raw.length} characters long; the limit is ${MAX_DIRECTIVE_LENGTH}`);
  }
  const value = trimBlanks(raw);
  // Lower-casing, not upper-casing: "ıgnore" (dotless i) upper-cases to IGNORE but is no keyword.
  const keyword = value.toLowerCase();
  if (keyword === "ignore") return { kind: "ignore" };
  if (value === "" || keyword === "none") return { kind: "clear" };

  const groupIds: string[] = [];
  // Where each token starts in `raw`, so a bad character is named by its place in the whole value.
  let offset = raw.indexOf(value);
  value.split(",").forEach((token, index) => {
    const entry = trimBlanks(token);
    // Skipped: an Entra expression that joins conditional parts leaves empty entries between commas.
    if (entry !== "" && !uuidPattern.test(entry)) {
      throw invalid(
        `entry ${index + 1} "${shorten(entry)}" is not a group UUID, IGNORE or NONE${foreignIn(offset, token)}`,
      );
    }
    offset += token.length + 1;
    const id = entry.toLowerCase();
    if (entry !== "" && !groupIds.includes(id)) groupIds.push(id);
  });
  if (groupIds.length === 0) throw invalid(`"${shorten(value)}" has commas but no group UUID`);
  return { kind: "exact", groupIds };
}

/** Applies the table's rows for absent values, then parses. */
export function resolveDirective(source: DirectiveSource, policy: MissingDirectivePolicy): Directive {
  switch (source.state) {
    case "present":
      return parseDirective(source.raw);
    case "cleared":
      return { kind: "clear" };
    case "absent":
      return policy === "clear" ? { kind: "clear" } : { kind: "ignore" };
    default: {
      const never: never = source;
      throw new Error(`unhandled directive source ${JSON.stringify(never)}`);
    }
  }
}

/** One line for people: what a directive does. */
export function describeDirective(directive: Directive): string {
  switch (directive.kind) {
    case "ignore":
      return "leave group memberships unchanged";
    case "clear":
      return "remove every group membership";
    case "exact":
      return `exactly these ${directive.groupIds.length} group(s): ${directive.groupIds.join(", ")}`;
    default: {
      const never: never = directive;
      throw new Error(`unhandled directive ${JSON.stringify(never)}`);
    }
  }
}

function invalid(detail: string): PermanentError {
  return new PermanentError("invalid-directive", `Group directive ${detail}`);
}

// Only ASCII spaces and tabs (DESIGN rule 7). String.prototype.trim also strips U+00A0, U+3000,
// U+FEFF and the like, which once let "\u00a0" clear every group and "\uFEFFIGNORE" count as IGNORE.
function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(start, end);
}

/**
 * `: it holds U+XXXX at position N` for the first character of `token` that is neither printable
 * ASCII nor a tab (invisible, a line break, non-ASCII). `token` starts at `offset` in the raw value,
 * and all before it is ASCII, so N (from 1) counts characters as people do.
 */
function foreignIn(offset: number, token: string): string {
  const at = token.search(/[^\t\x20-\x7e]/);
  if (at < 0) return "";
  const code = (token.codePointAt(at) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `: it holds U+${code} at position ${offset + at + 1} of the value`;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
