// The group directive table of DESIGN.md rule 7, row by row: what each raw `userType` value does
// to a user's SureCloud groups, and how absent values resolve under each tenant policy.
import { describe, expect, it } from "vitest";
import {
  type Directive,
  describeDirective,
  MAX_DIRECTIVE_LENGTH,
  parseDirective,
  resolveDirective,
} from "../../shared/directive.js";
import { PermanentError } from "../../shared/errors.js";

const A = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";
const B = "1f0e4b8a-93c2-4d51-a7e6-0b2c9d8e7f60";
const C = "c3d2e1f0-aaaa-4bbb-8ccc-ddddeeeeffff";

/** Runs parseDirective expecting the invalid-directive failure, and returns its message. */
function rejection(raw: string): string {
  let caught: unknown;
  try {
    parseDirective(raw);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${JSON.stringify(raw.slice(0, 80))} to be rejected`).toBeInstanceOf(
    PermanentError,
  );
  const error = caught as PermanentError;
  expect(error.reason).toBe("invalid-directive");
  expect(error.retryable).toBe(false);
  return error.message;
}

/** n distinct, valid group UUIDs. */
function uuids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`);
}

// Values with a line break ("\tignore\n", "\n none \t") were once IGNORE or NONE here: rule 7 trims
// only ASCII spaces and tabs, so a line break is an invisible character and they are invalid now.
describe("parseDirective: IGNORE row (memberships preserved)", () => {
  it.each(["IGNORE", "ignore", "Ignore", "iGnOrE", "  IGNORE  ", "\tignore\t", " \t Ignore \t"])(
    "%j means ignore",
    (raw) => {
      expect(parseDirective(raw)).toEqual({ kind: "ignore" });
    },
  );
});

describe('parseDirective: "" and NONE row (all memberships removed)', () => {
  it.each(["", " ", "   ", "\t \t", "NONE", "none", "None", "nOnE", "  NONE ", "\t none \t"])(
    "%j means clear",
    (raw) => {
      expect(parseDirective(raw)).toEqual({ kind: "clear" });
    },
  );
});

describe("parseDirective: UUID list row (exactly these groups)", () => {
  it("accepts a single UUID", () => {
    expect(parseDirective(A)).toEqual({ kind: "exact", groupIds: [A] });
  });

  it("accepts a comma-separated list and keeps the order given", () => {
    expect(parseDirective(`${B},${A},${C}`)).toEqual({ kind: "exact", groupIds: [B, A, C] });
  });

  it("allows spaces and tabs around entries and around the whole value", () => {
    expect(parseDirective(`  ${A} ,\t${B}  ,  ${C}\t`)).toEqual({ kind: "exact", groupIds: [A, B, C] });
  });

  it.each([
    ["a double comma and a trailing one", `${A},,${B},`, [A, B]],
    ["a leading comma", `,${A}`, [A]],
    ["a comma followed only by spaces and tabs", `${A}, \t`, [A]],
    ["blank entries between commas", ` , ${A} ,\t, ${B}`, [A, B]],
  ])("skips empty entries: %s", (_label, raw, groupIds) => {
    expect(parseDirective(raw)).toEqual({ kind: "exact", groupIds });
  });

  it("normalises mixed-case hex to lower case", () => {
    const mixed = "8C27f1E1-4d7E-4C85-9d28-3A9E9c9F7e41";
    expect(parseDirective(`${mixed}, ${B.toUpperCase()}`)).toEqual({ kind: "exact", groupIds: [A, B] });
  });

  it("folds repeats, keeping the first position", () => {
    expect(parseDirective(`${A},${B},${A},${C},${B}`)).toEqual({ kind: "exact", groupIds: [A, B, C] });
  });

  it("folds repeats that differ only in letter case", () => {
    expect(parseDirective(`${A.toUpperCase()}, ${B}, ${A}`)).toEqual({ kind: "exact", groupIds: [A, B] });
  });
});

