// The part of the benchmark that runs the whole pipeline: one local stack (emulator with latency L,
// one worker process at concurrency C, the built Action), then throughput, calls per job, rounds per
// job, end-to-end latency and the worker's memory, in that order, on one queue removed afterwards.
import type { Redis } from "ioredis";
import { freePort } from "../dev/freePort.js";
import { withBenchStack } from "./cleanup.js";
import { startCpuWindow } from "./cpuWindow.js";
import { drainOf, outcomeOf, waitForJobs } from "./jobTimes.js";
import type { BenchOptions } from "./options.js";
import {
  callsPerJob,
  countPutBacks,
  enqueueAll,
  jobIdsOf,
  type PipelineContext,
  resend,
  roundsPerJob,
  serviceMs,
  usersInState,
} from "./pipeline.js";
import { type ProcessSampler, sampleProcess } from "./processSampler.js";
import type { BenchResults } from "./report.js";
import { countBy, round } from "./stats.js";
import { runSteady } from "./steady.js";
import {
  BENCH_CONNECTION,
  BENCH_TENANT,
  type BenchUser,
  benchEvent,
  makeBenchUsers,
  swappedGroups,
  twoGroups,
} from "./users.js";
import { jobTimeSplit, type WorkerMemory, workerMemory } from "./workerMetrics.js";

export interface PipelineRunInput {
  options: BenchOptions;
  redis: Redis;
  runId: string;
  progress(message: string): void;
}

type PipelineParts = Pick<
  BenchResults,
  "throughput" | "unchanged" | "groupChange" | "rounds" | "steady" | "worker"
>;

/** Generous: ten times the drain the ceilings predict, and never under two minutes. */
function drainTimeoutMs(options: BenchOptions, callsPerNewUser = 6): number {
  const byLatency = (options.users * callsPerNewUser * options.latencyMs) / options.concurrency;
  const byGate = (options.users * callsPerNewUser * 1000) / options.gateRps;
  return Math.max(120_000, 10 * Math.max(byLatency, byGate));
}

/** The running worker process, as the benchmark watches it. */
interface WatchedWorker {
  sampler: ProcessSampler;
  memory(at: string): Promise<WorkerMemory>;
  port: number;
}

async function startWatchedWorker(context: PipelineContext, options: BenchOptions): Promise<WatchedWorker> {
  const port = await freePort();
  const child = await context.stack.startWorker({ ...options.workerEnv, HTTP_PORT: String(port) });
  if (child.pid === undefined) throw new Error("the worker process has no pid");
  const sampler = sampleProcess(child.pid);
  return { sampler, port, memory: (at) => workerMemory(at, sampler, port) };
}

interface ThroughputRun {
  throughput: BenchResults["throughput"];
  worker: WatchedWorker;
  idle: WorkerMemory;
  /** The users created, and the version their events carried. */
  users: BenchUser[];
  createdAt: Date;
}

