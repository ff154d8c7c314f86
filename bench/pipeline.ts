// The pipeline runs of the benchmark, through the real pieces: events go through the built Action
// into Redis, a worker process applies them to the SureCloud emulator. Throughput (enqueue all, then
// drain), SureCloud calls per job for a new user, an unchanged user and a group change, and rounds
// of SureCloud latency per job, read from jobs sent one at a time.
import { type Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Auth0UserCloudEvent } from "../dev/auth0Events.js";
import { type LocalStack, REDIS_URL } from "../dev/localStack.js";
import { type LoggedRequest, roundsOf } from "../dev/surecloud-emulator/requestLog.js";
import { jobIdFor } from "../shared/job.js";
import { type JobTimes, outcomeOf, waitForJobs } from "./jobTimes.js";
import { countBy, round, type Summary, summarize } from "./stats.js";
import { BENCH_TENANT, type BenchUser, benchEvent, hasGroups, type UserEventSpec } from "./users.js";

export interface PipelineContext {
  stack: LocalStack;
  /** The stack's queue, for reading job times. */
  queue: Queue;
  redis: Redis;
}

export interface TimedSend {
  /** Epoch ms just before the Action was called. */
  startedAt: number;
  /** How long onExecuteEventStream took. */
  ms: number;
}

/** Calls the Action once, timing the call as Auth0 would see it. */
export async function timedSend(stack: LocalStack, message: Auth0UserCloudEvent): Promise<TimedSend> {
  const startedAt = Date.now();
  const started = performance.now();
  await stack.send(message);
  return { startedAt, ms: performance.now() - started };
}

export function jobIdsOf(events: readonly Auth0UserCloudEvent[]): string[] {
  return events.map((event) => jobIdFor("event", event.id));
}

/** Sends every event through the Action one after another; the worker is not running yet. */
export async function enqueueAll(
  stack: LocalStack,
  events: readonly Auth0UserCloudEvent[],
): Promise<{ enqueueMs: Summary; seconds: number }> {
  const started = performance.now();
  const latencies: number[] = [];
  for (const event of events) latencies.push((await timedSend(stack, event)).ms);
  return { enqueueMs: summarize(latencies, 3), seconds: round((performance.now() - started) / 1000) };
}

export interface SureCloudCalls {
  /** API requests the emulator answered, per job (all operations). */
  perJob: number;
  /** The same, split by the contract's operationId. */
  byOperation: Record<string, number>;
  /** How long the emulator took per request, injected latency included. */
  requestMs: Summary;
  /** The emulator's time summed over a job's requests, on average. */
  emulatorMsPerJob: number;
}

/** SureCloud calls per job from the emulator's request log since its last reset. */
export function callsPerJob(stack: LocalStack, jobs: number): SureCloudCalls {
  const requests = stack.emulator.requests({ tenant: BENCH_TENANT });
  const byOperation = Object.fromEntries(
    Object.entries(countBy(requests, (request) => request.operation ?? "unknown")).map(([op, count]) => [
      op,
      round(count / jobs, 3),
    ]),
  );
  return {
    perJob: round(requests.length / jobs, 3),
    byOperation,
    requestMs: summarize(
      requests.map((request) => request.durationMs),
      1,
    ),
    emulatorMsPerJob: round(requests.reduce((sum, request) => sum + request.durationMs, 0) / jobs, 1),
  };
}

/** How many of these users SureCloud holds with exactly the wanted groups. */
export function usersInState(
  stack: LocalStack,
  users: readonly BenchUser[],
  groupIds: readonly string[],
): number {
  const byExternalId = new Map(
    stack.emulator.state(BENCH_TENANT).users.map((user) => [user.externalId, user]),
  );
  return users.filter((user) => {
    const found = byExternalId.get(user.userId);
    return found !== undefined && hasGroups(found.groups, groupIds);
  }).length;
}

export interface ResendResult {
  jobs: number;
  calls: SureCloudCalls;
  outcomes: Record<string, number>;
  /** Users whose SureCloud groups are the wanted ones afterwards. */
  usersCorrect: number;
}

