// Throughput under a tenant rate limit with three worker replicas: the bench tenant at
// `requestsPerSecond` R (the gate the replicas share through Redis), a backlog of new joiners with a
// 2-group directive (k = 3 calls: createUser, then both addMember), and latency L on every request.
// Read from the emulator's own log: jobs/s against R/k over the steady part, and the most requests
// that arrived in any one second against R. The emulator's faults can only answer a fixed count of
// 429s, not 429 above a rate, so an overshoot shows as a busiest second above R, not as 429s.
import type { Redis } from "ioredis";
import type { LoggedRequest } from "../dev/surecloud-emulator/requestLog.js";
import { withBenchStack } from "./cleanup.js";
import { outcomeOf, waitForJobs } from "./jobTimes.js";
import type { BenchOptions } from "./options.js";
import { enqueueAll, jobIdsOf, usersInState } from "./pipeline.js";
import type { Target } from "./report.js";
import { countBy, round } from "./stats.js";
import { BENCH_CONNECTION, BENCH_TENANT, benchEvent, makeBenchUsers, twoGroups } from "./users.js";

/** Worker processes sharing the tenant's limit. */
export const REPLICAS = 3;
/** Left out at the start of the run: workers open connections and fill their slots. */
const WARM_UP_MS = 1_000;

export interface RateLimitedResult {
  requestsPerSecond: number;
  workers: number;
  latencyMs: number;
  jobs: number;
  /** SureCloud requests per job, the group listing left out (cached per worker). */
  callsPerJob: number;
  /** From 1 s after the first request arrived to the arrival of the last job's createUser. */
  steadySeconds: number;
  /** Requests that arrived in the steady part, per second (group listings included). */
  steadyRequestsPerSecond: number;
  /** The jobs' requests in the steady part ÷ k, per second: the work done, in jobs. */
  jobsPerSecond: number;
  /** R / k. */
  ceilingJobsPerSecond: number;
  ratioToCeiling: number;
  /** Jobs ÷ (last answer − first arrival): start-up and tail included. */
  drainJobsPerSecond: number;
  /** Most requests arriving in any 1 s window, whole run; and when it began, s after the first. */
  busiestSecond: { requests: number; startsAtSecond: number };
  /** The same within the steady part. */
  busiestSteadySecond: number;
  /** 429s the emulator answered. */
  throttled: number;
  outcomes: Record<string, number>;
  usersCorrect: number;
}

/** Most arrivals in any window [t, t + 1 s), t an arrival, and where the window starts. */
export function busiestWindow(arrivals: readonly number[]): { count: number; startsAt: number } {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let best = { count: 0, startsAt: Number.NaN };
  let end = 0;
  for (const [start, at] of sorted.entries()) {
    while (end < sorted.length && (sorted[end] as number) < at + 1000) end += 1;
    if (end - start > best.count) best = { count: end - start, startsAt: at };
  }
  return best;
}

const arrivalOf = (request: LoggedRequest) => request.startMs ?? Date.parse(request.time);
const answerOf = (request: LoggedRequest) => request.endMs ?? arrivalOf(request) + request.durationMs;

/** The figures, from the emulator's log of this run alone. */
export function rateLimitedFigures(
  requests: readonly LoggedRequest[],
  jobs: number,
  requestsPerSecond: number,
): Omit<RateLimitedResult, "workers" | "latencyMs" | "outcomes" | "usersCorrect"> {
  const jobRequests = requests.filter((request) => request.operation !== "listGroups");
  const k = jobRequests.length / jobs;
  const first = Math.min(...requests.map(arrivalOf));
  const lastAnswer = Math.max(...requests.map(answerOf));
  const creates = requests.filter((request) => request.operation === "createUser").map(arrivalOf);
  const from = first + WARM_UP_MS;
  // After the last createUser the backlog is empty: only the last jobs' memberships are left.
  const to = Math.max(...creates);
  const seconds = Math.max(to - from, 1) / 1000;
  const inSteady = (request: LoggedRequest) => arrivalOf(request) >= from && arrivalOf(request) <= to;
  const jobsPerSecond = jobRequests.filter(inSteady).length / k / seconds;
  const ceiling = requestsPerSecond / k;
  const busiest = busiestWindow(requests.map(arrivalOf));
  return {
    requestsPerSecond,
    jobs,
    callsPerJob: round(k, 3),
    steadySeconds: round(seconds, 2),
    steadyRequestsPerSecond: round(requests.filter(inSteady).length / seconds),
    jobsPerSecond: round(jobsPerSecond),
    ceilingJobsPerSecond: round(ceiling),
    ratioToCeiling: round(jobsPerSecond / ceiling, 4),
    drainJobsPerSecond: round(jobs / (Math.max(lastAnswer - first, 1) / 1000)),
    busiestSecond: { requests: busiest.count, startsAtSecond: round((busiest.startsAt - first) / 1000, 2) },
    busiestSteadySecond: busiestWindow(requests.filter(inSteady).map(arrivalOf)).count,
    throttled: requests.filter((request) => request.status === 429).length,
  };
}

