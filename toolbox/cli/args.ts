// What the operations commands share: option parsing (node:util parseArgs), the Redis/queue/tenants
// settings from flags or environment, and one-line errors with the exit codes operators script on:
// 2 for a usage error, 1 for a failure.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type RedisSettings, readRedisSettings } from "../../shared/redisSettings.js";
import { loadTenantsFile, type TenantsFile } from "../../shared/tenants.js";
import { workerDefaults } from "../../worker/defaults.js";
import { connectQueue, type QueueHandle, RedisRefusedError } from "../ops/connectQueue.js";
import { type FailedJobFilter, failureReasons, isFailureReason } from "../ops/failedJob.js";
import type { CliIo } from "./command.js";

/** A mistake in how the command was called; exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The options every queue command takes, and their help lines. */
export const queueOptions = {
  "redis-url": { type: "string" },
  queue: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

/** The queue options' help lines, descriptions starting at `column` to line up with a command's own. */
export function queueOptionsHelpAt(column: number): string {
  return [
    [
      "--redis-url <url>",
      `Redis holding the queue (env REDIS_URL, or REDIS_CLUSTER_NODES / REDIS_SENTINELS; default ${workerDefaults.REDIS_URL})`,
    ],
    ["--queue <name>", `Queue name (env QUEUE_NAME; default ${workerDefaults.QUEUE_NAME})`],
  ]
    .map(([option, description]) => `  ${option}`.padEnd(column) + description)
    .join("\n");
}

export const queueOptionsHelp = queueOptionsHelpAt(22);

export const tenantsOption = { tenants: { type: "string" } } as const;

export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

export interface QueueSettings {
  /** A single node, a cluster or a sentinel group, from the worker's variables (shared/redisSettings.ts). */
  redis: RedisSettings;
  queueName: string;
}

export function queueSettings(
  values: { "redis-url"?: string | undefined; queue?: string | undefined },
  env: NodeJS.ProcessEnv,
): QueueSettings {
  // --redis-url names a single node, whatever the environment says; checked before ioredis, whose
  // "Invalid URL" error would carry the password.
  const flag = values["redis-url"];
  const read = readRedisSettings(flag ? { REDIS_URL: flag } : env, workerDefaults.REDIS_URL);
  if (!read.success) {
    const [first] = read.issues;
    const name = first?.path[0] === "REDIS_URL" || flag ? "--redis-url (or REDIS_URL)" : first?.path[0];
    throw new UsageError(`${name} ${first?.message}`);
  }
  return { redis: read.settings, queueName: queueNameSetting(values, env) };
}

/** The queue name from --queue, else QUEUE_NAME, else the default. */
export function queueNameSetting(values: { queue?: string | undefined }, env: NodeJS.ProcessEnv): string {
  const queueName = values.queue || env.QUEUE_NAME || workerDefaults.QUEUE_NAME;
  if (!/^[A-Za-z0-9_.-]+$/.test(queueName)) {
    throw new UsageError("--queue (or QUEUE_NAME) may hold letters, digits, '_', '.', '-' only");
  }
  return queueName;
}

/** The tenants file path from --tenants or TENANTS_FILE, if either is given. */
export function tenantsPath(
  values: { tenants?: string | undefined },
  env: NodeJS.ProcessEnv,
): string | undefined {
  return values.tenants || env.TENANTS_FILE || undefined;
}

/** Loads the tenants file when one is given; a bad file is a failure naming the field. */
export async function loadOptionalTenants(
  values: { tenants?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<TenantsFile | undefined> {
  const path = tenantsPath(values, env);
  return path ? loadTenantsFile(path) : undefined;
}

/** Opens the queue, runs `use`, and closes the connection whatever happens. */
export async function withQueue<T>(
  settings: QueueSettings,
  use: (handle: QueueHandle) => Promise<T>,
): Promise<T> {
  const handle = await connectQueue(settings);
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/** Runs a command body and turns what it throws into one line on stderr and an exit code. */
export async function runGuarded(io: CliIo, command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Usage error: ${error.message.replace(/\.$/, "")}. See "surecloud-sync ${command} --help".`);
      return 2;
    }
    // Settings Redis refused (password, database number): like a usage error, only new ones help.
    if (error instanceof RedisRefusedError) {
      io.err(`Error: ${oneLine(error.message)}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`Error: ${oneLine(message)}`);
    return 1;
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A whole number of at least 1, for options like --limit. */
export function parsePositiveInt(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${option} must be a whole number of at least 1, not "${text}"`);
  }
  return value;
}

/** The --reason and --tenant filter that `failed` and `retry` share. */
export const filterOptions = {
  reason: { type: "string" },
  tenant: { type: "string" },
} as const;

export const filterHelp = [
  `  --reason <reason>   Only jobs that failed for this reason: ${failureReasons.join(", ")}`,
  "  --tenant <id>       Only jobs of this tenant (tenant id, or Auth0 connection name)",
].join("\n");

export function parseFilter(values: {
  reason?: string | undefined;
  tenant?: string | undefined;
}): FailedJobFilter {
  const filter: FailedJobFilter = {};
  if (values.reason !== undefined) {
    if (!isFailureReason(values.reason)) {
      throw new UsageError(`--reason must be one of ${failureReasons.join(", ")}, not "${values.reason}"`);
    }
    filter.reason = values.reason;
  }
  if (values.tenant !== undefined) {
    if (values.tenant === "") throw new UsageError("--tenant needs a tenant id or connection name");
    filter.tenant = values.tenant;
  }
  return filter;
}

function oneLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
