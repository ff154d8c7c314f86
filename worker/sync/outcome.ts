// The outcome record each job ends with: its return value in BullMQ, the log line, the metrics.
import { z } from "zod";
import { groupRefSchema, userStatusSchema } from "../../contract/surecloud.js";

export const skipReasons = ["unknown-connection", "stale", "duplicate", "not-linked"] as const;
export type SkipReason = (typeof skipReasons)[number];

export const syncOutcomeSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("applied"),
    tenantId: z.string(),
    auth0UserId: z.string(),
    sureCloudUserId: z.string(),
    eventId: z.string(),
    created: z.boolean(),
    /** Fields written on an existing user. */
    fields: z.array(z.string()),
    status: z.object({ from: userStatusSchema.nullable(), to: userStatusSchema }).optional(),
    added: z.array(groupRefSchema),
    removed: z.array(groupRefSchema),
  }),
  z.object({
    outcome: z.literal("skipped"),
    reason: z.enum(skipReasons),
    tenantId: z.string().optional(),
    auth0UserId: z.string(),
    eventId: z.string(),
  }),
]);
export type SyncOutcome = z.infer<typeof syncOutcomeSchema>;
export type AppliedOutcome = Extract<SyncOutcome, { outcome: "applied" }>;

/** True when an applied outcome wrote nothing. */
export function changedNothing(outcome: AppliedOutcome): boolean {
  return !outcome.created && outcome.fields.length === 0 && !outcome.added.length && !outcome.removed.length;
}

/** One line for people, e.g. `applied: created, +2 groups` or `skipped: stale`. */
export function summariseOutcome(outcome: SyncOutcome): string {
  switch (outcome.outcome) {
    case "skipped":
      return `skipped: ${outcome.reason}`;
    case "applied": {
      if (changedNothing(outcome)) return "applied: no change";
      const fields = outcome.fields.filter((field) => field !== "status");
      const parts: string[] = [];
      if (outcome.created) parts.push(`created ${outcome.status?.to ?? ""}`.trim());
      else if (fields.length) parts.push(`updated ${fields.join(", ")}`);
      if (!outcome.created && outcome.status)
        parts.push(`${outcome.status.from ?? "new"} -> ${outcome.status.to}`);
      if (outcome.added.length) parts.push(`+ ${names(outcome.added)}`);
      if (outcome.removed.length) parts.push(`- ${names(outcome.removed)}`);
      return `applied: ${parts.join("; ")}`;
    }
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
    }
  }
}

function names(groups: Array<{ name: string }>): string {
  return groups
    .map((group) => group.name)
    .sort()
    .join(", ");
}
