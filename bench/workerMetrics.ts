// What the worker's own /metrics says, read at chosen moments: V8's heap beside the RSS from /proc (so
// that a high RSS can be told apart as live objects, heap V8 keeps, or memory outside the heap), and
// where a job's time goes (SureCloud calls as the client timed them, against the whole job).
import type { ProcessSampler } from "./processSampler.js";
import { round } from "./stats.js";

export interface WorkerMemory {
  /** When: idle, after drain, … */
  at: string;
  rssMb: number;
  heapUsedMb: number | null;
  heapTotalMb: number | null;
  externalMb: number | null;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** Sum of a metric over all its label sets. */
function metricSum(text: string, name: string): number {
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, "gm"))) {
    total += Number(match[1]);
  }
  return total;
}

export interface JobTimeSplit {
  /** Mean time of a job as the worker timed it (processor start to outcome). */
  jobMs: number;
  /** Mean time per job spent in SureCloud requests, as the HTTP client timed them (gate wait excluded). */
  sureCloudClientMs: number;
  /** SureCloud requests per job the client made. */
  requests: number;
}

/** Means per job over everything the worker has done so far. */
export async function jobTimeSplit(port: number): Promise<JobTimeSplit | null> {
  try {
    const text = await scrape(port);
    const jobs = metricSum(text, "group_sync_job_seconds_count");
    if (jobs === 0) return null;
    return {
      jobMs: round((metricSum(text, "group_sync_job_seconds_sum") / jobs) * 1000, 1),
      sureCloudClientMs: round((metricSum(text, "group_sync_surecloud_call_seconds_sum") / jobs) * 1000, 1),
      requests: round(metricSum(text, "group_sync_surecloud_call_seconds_count") / jobs, 3),
    };
  } catch (error) {
    process.stderr.write(`worker /metrics unreadable: ${(error as Error).message}\n`);
    return null;
  }
}

function metricMb(text: string, name: string): number | null {
  const value = new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)`, "m").exec(text)?.[1];
  return value === undefined ? null : round(Number(value) / 2 ** 20, 1);
}

export async function workerMemory(at: string, sampler: ProcessSampler, port: number): Promise<WorkerMemory> {
  const rssMb = round(sampler.rssMb(), 1);
  try {
    const text = await scrape(port);
    return {
      at,
      rssMb,
      heapUsedMb: metricMb(text, "nodejs_heap_size_used_bytes"),
      heapTotalMb: metricMb(text, "nodejs_heap_size_total_bytes"),
      externalMb: metricMb(text, "nodejs_external_memory_bytes"),
    };
  } catch (error) {
    process.stderr.write(`worker /metrics unreadable at ${at}: ${(error as Error).message}\n`);
    return { at, rssMb, heapUsedMb: null, heapTotalMb: null, externalMb: null };
  }
}
