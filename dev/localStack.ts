// The whole pipeline on one machine, for the demo, the benchmark and integration tests: the SureCloud
// emulator in this process, worker processes started exactly as operators start them
// (`node dist/worker/main.js`), real Redis, and events sent through the built Action bundle.
// Needs `npm run build` first.

import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { jobIdFor } from "../shared/job.js";
import { workerDefaults } from "../worker/defaults.js";
import { syncStatePrefix } from "../worker/redisKeys.js";
import type { SyncOutcome } from "../worker/sync/outcome.js";
import { catalogue, sureCloudGroups } from "./catalogue.js";
import { deleteKeys } from "./deleteKeys.js";
import { type Emulator, startEmulator } from "./surecloud-emulator/server.js";

export const REDIS_URL = process.env.REDIS_URL ?? workerDefaults.REDIS_URL;
/** The repository root, from dev/ or dist/dev/. */
const root = findRoot();

interface ActionModule {
  onExecuteEventStream(
    event: { message: unknown; secrets: Record<string, string> },
    api: unknown,
  ): Promise<void>;
  closeQueues(): Promise<void>;
}

export function loadAction(): ActionModule {
  const require = createRequire(import.meta.url);
  return require(join(root, "dist/actions/group-sync.js")) as ActionModule;
}

export interface LocalTenant {
  id: string;
  connection: string;
  missingDirective?: "ignore" | "clear";
  /** The tenants file's surecloud.requestsPerSecond. Default 1000. */
  requestsPerSecond?: number;
  /** The tenants file's surecloud.timeoutMs. Default: the file's default. */
  timeoutMs?: number;
}

export const defaultTenants: LocalTenant[] = [
  { id: "acme", connection: "acme-entra" },
  { id: "beta", connection: "beta-entra", missingDirective: "clear" },
];

export interface JobResult {
  state: string;
  outcome?: SyncOutcome;
  failedReason?: string;
}

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
  /** Worker processes to start. Default 1. */
  workers?: number;
  workerEnv?: Record<string, string>;
  /** Default `test-<uuid>`. */
  queueName?: string;
  /** Redis for the queue, the workers and the Action. Default REDIS_URL. */
  redisUrl?: string;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const tenants = options.tenants ?? defaultTenants;
  const emulator = await startEmulator({
    tenants: tenants.map((tenant) => ({
      id: tenant.id,
      token: tokenOf(tenant.id),
      groups: [...sureCloudGroups],
    })),
  });
  const dir = await mkdtemp(join(tmpdir(), "group-sync-"));
  const tenantsFile = join(dir, "tenants.json");
  await writeFile(
    tenantsFile,
    JSON.stringify({ tenants: tenants.map((tenant) => tenantEntry(tenant, emulator)) }),
  );
  const queueName = options.queueName ?? `test-${randomUUID()}`;
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const queue = new Queue(queueName, { connection: { url: redisUrl } });
  const action = loadAction();
  const workers: ChildProcess[] = [];
  const logs: Array<Record<string, unknown>> = [];
  let raw = "";

  const startWorker = async (env: Record<string, string> = {}): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [join(root, "dist/worker/main.js")], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL: redisUrl,
        TENANTS_FILE: tenantsFile,
        QUEUE_NAME: queueName,
        HTTP_PORT: "0",
        LOG_LEVEL: "info",
        ...Object.fromEntries(tenants.map((tenant) => [tokenEnvOf(tenant.id), tokenOf(tenant.id)])),
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
    await removeSyncState(redisUrl, queueName);
    await queue.close();
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
        { message, secrets: { REDIS_URL: redisUrl, QUEUE_NAME: queueName } },
        { cache: {} },
      ),
    async result(eventId, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      const id = jobIdFor("event", eventId);
      while (Date.now() < deadline) {
        const state = await queue.getJobState(id);
        // Read after the state: a job read first may have finished in between, without its result.
        const job = state === "completed" || state === "failed" ? await queue.getJob(id) : undefined;
        if (job && state === "completed") return { state, outcome: job.returnvalue as SyncOutcome };
        if (job && state === "failed") return { state, failedReason: job.failedReason };
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(
        `job for ${eventId} did not finish in ${timeoutMs} ms; worker output:\n${raw.slice(-4000)}`,
      );
    },
    stop,
  };
}

export function tokenOf(tenantId: string): string {
  return `sc-test-token-${tenantId}-7f6e5d4c3b2a`;
}

export function tokenEnvOf(tenantId: string): string {
  return `SURECLOUD_TOKEN_${tenantId.toUpperCase()}`;
}

function tenantEntry(tenant: LocalTenant, emulator: Emulator) {
  return {
    id: tenant.id,
    connection: tenant.connection,
    surecloud: {
      baseUrl: emulator.baseUrlFor(tenant.id),
      tokenEnv: tokenEnvOf(tenant.id),
      requestsPerSecond: tenant.requestsPerSecond ?? 1000,
      ...(tenant.timeoutMs === undefined ? {} : { timeoutMs: tenant.timeoutMs }),
    },
    groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
    missingDirective: tenant.missingDirective ?? "ignore",
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

/** Deletes what the workers kept beside the queue (versions, locks, intents, audit), so a run leaves nothing. */
async function removeSyncState(redisUrl: string, queueName: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    await deleteKeys(redis, `${syncStatePrefix(queueName)}:`);
  } finally {
    redis.disconnect();
  }
}