async function measureThroughput(context: PipelineContext, input: PipelineRunInput): Promise<ThroughputRun> {
  const { options, progress } = input;
  const users = makeBenchUsers(options.users, `${input.runId}-n`);
  // An hour back, so that the later updates of these users are newer versions.
  const createdAt = new Date(Date.now() - 3_600_000);
  const events = users.map((user) =>
    benchEvent(user, { type: "user.created", groupIds: twoGroups, time: createdAt }),
  );
  progress(`enqueueing ${events.length} user.created events through the Action (no worker running)`);
  const enqueued = await enqueueAll(context.stack, events);

  context.stack.emulator.resetLog();
  const putBacks = await countPutBacks(context.stack.queueName);
  const worker = await startWatchedWorker(context, options);
  const idle = await worker.memory("idle");
  progress(`draining with one worker process, concurrency ${options.concurrency}, L=${options.latencyMs} ms`);
  const cpu = await startCpuWindow(context.redis, worker.sampler);
  const times = await waitForJobs(context.redis, context.queue, jobIdsOf(events), drainTimeoutMs(options));
  const cpuUse = await cpu.end();
  const putBackCount = await putBacks.stop();
  const split = await jobTimeSplit(worker.port);

  const calls = callsPerJob(context.stack, events.length);
  const drain = drainOf(times);
  const ceiling = options.concurrency / (calls.perJob * (options.latencyMs / 1000));
  const throughput: BenchResults["throughput"] = {
    method:
      "all events enqueued through the Action first, then the worker started; throughput = jobs / (last finishedOn - first processedOn)",
    enqueueMs: enqueued.enqueueMs,
    enqueueSeconds: enqueued.seconds,
    drain: { ...drain, seconds: round(drain.seconds, 3), jobsPerSecond: round(drain.jobsPerSecond) },
    outcomes: countBy(times, outcomeOf),
    usersCorrect: usersInState(context.stack, users, twoGroups),
    serviceMs: serviceMs(times),
    calls,
    ceilingJobsPerSecond: round(ceiling),
    ratioToCeiling: round(drain.jobsPerSecond / ceiling, 4),
    gateCeilingJobsPerSecond: round(options.gateRps / calls.perJob),
    cpu: cpuUse,
    putBacks: putBackCount,
    jobTime: split && {
      jobMs: split.jobMs,
      emulatorMs: calls.emulatorMsPerJob,
      httpClientOverheadMs: round(split.sureCloudClientMs - calls.emulatorMsPerJob, 1),
      outsideSureCloudMs: round(split.jobMs - split.sureCloudClientMs, 1),
    },
  };
  progress(`throughput ${throughput.drain.jobsPerSecond} jobs/s; ceiling ${throughput.ceilingJobsPerSecond}`);
  return { throughput, worker, idle, users, createdAt };
}

async function measureAll(context: PipelineContext, input: PipelineRunInput): Promise<PipelineParts> {
  const { options, progress } = input;
  const run = await measureThroughput(context, input);
  const { worker } = run;
  try {
    const timeline = [run.idle, await worker.memory("after drain")];
    const sample = run.users.slice(0, options.sample);
    const later = (seconds: number) => new Date(run.createdAt.getTime() + seconds * 1000);
    progress(`re-sending ${sample.length} users unchanged, then with one group swapped`);
    const unchanged = await resend(context, sample, {
      type: "user.updated",
      groupIds: twoGroups,
      time: later(60),
    });
    const groupChange = await resend(context, sample, {
      type: "user.updated",
      groupIds: swappedGroups,
      time: later(120),
    });
    timeline.push(await worker.memory("after re-sends"));
    const joiners = makeBenchUsers(options.roundJobs, `${input.runId}-r`);
    progress(`${joiners.length} new users, then the same unchanged, one job at a time, for rounds per job`);
    const rounds = {
      newJoiner: await roundsPerJob(context, joiners, {
        type: "user.created",
        groupIds: twoGroups,
        time: later(0),
      }),
      unchanged: await roundsPerJob(context, joiners, {
        type: "user.updated",
        groupIds: twoGroups,
        time: later(60),
      }),
    };
    progress(`steady ${options.rate} events/s for ${options.steadySeconds} s`);
    const steady = await runSteady(context, {
      rate: options.rate,
      seconds: options.steadySeconds,
      label: `${input.runId}-s`,
    });
    timeline.push(await worker.memory("end"));
    const memory = {
      rssIdleMb: run.idle.rssMb,
      rssPeakMb: round(worker.sampler.peakRssMb(), 1),
      rssEndMb: timeline.at(-1)?.rssMb ?? Number.NaN,
      timeline,
    };
    return { throughput: run.throughput, unchanged, groupChange, rounds, steady, worker: memory };
  } finally {
    worker.sampler.stop();
  }
}

export async function runPipelineParts(input: PipelineRunInput): Promise<PipelineParts> {
  const { options, redis, runId } = input;
  const stackOptions = {
    workers: 0,
    queueName: `bench-${runId}`,
    tenants: [{ id: BENCH_TENANT, connection: BENCH_CONNECTION, requestsPerSecond: options.gateRps }],
    workerEnv: { WORKER_CONCURRENCY: String(options.concurrency) },
  };
  return withBenchStack(stackOptions, options.latencyMs, async (stack, queue) => {
    return measureAll({ stack, queue, redis }, input);
  });
}
