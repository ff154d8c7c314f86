// The benchmark's results: their shape, the targets they are read against (reported as met or not,
// never enforced), and the Markdown table printed and written beside latest.json.

import type { CpuUse } from "./cpuWindow.js";
import type { Drain } from "./jobTimes.js";
import type { BenchOptions } from "./options.js";
import type { ResendResult, RoundsPerJob, SureCloudCalls } from "./pipeline.js";
import { type RateLimitedResult, rateLimitedRows, rateLimitedTargets } from "./rateLimited.js";
import type { RedisMemoryResult } from "./redisMemory.js";
import type { Summary } from "./stats.js";
import type { SteadyResult } from "./steady.js";
import type { WorkerMemory } from "./workerMetrics.js";

export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    redis: string;
    platform: string;
    /** 1-minute load average when the run started: other work on the machine skews the numbers. */
    loadAverageAtStart: number;
  };
  parameters: BenchOptions;
  throughput: {
    /** Enqueue every event through the Action first, then time the worker's drain. */
    method: string;
    enqueueMs: Summary;
    enqueueSeconds: number;
    drain: Drain;
    outcomes: Record<string, number>;
    usersCorrect: number;
    /** Time each job held a worker slot. */
    serviceMs: Summary;
    calls: SureCloudCalls;
    /** C / (k · L) in jobs/s. */
    ceilingJobsPerSecond: number;
    ratioToCeiling: number;
    /** gateRps / k: what the tenant's rate gate allows. */
    gateCeilingJobsPerSecond: number;
    cpu: CpuUse;
    /** Jobs the worker moved back to delayed during the drain instead of running them. */
    putBacks: number;
    /**
     * Where a job's time goes, mean ms per job: the emulator's own time (L included), the HTTP
     * client's overhead around it, and the rest of the job (rate gate, Redis, parsing, logging).
     */
    jobTime: {
      jobMs: number;
      emulatorMs: number;
      httpClientOverheadMs: number;
      outsideSureCloudMs: number;
    } | null;
  };
  raw: Drain & { ratioPipelineToRaw: number };
  unchanged: ResendResult;
  groupChange: ResendResult;
  /** Calls and rounds of SureCloud latency per job, from jobs sent one at a time. */
  rounds: { newJoiner: RoundsPerJob; unchanged: RoundsPerJob };
  steady: SteadyResult;
  /** Three workers sharing the bench tenant's limit (bench/rateLimited.ts); null when skipped. */
  rateLimited: RateLimitedResult | null;
  worker: { rssIdleMb: number; rssPeakMb: number; rssEndMb: number; timeline: WorkerMemory[] };
  redisMemory: RedisMemoryResult | null;
  targets: Target[];
}

export interface Target {
  measure: string;
  target: string;
  value: string;
  met: boolean;
}

const ms = (value: number) => `${value} ms`;

export function evaluateTargets(results: Omit<BenchResults, "targets">): Target[] {
  const { throughput, rounds, steady, worker, parameters } = results;
  return [
    {
      measure: `Pipeline throughput vs C/(k·L) (C=${parameters.concurrency}, L=${parameters.latencyMs} ms)`,
      target: ">= 80%",
      value: `${percent(throughput.ratioToCeiling)} (${throughput.drain.jobsPerSecond.toFixed(1)} of ${throughput.ceilingJobsPerSecond.toFixed(1)} jobs/s)`,
      met: throughput.ratioToCeiling >= 0.8,
    },
    roundsTarget("new joiner with 2 groups", rounds.newJoiner, 3, 2),
    roundsTarget("unchanged user", rounds.unchanged, 2, 1),
    {
      measure: `End-to-end p99 at ${parameters.rate} events/s (L=${parameters.latencyMs} ms)`,
      target: "< 1000 ms",
      value: ms(steady.endToEndMs.p99),
      met: steady.endToEndMs.p99 < 1000,
    },
    {
      measure: "Action enqueue p99, events back to back",
      target: "< 20 ms",
      value: ms(throughput.enqueueMs.p99),
      met: throughput.enqueueMs.p99 < 20,
    },
    {
      measure: `Action enqueue p99, ${parameters.rate} events/s while the worker drains`,
      target: "< 20 ms",
      value: ms(steady.enqueueMs.p99),
      met: steady.enqueueMs.p99 < 20,
    },
    {
      measure: "Worker RSS, peak",
      target: "< 200 MB",
      value: `${worker.rssPeakMb.toFixed(1)} MB`,
      met: worker.rssPeakMb < 200,
    },
    ...rateLimitedTargets(results.rateLimited),
  ];
}