export interface RateLimitedInput {
  options: BenchOptions;
  redis: Redis;
  runId: string;
  progress(message: string): void;
}

/** Runs the phase on its own stack and queue, removed afterwards; null when `--limited-jobs 0`. */
export async function runRateLimited(input: RateLimitedInput): Promise<RateLimitedResult | null> {
  const { options, redis, progress } = input;
  const R = options.limitedRps;
  if (options.limitedJobs === 0) return null;
  const stackOptions = {
    workers: REPLICAS,
    queueName: `bench-${input.runId}-limited`,
    tenants: [{ id: BENCH_TENANT, connection: BENCH_CONNECTION, requestsPerSecond: R }],
    workerEnv: { WORKER_CONCURRENCY: String(options.concurrency), ...options.workerEnv },
  };
  return withBenchStack(stackOptions, options.latencyMs, async (stack, queue) => {
    const users = makeBenchUsers(options.limitedJobs, `${input.runId}-l`);
    const events = users.map((user) =>
      benchEvent(user, { type: "user.created", groupIds: twoGroups, time: new Date() }),
    );
    progress(
      `rate-limited: ${events.length} new users, ${REPLICAS} workers sharing ${R} requests/s, L=${options.latencyMs} ms`,
    );
    stack.emulator.resetLog();
    await enqueueAll(stack, events);
    // Generous: three times what the limit allows for 3 calls a job, and a minute more.
    const timeoutMs = (events.length * 3 * 3 * 1000) / R + 60_000;
    const times = await waitForJobs(redis, queue, jobIdsOf(events), timeoutMs);
    const requests = stack.emulator.requests({ tenant: BENCH_TENANT });
    const result: RateLimitedResult = {
      ...rateLimitedFigures(requests, events.length, R),
      workers: REPLICAS,
      latencyMs: options.latencyMs,
      outcomes: countBy(times, outcomeOf),
      usersCorrect: usersInState(stack, users, twoGroups),
    };
    progress(
      `rate-limited: ${result.jobsPerSecond} jobs/s of R/k ${result.ceilingJobsPerSecond}; busiest second ${result.busiestSecond.requests} requests`,
    );
    return result;
  });
}

export function rateLimitedTargets(result: RateLimitedResult | null): Target[] {
  if (!result) return [];
  const r = result;
  const where = `R=${r.requestsPerSecond}/s, ${r.workers} workers, L=${r.latencyMs} ms`;
  return [
    {
      measure: `Throughput under a tenant limit vs R/k (${where}, steady part)`,
      target: ">= 90%",
      value: `${(r.ratioToCeiling * 100).toFixed(1)}% (${r.jobsPerSecond} of ${r.ceilingJobsPerSecond} jobs/s, k = ${r.callsPerJob})`,
      met: r.ratioToCeiling >= 0.9,
    },
    {
      measure: `Requests in the busiest second vs R (${where}, whole run)`,
      target: `<= ${r.requestsPerSecond}, 0 429s`,
      value: `${r.busiestSecond.requests} (at +${r.busiestSecond.startsAtSecond} s; steady part ${r.busiestSteadySecond}); ${r.throttled} 429s`,
      met: r.busiestSecond.requests <= r.requestsPerSecond && r.throttled === 0,
    },
  ];
}

/** Rows for the report's measurements table. */
export function rateLimitedRows(result: RateLimitedResult | null): string[][] {
  if (!result) return [];
  const r = result;
  return [
    [
      `Under a limit of ${r.requestsPerSecond} requests/s, ${r.workers} workers`,
      `${r.jobs} jobs; steady ${r.steadySeconds} s: ${r.steadyRequestsPerSecond} requests/s, ${r.jobsPerSecond} jobs/s; whole drain ${r.drainJobsPerSecond} jobs/s; outcomes ${Object.entries(
        r.outcomes,
      )
        .map(([name, count]) => `${name} ${count}`)
        .join(", ")}; ${r.usersCorrect}/${r.jobs} users correct`,
    ],
  ];
}
