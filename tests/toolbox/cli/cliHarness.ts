// Test harness for the operations CLI: runs commands in-process with a captured io, or as the built
// binary (`node dist/toolbox/cli/main.js`), and fills a real queue with failed and completed sync jobs.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Job, Queue, QueueEvents, UnrecoverableError, Worker } from "bullmq";
import { makeUserEvent, newEventId } from "../../../dev/auth0Events.js";
import { catalogue } from "../../../dev/catalogue.js";
import { eventToJob } from "../../../shared/eventToJob.js";
import { jobIdFor, type SyncJob } from "../../../shared/job.js";
import type { CliIo } from "../../../toolbox/cli/command.js";
import { runCli } from "../../../toolbox/cli/main.js";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const root = join(new URL(".", import.meta.url).pathname, "../../..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command through runCli, as the binary would, with stdout and stderr captured. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env };
  const code = await runCli(args, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** Runs the built binary (needs `npm run build`), with only the given environment. */
export function binary(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "dist/toolbox/cli/main.js"), ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

/** How a fixture job ends: completed, or failed with this failedReason-to-be. */
export type JobFate =
  | { fate: "complete" }
  | { fate: "permanent"; reason: string; message: string }
  | { fate: "transient"; message: string };

export interface FixtureJob {
  jobId: string;
  job: SyncJob;
}

/** A queue of sync jobs that a tiny in-test worker drives to the fates asked for. */
export interface FailedQueue {
  queueName: string;
  queue: Queue;
  /** Adds a job for a user of `connection` and waits until it has completed or failed. */
  add(fate: JobFate, options?: { connection?: string; userType?: string }): Promise<FixtureJob>;
  /** From now on every job completes, e.g. a retried one. */
  heal(): void;
  /** Stops taking jobs, so a retried job stays waiting. */
  pauseWorker(): Promise<void>;
  resumeWorker(): void;
  /** Waits until the job is in `state`. */
  waitForState(jobId: string, state: string): Promise<void>;
  stop(): Promise<void>;
}

export async function makeFailedQueue(): Promise<FailedQueue> {
  const queueName = `test-${randomUUID()}`;
  const connection = { url: REDIS_URL };
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  await events.waitUntilReady();
  const fates = new Map<string, JobFate>();
  let healthy = false;

  const processor = async (job: Job) => {
    const fate = healthy ? { fate: "complete" as const } : fates.get(job.id ?? "");
    if (!fate || fate.fate === "complete") return { outcome: "applied" };
    if (fate.fate === "permanent") throw new UnrecoverableError(`${fate.reason}: ${fate.message}`);
    throw new Error(fate.message);
  };
  const worker = new Worker(queueName, processor, { connection, concurrency: 4 });

  return {
    queueName,
    queue,
    async add(fate, options = {}) {
      const message = makeUserEvent({
        id: newEventId(),
        connection: options.connection ?? "acme-entra",
        userType: options.userType ?? catalogue[0]?.id,
      });
      const mapping = eventToJob(message);
      if (mapping.kind !== "job") throw new Error(`fixture event rejected: ${mapping.reason}`);
      const jobId = jobIdFor("event", message.id);
      fates.set(jobId, fate);
      const added = await queue.add("sync", mapping.job, {
        jobId,
        attempts: fate.fate === "transient" ? 2 : 12,
        backoff: { type: "fixed", delay: 10 },
      });
      await added.waitUntilFinished(events, 10_000).catch(() => undefined);
      return { jobId, job: mapping.job };
    },
    heal() {
      healthy = true;
    },
    pauseWorker: () => worker.pause(true),
    resumeWorker: () => worker.resume(),
    async waitForState(jobId, state) {
      const deadline = Date.now() + 10_000;
      let current = "";
      while (Date.now() < deadline) {
        current = await queue.getJobState(jobId);
        if (current === state) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`job ${jobId} is ${current}, not ${state}`);
    },
    async stop() {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
}

/** Writes a tenants file for the two local tenants (acme, beta) and returns its path and a cleanup. */
export async function writeTenantsFile(
  tenants: Array<{ id: string; connection: string; baseUrl?: string }> = [
    { id: "acme", connection: "acme-entra" },
    { id: "beta", connection: "beta-entra" },
  ],
): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ops-cli-"));
  const path = join(dir, "tenants.json");
  const file = {
    tenants: tenants.map((tenant) => ({
      id: tenant.id,
      connection: tenant.connection,
      surecloud: {
        baseUrl: tenant.baseUrl ?? `http://127.0.0.1:9/${tenant.id}/api/v1`,
        tokenEnv: `SURECLOUD_TOKEN_${tenant.id.toUpperCase()}`,
        timeoutMs: 2_000,
      },
      groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
    })),
  };
  await writeFile(path, JSON.stringify(file));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
