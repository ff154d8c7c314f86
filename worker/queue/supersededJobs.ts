// Failed jobs that a newer change for the same user superseded: taken out of BullMQ's failed list
// (they are no live problem: a retry would end `skipped: stale`) and kept here for inspection, in a
// capped Redis stream `group-sync:<queue>:superseded`. The worker writes it (supersede.ts); the
// toolbox reads it (`surecloud-sync failed --superseded`).

import { z } from "zod";
import type { RedisClient } from "../../shared/redisConnection.js";
import { supersededJobsKey } from "../redisKeys.js";
import { failureReasons } from "./failureReason.js";

/** Days a superseded job is kept for inspection. */
export const SUPERSEDED_RETENTION_DAYS = 30;
/** Most superseded jobs kept, whatever their age. */
export const SUPERSEDED_MAX_ENTRIES = 10_000;

export const supersededJobSchema = z.object({
  jobId: z.string(),
  reason: z.enum(failureReasons),
  /** The failure message without its `<reason>: ` prefix. */
  message: z.string(),
  tenant: z.string(),
  connection: z.string().nullable(),
  auth0UserId: z.string(),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  /** The job's version (Auth0's `updated_at`, else the event time). */
  version: z.string().nullable(),
  /** ISO 8601 time of the job's last failure. */
  failedAt: z.string().nullable(),
  attempts: z.number(),
  /** ISO 8601 time it was superseded. */
  supersededAt: z.string(),
  /** The applied change that superseded it. */
  supersededBy: z.object({ jobId: z.string(), eventId: z.string(), version: z.string() }),
});
export type SupersededJob = z.infer<typeof supersededJobSchema>;

const DAY_MS = 24 * 3600 * 1000;

/** Stores one superseded job, trimming entries past the retention or the cap. */
export async function storeSupersededJob(
  redis: RedisClient,
  queueName: string,
  job: SupersededJob,
  now = Date.now(),
) {
  const key = supersededJobsKey(queueName);
  const cutoff = String(Math.max(0, now - SUPERSEDED_RETENTION_DAYS * DAY_MS));
  const fields = ["tenant", job.tenant, "job", JSON.stringify(job)];
  const write = redis.multi().xadd(key, "MINID", "~", cutoff, "*", ...fields);
  write.xtrim(key, "MAXLEN", "~", SUPERSEDED_MAX_ENTRIES);
  // A MULTI reports a failed command in its results rather than by rejecting.
  const failure = (await write.exec())?.find(([error]) => error)?.[0];
  if (failure) throw failure;
}

/** Reads a stored entry; undefined for a foreign or damaged one. */
export function parseSupersededJob(fields: string[]): SupersededJob | undefined {
  const at = fields.indexOf("job");
  const raw = at >= 0 ? fields[at + 1] : undefined;
  if (!raw) return undefined;
  try {
    const parsed = supersededJobSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
