// What the resync, drift and audit tests share: the local stack (emulator, real Redis, a real worker
// process), the Management API faked by nock, the operations CLI run in-process with captured
// output, and a wait for queued jobs to finish.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { runCli } from "../../../toolbox/cli/main.js";
import type { SyncOutcome } from "../../../worker/sync/outcome.js";
import { type Pipeline, startPipeline, tokenEnvOf, tokenOf } from "../../helpers/pipeline.js";
import { type FakeManagementApi, fakeManagementApi } from "./fakeManagementApi.js";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json<T = unknown>(): T;
}

export interface Harness {
  pipeline: Pipeline;
  auth0: FakeManagementApi;
  redis: Redis;
  queue: Queue;
  /** Runs `surecloud-sync <args>` with the stack's settings (and `env` over them). */
  cli(args: string[], env?: Record<string, string>): Promise<CliRun>;
  /** Waits until every job has completed or failed; their outcomes, in order. */
  settle(jobIds: string[], timeoutMs?: number): Promise<JobEnd[]>;
  /** A fresh fake Auth0 (no users), e.g. between tests. */
  resetAuth0(): void;
  stop(): Promise<void>;
}

export interface JobEnd {
  id: string;
  state: string;
  outcome?: SyncOutcome;
  failedReason?: string;
}

export async function startHarness(): Promise<Harness> {
  const pipeline = await startPipeline();
  const redis = new Redis(REDIS_URL);
  const queue = new Queue(pipeline.queueName, { connection: { url: REDIS_URL } });
  let auth0 = fakeManagementApi();
  const harness: Harness = {
    pipeline,
    auth0,
    redis,
    queue,
    async cli(args, overrides = {}) {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const env = {
        ...harness.auth0.env,
        TENANTS_FILE: pipeline.tenantsFile,
        REDIS_URL,
        QUEUE_NAME: pipeline.queueName,
        [tokenEnvOf("acme")]: tokenOf("acme"),
        [tokenEnvOf("beta")]: tokenOf("beta"),
        ...overrides,
      };
      const code = await runCli(args, {
        out: (line) => stdout.push(line),
        err: (line) => stderr.push(line),
        env,
      });
      const text = stdout.join("\n");
      return { code, stdout: text, stderr: stderr.join("\n"), json: <T>() => JSON.parse(text) as T };
    },
    async settle(jobIds, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const ends: JobEnd[] = [];
      for (const id of jobIds) {
        for (;;) {
          // State first, then the job: a job read before it finished would lack its result even
          // once its state says finished (BullMQ writes both in one script).
          const state = await queue.getJobState(id);
          const job = state === "completed" || state === "failed" ? await queue.getJob(id) : undefined;
          if (job && state === "completed") {
            ends.push({ id, state, outcome: job.returnvalue as SyncOutcome });
            break;
          }
          if (job && state === "failed") {
            ends.push({ id, state, failedReason: job.failedReason });
            break;
          }
          if (Date.now() > deadline)
            throw new Error(`job ${id} is still ${state}:\n${pipeline.output().slice(-3000)}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      return ends;
    },
    resetAuth0() {
      harness.auth0.close();
      auth0 = fakeManagementApi();
      harness.auth0 = auth0;
    },
    async stop() {
      harness.auth0.close();
      await queue.close();
      redis.disconnect();
      // Also deletes the worker's keys beside the queue.
      await pipeline.stop();
    },
  };
  return harness;
}

/** The ids of the jobs a `resync --json` queued. */
export function queuedJobIds(run: CliRun): string[] {
  return run.json<{ jobIds: string[] }>().jobIds;
}