/** A target on calls and rounds per job: the measured means against the most allowed. */
function roundsTarget(name: string, measured: RoundsPerJob, calls: number, rounds: number): Target {
  return {
    measure: `SureCloud calls and rounds per job, ${name} (jobs one at a time, group listing left out)`,
    target: `<= ${calls} calls in <= ${rounds} ${roundsWord(rounds)}`,
    value: callsInRounds(measured),
    met: measured.callsPerJob <= calls && measured.roundsPerJob <= rounds,
  };
}

const roundsWord = (count: number) => (count === 1 ? "round" : "rounds");
const callsInRounds = (measured: RoundsPerJob) =>
  `${measured.callsPerJob} calls in ${measured.roundsPerJob} ${roundsWord(measured.roundsPerJob)}`;

function workerEnvText(env: Record<string, string>): string {
  const pairs = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return pairs.length ? `, worker environment ${pairs.join(" ")}` : "";
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

const summaryText = (summary: Summary) => `p50 ${summary.p50} · p99 ${summary.p99} · max ${summary.max}`;

/** `name count, name count…`: per-operation calls, outcomes. */
function counts(record: Record<string, number>): string {
  return Object.entries(record)
    .map(([name, count]) => `${name} ${count}`)
    .join(", ");
}

function roundsSection(results: BenchResults): string[] {
  const { newJoiner, unchanged } = results.rounds;
  const cases = [
    ["New joiner, 2-group directive", newJoiner],
    ["Unchanged user (same content, newer updated_at)", unchanged],
  ] as const;
  return [
    "## SureCloud rounds per job",
    "",
    `Jobs sent one at a time, so that each job's requests are alone in the emulator's log; requests whose time spans overlap there make one round of latency. The group listing is left out (the worker caches it for 60 s): ${newJoiner.groupListings + unchanged.groupListings} listing(s) during these jobs.`,
    "",
    table(
      ["Case", "Jobs", "Calls/job", "Rounds/job", "Max rounds", "Rounds (jobs)", "Outcomes", "Users correct"],
      cases.map(([name, r]) => [
        name,
        String(r.jobs),
        String(r.callsPerJob),
        String(r.roundsPerJob),
        String(r.maxRounds),
        Object.entries(r.shapes)
          .map(([shape, jobs]) => `${shape} (${jobs})`)
          .join("; "),
        counts(r.outcomes),
        `${r.usersCorrect}/${r.jobs}`,
      ]),
    ),
    "",
  ];
}

function throughputRows(results: BenchResults): string[][] {
  const { throughput: t, raw } = results;
  return [
    [
      "Pipeline throughput (enqueue all, then drain)",
      `${t.drain.jobsPerSecond.toFixed(1)} jobs/s (${t.drain.jobs} jobs in ${t.drain.seconds.toFixed(1)} s, ${t.drain.failed} failed)`,
    ],
    ["SureCloud calls per new-user job (k)", String(t.calls.perJob)],
    ["Ceiling C/(k·L)", `${t.ceilingJobsPerSecond.toFixed(1)} jobs/s`],
    ["Achieved / ceiling", percent(t.ratioToCeiling)],
    ["Rate-gate ceiling gateRps/k", `${t.gateCeilingJobsPerSecond.toFixed(1)} jobs/s`],
    ["Job service time (ms)", summaryText(t.serviceMs)],
    ["Emulator time per request (ms)", summaryText(t.calls.requestMs)],
    [
      "Where a job's time goes (mean ms)",
      t.jobTime
        ? `job ${t.jobTime.jobMs} = emulator ${t.jobTime.emulatorMs} + HTTP client ${t.jobTime.httpClientOverheadMs} + outside SureCloud calls (rate gate, Redis, CPU) ${t.jobTime.outsideSureCloudMs} (sums of request times: valid while a job's requests run one after another)`
        : "worker metrics unavailable",
    ],
    [
      "CPU during the drain (cores)",
      `worker ${t.cpu.worker} · bench (Action + emulator) ${t.cpu.benchProcess} · Redis ${t.cpu.redis}`,
    ],
    ["Jobs put back to delayed during the drain", String(t.putBacks)],
    ["Raw BullMQ, no-op processor", `${raw.jobsPerSecond.toFixed(0)} jobs/s (${raw.jobs} jobs)`],
    ["Pipeline / raw", percent(raw.ratioPipelineToRaw)],
    ...rateLimitedRows(results.rateLimited),
  ];
}

function latencyAndMemoryRows(results: BenchResults): string[][] {
  const { throughput: t, steady, worker, redisMemory: memory } = results;
  const rows = [
    ["Action enqueue, back to back (ms)", summaryText(t.enqueueMs)],
    [`Action enqueue at ${steady.eventsPerSecond} events/s (ms)`, summaryText(steady.enqueueMs)],
    [
      `End-to-end at ${steady.eventsPerSecond} events/s (ms)`,
      `${summaryText(steady.endToEndMs)} (${steady.events} events, ${steady.usersCorrect} users correct)`,
    ],
    ["Queue wait at that rate (ms)", summaryText(steady.queueWaitMs)],
    [
      "Worker RSS",
      `idle ${worker.rssIdleMb.toFixed(1)} MB · peak ${worker.rssPeakMb.toFixed(1)} MB · end ${worker.rssEndMb.toFixed(1)} MB`,
    ],
    [
      "Worker memory over the run (RSS / V8 heap used / heap total, MB)",
      worker.timeline
        .map(
          (point) => `${point.at}: ${point.rssMb} / ${point.heapUsedMb ?? "?"} / ${point.heapTotalMb ?? "?"}`,
        )
        .join(" · "),
    ],
  ];
  if (memory) {
    rows.push([
      `Redis memory, ${memory.jobs} jobs waiting`,
      `${memory.perJobBytes} B/job by used_memory (${(memory.usedMemoryDelta / 2 ** 20).toFixed(1)} MB); ${memory.perJobKeysBytes} B/job by MEMORY USAGE of the queue's keys; job data ${memory.jobDataBytes} B as JSON`,
    ]);
  }
  return rows;
}

export function toMarkdown(results: BenchResults): string {
  const { machine, parameters: p } = results;
  const calls = [
    ["New user, 2-group directive", results.throughput.calls, results.throughput.outcomes],
    ["Unchanged user (same content, newer updated_at)", results.unchanged.calls, results.unchanged.outcomes],
    ["Group change (one group swapped)", results.groupChange.calls, results.groupChange.outcomes],
  ] as const;
  return [
    "# Benchmark: latest run",
    "",
    `${results.startedAt}, ${results.durationSeconds.toFixed(0)} s. ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, Redis ${machine.redis}, ${machine.platform}; load average ${machine.loadAverageAtStart} at the start.`,
    `Parameters: N=${p.users} users, L=${p.latencyMs} ms, C=${p.concurrency}, rate gate ${p.gateRps} requests/s, ${p.rate} events/s for ${p.steadySeconds} s, ${p.roundJobs} users one job at a time for rounds, ${p.limitedJobs} users under ${p.limitedRps} requests/s with 3 workers, ${p.rawJobs} raw jobs, ${p.memoryJobs} jobs for Redis memory${workerEnvText(p.workerEnv)}.`,
    "",
    "## Targets",
    "",
    table(
      ["Measure", "Target", "Result", "Met"],
      results.targets.map((t) => [t.measure, t.target, t.value, t.met ? "yes" : "**no**"]),
    ),
    "",
    "## Measurements",
    "",
    table(["Measure", "Result"], [...throughputRows(results), ...latencyAndMemoryRows(results)]),
    "",
    "## SureCloud calls per job",
    "",
    table(
      ["Case", "Calls/job", "By operation", "Outcomes"],
      calls.map(([name, c, outcomes]) => [name, String(c.perJob), counts(c.byOperation), counts(outcomes)]),
    ),
    "",
    ...roundsSection(results),
  ].join("\n");
}
