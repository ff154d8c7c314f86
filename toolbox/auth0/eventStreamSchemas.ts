// The Management API's event-stream answers that the redeliver and stream-status commands read,
// as zod schemas. Only the fields the commands use are checked; Auth0 sends more.
//
// Terms: a *stream* is an Auth0 event stream (`est_…`); a *delivery* is Auth0's record of one event
// it could not hand to the stream's destination (the Action or webhook) after its retries; the
// *dead-letter list* is the stream's failed deliveries, which redelivery brings back.
import { z } from "zod";
import { userEventTypes } from "../../shared/auth0Event.js";

export const streamStatuses = ["enabled", "disabled"] as const;

export const eventStreamSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(""),
  /** Optional in Auth0's schema; absent is shown as unknown, never assumed enabled. */
  status: z.enum(streamStatuses).optional(),
  destination: z
    .object({
      type: z.string(),
      // Only the non-secret part is read: an Action's id or a webhook's URL, never its authorization.
      configuration: z
        .object({ action_id: z.string().optional(), webhook_endpoint: z.string().optional() })
        .optional(),
    })
    .optional(),
});
export type EventStream = z.infer<typeof eventStreamSchema>;

/** `GET /event-streams`: `{eventStreams, next}` when paged; a bare array is read as one page. */
export const eventStreamListSchema = z.union([
  z.object({ eventStreams: z.array(eventStreamSchema).default([]), next: z.string().optional() }),
  z.array(eventStreamSchema).transform((eventStreams) => ({ eventStreams, next: undefined })),
]);

const deliveryAttemptSchema = z.object({
  status: z.string(),
  timestamp: z.string(),
  error_message: z.string().optional(),
});

export const deliverySchema = z.object({
  /** The id `POST …/redeliver/{event_id}` and `GET …/deliveries/{event_id}` take. */
  id: z.string().min(1),
  status: z.string(),
  event_type: z.string(),
  attempts: z.array(deliveryAttemptSchema).default([]),
  event: z.object({ id: z.string().optional(), time: z.string().optional() }).optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/**
 * `GET /event-streams/{id}/deliveries`: the SDK (and Auth0's newer SDKs) read `{deliveries, next}`
 * when `take` is sent; Auth0's reference page shows a bare array. Both are accepted, so a change of
 * shape can never read as "no failed deliveries".
 */
export const deliveryPageSchema = z.union([
  z.object({ deliveries: z.array(deliverySchema), next: z.string().optional() }),
  z.array(deliverySchema).transform((deliveries) => ({ deliveries, next: undefined })),
]);

/** The one delivery status Auth0 has: failed deliveries are the only ones it keeps. */
export const FAILED = "failed";

/** The event types this project's stream carries, and so the only ones a redelivery names. */
export const redeliveryEventTypeSchema = z.enum(userEventTypes);
export type RedeliveryEventType = z.infer<typeof redeliveryEventTypeSchema>;

/** `POST /event-streams/{id}/redeliver`: the body, and the filter Auth0 echoes back (202). */
export const redeliveryFilterSchema = z.object({
  date_from: z.string().optional(),
  date_to: z.string().optional(),
  statuses: z.array(z.literal(FAILED)).optional(),
  event_types: z.array(redeliveryEventTypeSchema).optional(),
});
export type RedeliveryFilter = z.infer<typeof redeliveryFilterSchema>;

/** Parses an answer, or fails naming the call and the first field that did not fit. */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "";
  throw new Error(`Auth0 answered ${what} with an unexpected shape: ${where}`);
}
