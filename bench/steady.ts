// End-to-end latency at a steady arrival rate (default 25 events/s, Auth0's inbound SCIM ceiling):
// each event goes through the Action on a fixed schedule while the worker drains, and its latency runs
// from the Action call to the job's finish, which comes after its last SureCloud write was answered.
import { setTimeout as delay } from "node:timers/promises";
import { outcomeOf, waitForJobs } from "./jobTimes.js";
import { jobIdsOf, type PipelineContext, type TimedSend, timedSend, usersInState } from "./pipeline.js";
import { countBy, round, type Summary, summarize } from "./stats.js";
import { benchEvent, makeBenchUsers, twoGroups } from "./users.js";

export interface SteadyOptions {
  rate: number;
  seconds: number;
  /** Keeps these users apart from other runs'. */
  label: string;
}

export interface SteadyResult {
  events: number;
  /** The rate the schedule achieved. */
  eventsPerSecond: number;
  /** Action call to job finished. */
  endToEndMs: Summary;
  /** Action call alone, while the worker is busy. */
  enqueueMs: Summary;
  /** Action call to a worker taking the job. */
  queueWaitMs: Summary;
  outcomes: Record<string, number>;
  usersCorrect: number;
}

/** New users (the heaviest common job: match, create, two memberships) arriving at `rate`. */
export async function runSteady(context: PipelineContext, options: SteadyOptions): Promise<SteadyResult> {
  const count = Math.max(1, Math.round(options.rate * options.seconds));
  const users = makeBenchUsers(count, options.label);
  const time = new Date();
  const events = users.map((user) => benchEvent(user, { type: "user.created", groupIds: twoGroups, time }));
  const intervalMs = 1000 / options.rate;

  const started = performance.now();
  const sends: Promise<TimedSend>[] = [];
  for (const [index, event] of events.entries()) {
    const wait = started + index * intervalMs - performance.now();
    if (wait > 0) await delay(wait);
    // Not awaited: Auth0 delivers the next event on its own schedule, not after this one is stored.
    sends.push(timedSend(context.stack, event));
  }
  const sent = await Promise.all(sends);
  const sendSeconds = (performance.now() - started) / 1000;
  const times = await waitForJobs(context.redis, context.queue, jobIdsOf(events), 120_000);

  return {
    events: count,
    eventsPerSecond: round(count / sendSeconds),
    endToEndMs: summarize(
      times.map((job, index) => job.finishedOn - (sent[index] as TimedSend).startedAt),
      1,
    ),
    enqueueMs: summarize(
      sent.map((send) => send.ms),
      3,
    ),
    queueWaitMs: summarize(
      times.map((job, index) => job.processedOn - (sent[index] as TimedSend).startedAt),
      1,
    ),
    outcomes: countBy(times, outcomeOf),
    usersCorrect: usersInState(context.stack, users, twoGroups),
  };
}
