// Schema refinements that refuse a value listed twice (a tenant id, a connection, a group), with an
// issue at the repeat's own path, so config errors name exactly which entry to fix.

/** The part of a zod refinement context this needs; classic and mini contexts both fit. */
export interface IssueSink {
  addIssue(issue: { code: "custom"; path: PropertyKey[]; message: string }): void;
}

/**
 * Adds an issue at `pathOf(index)` for every entry whose `keyOf(value)` came earlier, at `first`.
 * `keyOf` decides what counts as the same (e.g. lower-casing for case-insensitive names); `messageOf`
 * says it (default `repeats "<value>"`), e.g. naming the entry that had it first.
 */
export function reportRepeats(
  ctx: IssueSink,
  values: readonly string[],
  pathOf: (index: number) => PropertyKey[],
  keyOf: (value: string) => string = (value) => value,
  messageOf: (value: string, index: number, first: number) => string = (value) => `repeats "${value}"`,
): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const key = keyOf(value);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else ctx.addIssue({ code: "custom", path: pathOf(index), message: messageOf(value, index, first) });
  });
}
