// The benchmark's command-line flags (`npm run bench -- --users 2000 --latency-ms 50 …`), each with
// its default, checked with zod so that a typo stops the run before anything starts.
import { parseArgs } from "node:util";
import { z } from "zod";
import { formatIssues } from "../shared/configIssues.js";

export const benchOptionsSchema = z.object({
  /**
   * Synthetic users created through the Action for the throughput run. Default 2000. At most 9000:
   * the worker keeps the last 10,000 completed jobs, and the bench reads every job's times.
   */
  users: z.coerce.number().int().min(50).max(9_000).default(2_000),
  /** Latency the SureCloud emulator adds to every API request, in ms. Default 50. */
  latencyMs: z.coerce.number().int().min(0).max(2_000).default(50),
  /** WORKER_CONCURRENCY of the worker process, and of the raw BullMQ baseline. Default 32. */
  concurrency: z.coerce.number().int().min(1).max(256).default(32),
  /** The tenants file's surecloud.requestsPerSecond for the bench tenant. Default 1000 (the maximum). */
  gateRps: z.coerce.number().positive().max(1_000).default(1_000),
  /** Events per second for the end-to-end latency run (Auth0's inbound SCIM ceiling). Default 25. */
  rate: z.coerce.number().positive().max(500).default(25),
  /** Length of the end-to-end latency run in seconds. Default 20. */
  steadySeconds: z.coerce.number().positive().max(300).default(20),
  /** Jobs for the raw BullMQ baseline (no-op processor); at most the 10,000 completed jobs BullMQ keeps. Default 10000. */
  rawJobs: z.coerce.number().int().min(100).max(10_000).default(10_000),
  /** Jobs left waiting to measure Redis memory per job; 0 skips that part. Default 100000. */
  memoryJobs: z.coerce.number().int().min(0).max(1_000_000).default(100_000),
  /** Users re-sent for the unchanged-user and group-change runs. Default 200. */
  sample: z.coerce.number().int().min(10).max(5_000).default(200),
  /**
   * New users sent one job at a time, then again unchanged, to read each job's rounds of SureCloud
   * latency from the emulator's log: the requests of jobs running together cannot be told apart.
   * Default 20.
   */
  roundJobs: z.coerce.number().int().min(1).max(500).default(20),
  /** The bench tenant's requestsPerSecond R for the rate-limited run (three workers share it). Default 20. */
  limitedRps: z.coerce.number().positive().max(1_000).default(20),
  /** New users for the rate-limited run, about 3 · jobs / R seconds; 0 skips it. Default 150 (~24 s at R=20). */
  limitedJobs: z.coerce.number().int().min(0).max(9_000).default(150),
  /**
   * Environment for the worker process, KEY=VALUE, repeatable: to try a setting without editing the
   * worker. Default: the heap limit the container image sets (Dockerfile `NODE_OPTIONS`), so the
   * worker is measured as it runs in production.
   */
  workerEnv: z
    .array(z.string().regex(/^[A-Z_][A-Z0-9_]*=/, "must be KEY=VALUE"))
    .default(["NODE_OPTIONS=--max-old-space-size=128"])
    .transform((pairs) =>
      Object.fromEntries(
        pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
      ),
    ),
  /** Where latest.json and latest.md go. Default bench/results. */
  out: z.string().min(1).default("bench/results"),
});
export type BenchOptions = z.infer<typeof benchOptionsSchema>;

const flags = {
  users: "users",
  "latency-ms": "latencyMs",
  concurrency: "concurrency",
  "gate-rps": "gateRps",
  rate: "rate",
  "steady-seconds": "steadySeconds",
  "raw-jobs": "rawJobs",
  "memory-jobs": "memoryJobs",
  sample: "sample",
  "round-jobs": "roundJobs",
  "limited-rps": "limitedRps",
  "limited-jobs": "limitedJobs",
  "worker-env": "workerEnv",
  out: "out",
} as const;

export const usage = `npm run bench -- [${Object.keys(flags)
  .map((flag) => `--${flag} <value>`)
  .join("] [")}]`;

/** Parses argv; throws an Error naming the bad flag. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.keys(flags).map((flag) => [flag, { type: "string" as const, multiple: flag === "worker-env" }]),
    ),
    strict: true,
  });
  const input = Object.fromEntries(
    Object.entries(values).map(([flag, value]) => [flags[flag as keyof typeof flags], value]),
  );
  const parsed = benchOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const byField = Object.fromEntries(Object.entries(flags).map(([flag, field]) => [field, flag]));
    // Name the flag the operator typed, not the option's field.
    const issues = parsed.error.issues.map((issue) => ({
      message: issue.message,
      path: [`--${byField[String(issue.path[0])] ?? issue.path.map(String).join(".")}`],
    }));
    throw new Error(`Invalid benchmark flags: ${formatIssues(issues)}\nUsage: ${usage}`);
  }
  if (parsed.data.sample > parsed.data.users) parsed.data.sample = parsed.data.users;
  return parsed.data;
}