describe("parseDirective: anything else fails with invalid-directive", () => {
  it.each([",", " , ", ",,", "\t,  ,\t"])("rejects %j: commas with no UUID", (raw) => {
    expect(rejection(raw)).toMatch(/has commas but no group UUID/);
  });

  it.each([
    ["a no-break space alone", "\u00a0", "U+00A0", 1],
    ["a figure space alone", "\u2007", "U+2007", 1],
    ["no-break spaces around NONE", "\u00a0NONE\u00a0", "U+00A0", 1],
    ["ideographic spaces around NONE", "\u3000NONE\u3000", "U+3000", 1],
    ["a byte-order mark before IGNORE", "\uFEFFIGNORE", "U+FEFF", 1],
    ["a zero-width space after blanks", " \t\u200bNONE", "U+200B", 3],
    ["an em space after a UUID", `${A}\u2003`, "U+2003", 37],
    ["a no-break space before the second UUID", `${A}, \u00a0${B}`, "U+00A0", 39],
    ["an emoji as an entry", `${A},,\u{1F600}`, "U+1F600", 39],
    ["a line feed after IGNORE", "\tignore\n", "U+000A", 8],
    ["a carriage return and line feed after NONE", "NONE\r\n", "U+000D", 5],
    ["a line feed after a UUID", `${A}\n`, "U+000A", 37],
    ["a control character", "NONE\u0000", "U+0000", 5],
  ])("rejects %s, naming the character and where it is", (_label, raw, code, position) => {
    expect(rejection(raw)).toContain(`holds ${code} at position ${position} of the value`);
  });

  it.each([
    ["IGNORE spelt with a dotless i", "ıgnore", "U+0131 at position 1"],
    ["NONE spelt with a Cyrillic O", "NОNE", "U+041E at position 2"],
    ["IGNORE spelt with a dotted capital I", "İGNORE", "U+0130 at position 1"],
  ])("rejects %s: keywords are ASCII, whatever the letter case", (_label, raw, where) => {
    const message = rejection(raw);
    expect(message).toMatch(/not a group UUID, IGNORE or NONE/);
    expect(message).toContain(where);
  });

  it.each([
    ["a group name", "Privacy | Breach Reporter", 1],
    ["a non-UUID token", `${A},admins`, 2],
    ["a UUID in braces", `{${A}}`, 1],
    ["a UUID missing a digit", `${A}, ${B.slice(0, -1)}`, 2],
    ["a UUID with an extra digit", `${A}0`, 1],
    ["a UUID without dashes", A.replaceAll("-", ""), 1],
    ["a UUID with a non-hex letter", `${A.slice(0, -1)}g`, 1],
    ["UUIDs separated by semicolons", `${A};${B}`, 1],
    ["UUIDs separated by newlines", `${A}\n${B}`, 1],
    ["IGNORE mixed with a UUID", `IGNORE,${A}`, 1],
    ["NONE mixed with a UUID", `NONE,${A}`, 1],
    ["a UUID followed by ignore", `${A}, ignore`, 2],
    ["a UUID followed by none", `${A}, none`, 2],
    ["IGNORE with a space inside", "IG NORE", 1],
  ])("rejects %s and names the bad entry", (_label, raw, entry) => {
    const message = rejection(raw);
    const bad = raw.split(/[,]/)[entry - 1]?.trim() ?? "";
    expect(message).toContain(`entry ${entry}`);
    expect(message).toContain(bad.length > 60 ? bad.slice(0, 57) : bad);
  });

  it("shortens a long bad entry in the message rather than echoing all of it", () => {
    const message = rejection(`${A},${"x".repeat(500)}`);
    expect(message).toContain("entry 2");
    expect(message.length).toBeLessThan(200);
  });

  it("rejects a value over MAX_DIRECTIVE_LENGTH and names the limit", () => {
    // Built from valid UUIDs so only the length is at fault.
    const raw = uuids(120).join(",");
    expect(raw.length).toBeGreaterThan(MAX_DIRECTIVE_LENGTH);
    const message = rejection(raw);
    expect(message).toContain(String(MAX_DIRECTIVE_LENGTH));
    expect(message).toContain(String(raw.length));
  });

  it("accepts a valid list exactly MAX_DIRECTIVE_LENGTH long and rejects one character more", () => {
    // 37n - 1 characters for n UUIDs; pad with spaces around entries (allowed) to reach the limit.
    const ids = uuids(Math.floor((MAX_DIRECTIVE_LENGTH + 1) / 37));
    const list = ids.join(",");
    const atLimit = list + " ".repeat(MAX_DIRECTIVE_LENGTH - list.length);
    expect(atLimit.length).toBe(MAX_DIRECTIVE_LENGTH);
    expect(parseDirective(atLimit)).toEqual({ kind: "exact", groupIds: ids });

    const message = rejection(`${atLimit} `);
    expect(message).toContain(String(MAX_DIRECTIVE_LENGTH));
  });

  it("accepts a long valid list under the limit", () => {
    const ids = uuids(100);
    const raw = ids.join(", ");
    expect(raw.length).toBeLessThan(MAX_DIRECTIVE_LENGTH);
    expect(parseDirective(raw)).toEqual({ kind: "exact", groupIds: ids });
  });
});

describe("resolveDirective: the rows for absent values", () => {
  it.each(["ignore", "clear"] as const)("a present value is parsed whatever the policy (%s)", (policy) => {
    expect(resolveDirective({ state: "present", raw: ` ${A} , ${B} ` }, policy)).toEqual({
      kind: "exact",
      groupIds: [A, B],
    });
    expect(resolveDirective({ state: "present", raw: "ignore" }, policy)).toEqual({ kind: "ignore" });
    expect(resolveDirective({ state: "present", raw: "" }, policy)).toEqual({ kind: "clear" });
  });

  it.each(["ignore", "clear"] as const)("a present but bad value still fails under policy %s", (policy) => {
    expect(() => resolveDirective({ state: "present", raw: "Admins" }, policy)).toThrow(PermanentError);
  });

  it.each(["ignore", "clear"] as const)(
    "a value Entra cleared removes every group under policy %s",
    (policy) => {
      expect(resolveDirective({ state: "cleared" }, policy)).toEqual({ kind: "clear" });
    },
  );

  it("an absent value follows the tenant's missingDirective policy", () => {
    expect(resolveDirective({ state: "absent" }, "ignore")).toEqual({ kind: "ignore" });
    expect(resolveDirective({ state: "absent" }, "clear")).toEqual({ kind: "clear" });
  });
});

describe("describeDirective", () => {
  it.each<[Directive, RegExp]>([
    [{ kind: "ignore" }, /unchanged/],
    [{ kind: "clear" }, /remove every group/],
  ])("describes %j for people", (directive, text) => {
    expect(describeDirective(directive)).toMatch(text);
  });

  it("lists the groups of an exact directive with their count", () => {
    const text = describeDirective({ kind: "exact", groupIds: [A, B] });
    expect(text).toContain("2 group");
    expect(text).toContain(A);
    expect(text).toContain(B);
  });

  it("gives each kind a different description", () => {
    const texts = new Set([
      describeDirective({ kind: "ignore" }),
      describeDirective({ kind: "clear" }),
      describeDirective({ kind: "exact", groupIds: [A] }),
    ]);
    expect(texts.size).toBe(3);
  });
});