/**
 * Sends one event per user (the worker running), waits for every job, and counts SureCloud calls:
 * how the unchanged-user and group-change cases are measured.
 */
export async function resend(
  context: PipelineContext,
  users: readonly BenchUser[],
  spec: UserEventSpec,
): Promise<ResendResult> {
  const { stack, queue, redis } = context;
  const events = users.map((user) => benchEvent(user, spec));
  stack.emulator.resetLog();
  await Promise.all(events.map((event) => stack.send(event)));
  const times = await waitForJobs(redis, queue, jobIdsOf(events), 120_000);
  return {
    jobs: times.length,
    calls: callsPerJob(stack, times.length),
    outcomes: countBy(times, outcomeOf),
    usersCorrect: usersInState(stack, users, spec.groupIds),
  };
}

export interface RoundsPerJob {
  jobs: number;
  /** API requests per job, the group listing left out: it is cached per worker, not made per job. */
  callsPerJob: number;
  /** Rounds of SureCloud latency per job: requests whose time spans overlap are one round (roundsOf). */
  roundsPerJob: number;
  maxRounds: number;
  /** Each job's rounds, e.g. `createUser → addMember + addMember`, with how many jobs made them. */
  shapes: Record<string, number>;
  /** Group listings made during these jobs, left out of the counts above. */
  groupListings: number;
  outcomes: Record<string, number>;
  /** Users whose SureCloud groups are the wanted ones afterwards. */
  usersCorrect: number;
}

/** A job's rounds as text: operations sent together joined by `+`, rounds in order by `→`. */
function shapeOf(rounds: LoggedRequest[][]): string {
  return rounds
    .map((requests) =>
      requests
        .map((request) => request.operation ?? "unknown")
        .sort()
        .join(" + "),
    )
    .join(" → ");
}

/**
 * Sends one event per user, one job at a time (the worker running), so that each job's requests are
 * alone in the emulator's log: its calls, and its rounds of latency, which jobs running together
 * would blur into each other's.
 */
export async function roundsPerJob(
  context: PipelineContext,
  users: readonly BenchUser[],
  spec: UserEventSpec,
): Promise<RoundsPerJob> {
  const { stack, queue, redis } = context;
  const jobs: LoggedRequest[][][] = [];
  const times: JobTimes[] = [];
  let groupListings = 0;
  for (const user of users) {
    const event = benchEvent(user, spec);
    stack.emulator.resetLog();
    await stack.send(event);
    times.push(...(await waitForJobs(redis, queue, jobIdsOf([event]), 60_000)));
    const requests = stack.emulator.requests({ tenant: BENCH_TENANT });
    const own = requests.filter((request) => request.operation !== "listGroups");
    groupListings += requests.length - own.length;
    jobs.push(roundsOf(own));
  }
  const rounds = jobs.map((job) => job.length);
  return {
    jobs: jobs.length,
    callsPerJob: round(jobs.reduce((sum, job) => sum + job.flat().length, 0) / jobs.length, 3),
    roundsPerJob: round(rounds.reduce((sum, count) => sum + count, 0) / jobs.length, 3),
    maxRounds: Math.max(...rounds),
    shapes: countBy(jobs, shapeOf),
    groupListings,
    outcomes: countBy(times, outcomeOf),
    usersCorrect: usersInState(stack, users, spec.groupIds),
  };
}

/** How long each job held a worker slot, from taken to finished. */
export function serviceMs(times: readonly JobTimes[]): Summary {
  return summarize(
    times.map((job) => job.finishedOn - job.processedOn),
    1,
  );
}

/**
 * Counts jobs the worker moved back to delayed (a user's lock held elsewhere, or its tenant at its
 * share of the slots): each costs Redis round trips and adds latency to that job.
 */
export async function countPutBacks(queueName: string): Promise<{ stop(): Promise<number> }> {
  const events = new QueueEvents(queueName, { connection: { url: REDIS_URL } });
  await events.waitUntilReady();
  let count = 0;
  events.on("delayed", () => {
    count += 1;
  });
  return {
    async stop() {
      await events.close();
      return count;
    },
  };
}
