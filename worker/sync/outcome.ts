// The outcome record each job ends with: its return value in BullMQ, the log line, the metrics.
// An applied outcome is the job's applied change (change.ts) with who and which event.
import { z } from "zod";
import { appliedChangeSchema, summariseChange } from "./change.js";
import { rolesReportSchema } from "./directiveFor.js";

export const skipReasons = ["unknown-connection", "stale", "duplicate", "not-linked"] as const;
export type SkipReason = (typeof skipReasons)[number];

export const syncOutcomeSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("applied"),
    tenantId: z.string(),
    auth0UserId: z.string(),
    sureCloudUserId: z.string(),
    eventId: z.string(),
    ...appliedChangeSchema.shape,
    /** For a tenant whose directive comes from app roles: which roles gave it, and which are unknown. */
    roles: rolesReportSchema.optional(),
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

/** One line for people, e.g. `applied: created ACTIVE; + Read Only` or `skipped: stale`. */
export function summariseOutcome(outcome: SyncOutcome): string {
  switch (outcome.outcome) {
    case "skipped":
      return `skipped: ${outcome.reason}`;
    case "applied":
      return `applied: ${summariseChange(outcome)}`;
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
    }
  }
}
