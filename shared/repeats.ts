// Schema refinements that refuse a value listed twice (a tenant id, a connection, a group), with an
// issue at the repeat's own path, so config errors name exactly which entry to fix.

/** The part of a zod refinement context this needs; classic and mini contexts both fit. */
export interface IssueSink {
  addIssue(issue: { code: "custom"; path: PropertyKey[]; message: string }): void;
}

/**
 * Adds `repeats "<value>"` at `pathOf(index)` for every entry whose `keyOf(value)` came earlier.
 * `keyOf` decides what counts as the same (e.g. lower-casing for case-insensitive names).
 */
export function reportRepeats(
  ctx: IssueSink,
  values: readonly string[],
  pathOf: (index: number) => PropertyKey[],
  keyOf: (value: string) => string = (value) => value,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const key = keyOf(value);
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: pathOf(index), message: `repeats "${value}"` });
    seen.add(key);
  });
}
