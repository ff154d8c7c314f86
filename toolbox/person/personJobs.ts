// The sync jobs about one person, read from BullMQ: the newest of each state (bounded, so a large
// queue costs a few reads), matched by Auth0 user id, email or userName, each with its outcome.
import type { Job, JobType, Queue } from "bullmq";
import { z } from "zod";
import { describeResult, type JobResult } from "../smoke/jobResult.js";

/** Jobs read per state: a person's recent history, not an archive. */
export const JOBS_SCANNED_PER_STATE = 1000;

const STATES: JobType[] = ["active", "waiting", "prioritized", "delayed", "completed", "failed"];

// Lenient, as for failed jobs: a job whose data broke the schema still belongs to someone.
const optionalText = z.string().optional().catch(undefined);
const jobDataSchema = z.object({
  origin: optionalText,
  connection: optionalText,
  version: optionalText,
  event: z.object({ id: optionalText, type: optionalText }).optional().catch(undefined),
  user: z
    .object({
      userId: optionalText,
      email: optionalText,
      userName: optionalText,
      blocked: z.boolean().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  directive: z.object({ state: optionalText, raw: optionalText }).optional().catch(undefined),
});

export interface PersonJob {
  jobId: string;
  state: string;
  eventId: string | null;
  eventType: string | null;
  origin: string | null;
  connection: string | null;
  auth0UserId: string | null;
  email: string | null;
  userName: string | null;
  /** The directive the job carried: its raw value, `(cleared)` or `(none)`. */
  directive: string;
  blocked: boolean;
  /** The user's version the job carried (`updated_at`). */
  version: string | null;
  /** When the job was queued, and when it finished (ISO 8601). */
  queuedAt: string | null;
  finishedAt: string | null;
  /** applied: …, skipped: … (why), failed: reason: message, retrying: …, or the state. */
  outcome: string;
}

/** Every job of the scanned window, newest first. */
export async function recentJobs(queue: Queue, perState = JOBS_SCANNED_PER_STATE): Promise<PersonJob[]> {
  const views: PersonJob[] = [];
  for (const state of STATES) {
    const jobs = await queue.getJobs([state], 0, perState - 1, false);
    for (const job of jobs) if (job?.id) views.push(viewJob(job, state));
  }
  return views.sort((a, b) =>
    (b.finishedAt ?? b.queuedAt ?? "").localeCompare(a.finishedAt ?? a.queuedAt ?? ""),
  );
}

/** Whether the job is about the person: one of the Auth0 ids, or the email or userName (any case). */
export function isAbout(job: PersonJob, auth0UserIds: ReadonlySet<string>, text: string): boolean {
  const same = (value: string | null) => value !== null && value.toLowerCase() === text.toLowerCase();
  return (
    (job.auth0UserId !== null && auth0UserIds.has(job.auth0UserId)) || same(job.email) || same(job.userName)
  );
}

function viewJob(job: Job, state: string): PersonJob {
  const parsed = jobDataSchema.safeParse(job.data);
  const data = parsed.success ? parsed.data : {};
  return {
    jobId: job.id ?? "",
    state,
    eventId: data.event?.id ?? null,
    eventType: data.event?.type ?? null,
    origin: data.origin ?? null,
    connection: data.connection ?? null,
    auth0UserId: data.user?.userId ?? null,
    email: data.user?.email ?? null,
    userName: data.user?.userName ?? null,
    directive: directiveOf(data.directive),
    blocked: data.user?.blocked === true,
    version: data.version ?? null,
    queuedAt: job.timestamp ? new Date(job.timestamp).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    outcome: outcomeOf(job, state),
  };
}

function directiveOf(
  directive: { state?: string | undefined; raw?: string | undefined } | undefined,
): string {
  if (directive?.state === "present") return JSON.stringify(directive.raw ?? "");
  return directive?.state === "cleared" ? "(cleared)" : "(none)";
}

function outcomeOf(job: Job, state: string): string {
  const result: JobResult =
    state === "completed" ? { state, outcome: job.returnvalue } : { state, failedReason: job.failedReason };
  if (state === "completed" || state === "failed") return describeResult(result);
  if (state === "delayed" && job.failedReason) return describeResult(result);
  return state;
}
