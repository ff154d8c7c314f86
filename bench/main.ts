// `npm run bench`: measures the pipeline with its real pieces — the built Action, real Redis, a worker
// process and the SureCloud emulator with added latency — and writes bench/results/latest.{json,md}.
// Not part of `npm test`. Flags: see bench/options.ts (`npm run bench -- --users 2000 --latency-ms 50`).
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, release, type } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { REDIS_URL } from "../dev/localStack.js";
import { syncJobOptions } from "../shared/jobOptions.js";
import { cleanUpOnInterrupt } from "./cleanup.js";
import { type BenchOptions, parseBenchOptions } from "./options.js";
import { runPipelineParts } from "./pipelineRun.js";
import { runRateLimited } from "./rateLimited.js";
import { runRawBaseline } from "./rawBaseline.js";
import { measureRedisMemory } from "./redisMemory.js";
import { type BenchResults, evaluateTargets, toMarkdown } from "./report.js";
import { round } from "./stats.js";

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on("error", (error) => progress(`redis: ${error.message}`));
  try {
    await redis.connect();
  } catch (error) {
    throw new Error(`the benchmark needs Redis at ${REDIS_URL}: ${(error as Error).message}`);
  }
  return redis;
}

async function machineOf(redis: Redis): Promise<BenchResults["machine"]> {
  const info = await redis.info("server");
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    redis: /^redis_version:(\S+)/m.exec(info)?.[1] ?? "unknown",
    platform: `${type()} ${release()}`,
    loadAverageAtStart: round(loadavg()[0] ?? 0),
  };
}

async function run(options: BenchOptions, redis: Redis): Promise<BenchResults> {
  const started = Date.now();
  const runId = randomUUID().slice(0, 8);
  const machine = await machineOf(redis);
  const parts = await runPipelineParts({ options, redis, runId, progress });
  const rateLimited = await runRateLimited({ options, redis, runId, progress });

  progress(
    `raw BullMQ baseline: ${options.rawJobs} jobs, no-op processor, concurrency ${options.concurrency}`,
  );
  // The options every sync job carries, as the Action sets them.
  const jobOptions = syncJobOptions;
  const raw = await runRawBaseline(redis, options.rawJobs, options.concurrency, jobOptions);

  let redisMemory: BenchResults["redisMemory"] = null;
  if (options.memoryJobs > 0) {
    progress(`Redis memory: ${options.memoryJobs} jobs waiting on a queue with no worker`);
    redisMemory = await measureRedisMemory(redis, options.memoryJobs, jobOptions);
  }

  const results: Omit<BenchResults, "targets"> = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: round((Date.now() - started) / 1000, 1),
    machine,
    parameters: options,
    ...parts,
    rateLimited,
    raw: { ...raw, ratioPipelineToRaw: round(parts.throughput.drain.jobsPerSecond / raw.jobsPerSecond, 4) },
    redisMemory,
  };
  return { ...results, targets: evaluateTargets(results) };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  cleanUpOnInterrupt();
  // The Action logs one line per event for Auth0's execution log; thousands of them would bury the report.
  console.log = () => undefined;
  const redis = await connectRedis();
  try {
    const results = await run(options, redis);
    const markdown = toMarkdown(results);
    await mkdir(options.out, { recursive: true });
    await writeFile(join(options.out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(options.out, "latest.md"), markdown);
    process.stdout.write(`\n${markdown}\n`);
    progress(`wrote ${join(options.out, "latest.json")} and latest.md`);
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    );
    process.exit(1);
  },
);
