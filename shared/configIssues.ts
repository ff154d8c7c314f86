// Validation issues as one line that names each field: `tenants.0.surecloud.baseUrl: must be …; …`.
// Takes the plain `{path, message}` shape that classic zod and zod/mini both report and imports
// neither, so the Action's bundle can use it without pulling in classic zod.

/** One validation problem, as zod and zod/mini both report it. */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface FormatIssuesOptions {
  /** Names a problem with the whole value (an empty path). Default `(root)`. */
  root?: string;
  /** Most issues listed; the rest are counted (`; and 2 more`). Default: all of them. */
  limit?: number;
}

/** `tenants.0.surecloud.baseUrl: must be an http(s) URL; tenants.0.id: …`, from issues or a zod error. */
export function formatIssues(
  source: readonly ConfigIssue[] | { readonly issues: readonly ConfigIssue[] },
  options: FormatIssuesOptions = {},
): string {
  const issues = "issues" in source ? source.issues : source;
  const { root = "(root)", limit = issues.length } = options;
  const listed = issues
    .slice(0, limit)
    // String(): a symbol key would make join() throw.
    .map((issue) => `${issue.path.length ? issue.path.map(String).join(".") : root}: ${issue.message}`);
  const rest = issues.length - listed.length;
  return [...listed, ...(rest > 0 ? [`and ${rest} more`] : [])].join("; ");
}
