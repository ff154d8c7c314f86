// The one model of what a job changed in SureCloud. The job's outcome, its metrics and its audit
// entry are all built on it, and one function says it in words, so a log line, the CLI and the
// audit trail never describe the same change differently.
import { z } from "zod";
import { groupRefSchema, userStatusSchema } from "../../contract/surecloud.js";

export const statusChangeSchema = z.object({ from: userStatusSchema.nullable(), to: userStatusSchema });

export const appliedChangeSchema = z.object({
  /** A SureCloud user was created. */
  created: z.boolean(),
  /** Fields written on an existing user (`externalId` when it was linked, `status` …). */
  fields: z.array(z.string()),
  /** The status written, when one was (a created user's, or a change of an existing one's). */
  status: statusChangeSchema.optional(),
  added: z.array(groupRefSchema),
  removed: z.array(groupRefSchema),
});
export type AppliedChange = z.infer<typeof appliedChangeSchema>;

/** A change that wrote nothing. */
export const noChange = (): AppliedChange => ({ created: false, fields: [], added: [], removed: [] });

export function changedNothing(change: AppliedChange): boolean {
  return !change.created && change.fields.length === 0 && !change.added.length && !change.removed.length;
}

/**
 * One line for people: `created ACTIVE; + Read Only`, `updated email; ACTIVE -> INACTIVE`,
 * `- Risk | Manager`, or `no change`. Field and group names are sorted.
 */
export function summariseChange(change: AppliedChange): string {
  if (changedNothing(change)) return "no change";
  const parts: string[] = [];
  const fields = change.fields.filter((field) => field !== "status").sort();
  if (change.created) parts.push(`created ${change.status?.to ?? ""}`.trim());
  else if (fields.length) parts.push(`updated ${fields.join(", ")}`);
  if (!change.created && change.status) parts.push(`${change.status.from ?? "new"} -> ${change.status.to}`);
  if (change.added.length) parts.push(`+ ${names(change.added)}`);
  if (change.removed.length) parts.push(`- ${names(change.removed)}`);
  return parts.join("; ");
}

function names(groups: Array<{ name: string }>): string {
  return groups
    .map((group) => group.name)
    .sort()
    .join(", ");
}
