// The whole pipeline on one machine, for the demo, the benchmark, integration tests and
// `npm run stack` (dev/stack.ts): the SureCloud emulator in this process, worker processes started
// exactly as operators start them (`node dist/worker/main.js`), real Redis, and events sent through
// the built Action bundle. Tenants are the built-in test ones, or those of any tenants file.
// Needs `npm run build` first.

import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { jobIdFor } from "../shared/job.js";
import { openRedis } from "../shared/redisConnection.js";
import { queuePrefix, type RedisSettings, redisEnvOf } from "../shared/redisSettings.js";
import { type ActionModule, loadActionBundle } from "../toolbox/smoke/actionBundle.js";
import { type JobResult, waitForJob } from "../toolbox/smoke/jobResult.js";
import { workerDefaults } from "../worker/defaults.js";
import { syncStatePrefix } from "../worker/redisKeys.js";
import { deleteKeys } from "./deleteKeys.js";
import { builtInTenants, defaultTenants, fromTenantsFile, type LocalTenant } from "./stackTenants.js";
import { type Emulator, startEmulator } from "./surecloud-emulator/server.js";

export const REDIS_URL = process.env.REDIS_URL ?? workerDefaults.REDIS_URL;
/** The repository root, from dev/ or dist/dev/. */
const root = findRoot();

export function loadAction(): ActionModule {
  return loadActionBundle(join(root, "dist/actions/group-sync.js"));
}

export { defaultTenants, tokenEnvOf, tokenOf } from "./stackTenants.js";
export type { JobResult, LocalTenant };

export interface LocalStack {
  emulator: Emulator;
  queueName: string;
  tenantsFile: string;
  /** Every log line the workers printed, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Raw worker output, for diagnosis and for secret scans. */
  output(): string;
  send(message: unknown): Promise<void>;
  /** Waits until the event's job has completed or failed for good. */
  result(eventId: string, timeoutMs?: number): Promise<JobResult>;
  startWorker(env?: Record<string, string>): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  tenants?: LocalTenant[];
  /**
   * Any tenants file, instead of `tenants`: the emulator serves each of its tenants, seeded with the
   * tenant's catalogue, and the workers get a copy whose baseUrls point at the emulator and whose
   * token variables are set. `verifyWithAuth0` is turned off: the stack has no Auth0.
   */
  tenantsFile?: string;
  /** The emulator's port. Default 0: any free one. */
  emulatorPort?: number;
  /** Worker processes to start. Default 1. */
  workers?: number;
  workerEnv?: Record<string, string>;
  /** Default `test-<uuid>`. */
  queueName?: string;
  /** Redis for the queue, the workers and the Action. Default REDIS_URL. */
  redisUrl?: string;
  /** A Redis Cluster or Sentinel group instead of `redisUrl` (shared/redisSettings.ts). */
  redis?: RedisSettings;
  /** Called with each line a worker writes to stdout (its JSON log). */
  onWorkerLine?: (line: string) => void;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const setup = options.tenantsFile
    ? await fromTenantsFile(options.tenantsFile)
    : builtInTenants(options.tenants ?? defaultTenants);
  const emulator = await startEmulator({ port: options.emulatorPort ?? 0, tenants: setup.emulatorTenants });
  const dir = await mkdtemp(join(tmpdir(), "group-sync-"));
  const tenantsFile = join(dir, "tenants.json");
  for (const [name, text] of Object.entries(setup.files ?? {})) await writeFile(join(dir, name), text);
  await writeFile(tenantsFile, JSON.stringify({ tenants: setup.entries(emulator) }));
  const queueName = options.queueName ?? `test-${randomUUID()}`;
  const redis: RedisSettings = options.redis ?? { mode: "node", url: options.redisUrl ?? REDIS_URL };
  const connection = openRedis(redis, { role: "worker" });
  const queue = new Queue(queueName, { connection, prefix: queuePrefix(redis) });
  const action = loadAction();
  const workers: ChildProcess[] = [];
  const logs: Array<Record<string, unknown>> = [];
  let raw = "";

  const startWorker = async (env: Record<string, string> = {}): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [join(root, "dist/worker/main.js")], {
      env: {
        PATH: process.env.PATH,
        ...redisEnvOf(redis),
        TENANTS_FILE: tenantsFile,
        QUEUE_NAME: queueName,
        HTTP_PORT: "0",
        LOG_LEVEL: "info",
        ...setup.tokens,
        ...options.workerEnv,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    workers.push(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A worker that never said it started must not be left running (and consuming) behind us.
        child.kill("SIGKILL");
        reject(new Error(`worker did not start:\n${raw}`));
      }, 10_000);
      const onLine = (chunk: Buffer) => {
        raw += chunk.toString();
        for (const line of chunk.toString().split("\n").filter(Boolean)) {
          options.onWorkerLine?.(line);
          const record = parseLine(line);
          if (record) logs.push(record);
          if (record?.msg === "worker started") {
            clearTimeout(timer);
            resolve();
          }
        }
      };
      child.stdout?.on("data", onLine);
      child.stderr?.on("data", (chunk: Buffer) => {
        raw += chunk.toString();
      });
      child.once("exit", (code) => reject(new Error(`worker exited with ${code}:\n${raw}`)));
    });
    return child;
  };

  const stop = async (): Promise<void> => {
    await Promise.all(workers.map(stopProcess));
    await action.closeQueues();
    await queue.obliterate({ force: true });
    // What the workers kept beside the queue (versions, locks, intents, audit), so a run leaves nothing.
    await deleteKeys(connection, `${syncStatePrefix(queueName)}:`);
    await queue.close();
    connection.disconnect();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < (options.workers ?? 1); i += 1) await startWorker();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    emulator,
    queueName,
    tenantsFile,
    logs,
    output: () => raw,
    startWorker,
    send: (message) =>
      action.onExecuteEventStream(
        { message, secrets: { ...redisEnvOf(redis), QUEUE_NAME: queueName } },
        { cache: {} },
      ),
    async result(eventId, timeoutMs = 15_000) {
      const result = await waitForJob(queue, jobIdFor("event", eventId), { timeoutMs });
      if (result) return result;
      throw new Error(
        `job for ${eventId} did not finish in ${timeoutMs} ms; worker output:\n${raw.slice(-4000)}`,
      );
    },
    stop,
  };
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function findRoot(): string {
  const here = new URL(".", import.meta.url).pathname;
  return here.includes("/dist/dev/") ? join(here, "../..") : join(here, "..");
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
