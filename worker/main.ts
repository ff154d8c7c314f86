// Entry point of the worker process: `node dist/worker/main.js`. Reads and checks the
// configuration, then consumes the queue until SIGTERM/SIGINT.

import type { Server } from "node:http";
import { Queue, type Worker } from "bullmq";
import { Redis } from "ioredis";
import { readAuth0Credentials } from "../shared/auth0Credentials.js";
import { isEntryPoint } from "../shared/entryPoint.js";
import { ConfigError } from "../shared/errors.js";
import { type Logger, makeLogger, maskUrl } from "../shared/logger.js";
import { loadTenantsFile, type TenantsFile } from "../shared/tenants.js";
import { makeAuditRecorder } from "./audit/auditTrail.js";
import { makeChangeLedger } from "./audit/changeLedger.js";
import { parseWorkerEnv } from "./config.js";
import { startHttpServer } from "./http/server.js";
import { type RunningIntake, startIntake } from "./intake/startIntake.js";
import { makeWorkerMetrics, recordSureCloudCall } from "./metrics.js";
import { startQueueWorker } from "./queue/queueWorker.js";
import { syncStatePrefix } from "./redisKeys.js";
import { makeTenantRuntimes } from "./sync/tenantRuntime.js";
import { makeUserLock } from "./sync/userLock.js";
import { makeUserVersions } from "./sync/userVersions.js";

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let logger: Logger = makeLogger({ name: "group-sync-worker" });
  try {
    const config = parseWorkerEnv(env);
    logger = makeLogger({ name: "group-sync-worker", level: config.LOG_LEVEL });
    const tenants = await loadTenantsFile(config.TENANTS_FILE);
    const metrics = makeWorkerMetrics();
    const auth0 = await auth0TruthFor(tenants, env, config.DIRECTIVE_ATTRIBUTE);

    // Workers wait for Redis rather than fail: a Redis restart must not lose the process.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
    redis.on("error", (error) => logger.warn({ err: { message: error.message } }, "redis connection error"));
    // Each tenant's rate limit lives in this Redis, so it holds across every worker process.
    const runtimes = makeTenantRuntimes(
      tenants,
      env,
      (tenant) => (call) => recordSureCloudCall(metrics, tenant, call),
      { redis, queueName: config.QUEUE_NAME, logger },
    );
    const prefix = syncStatePrefix(config.QUEUE_NAME);
    const { worker, handBack } = startQueueWorker({
      queueName: config.QUEUE_NAME,
      connection: redis,
      concurrency: config.WORKER_CONCURRENCY,
      deps: {
        tenants,
        runtimes,
        auth0,
        versions: makeUserVersions(redis, prefix),
        lock: makeUserLock(redis, prefix, config.WORKER_LOCK_DURATION_MS),
        audit: makeChangeLedger(
          redis,
          config.QUEUE_NAME,
          makeAuditRecorder(redis, config.QUEUE_NAME, {
            retentionDays: config.AUDIT_RETENTION_DAYS,
            maxEntries: config.AUDIT_MAX_ENTRIES,
            logger,
          }),
          logger,
        ),
      },
      logger,
      metrics,
      lockDurationMs: config.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
      retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
      tenantConcurrency: config.WORKER_TENANT_CONCURRENCY,
    });
    const queue = new Queue(config.QUEUE_NAME, { connection: redis });
    // Its connection errors are the redis ones logged above; unheard, BullMQ prints them raw.
    queue.on("error", () => undefined);
    const server =
      config.HTTP_PORT > 0
        ? await startHttpServer(config.HTTP_PORT, {
            redis,
            worker,
            metrics,
            refreshQueueGauges: async () => {
              const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed");
              for (const [state, count] of Object.entries(counts)) metrics.queueDepth.set({ state }, count);
            },
            dashboard: config.DASHBOARD_TOKEN ? { queue, token: config.DASHBOARD_TOKEN } : undefined,
          })
        : undefined;
    const intake = await startIntake(config, metrics, logger);
    logger.info(
      {
        redis: maskUrl(config.REDIS_URL),
        queue: config.QUEUE_NAME,
        concurrency: config.WORKER_CONCURRENCY,
        httpPort: config.HTTP_PORT,
        intakePort: config.INTAKE_PORT,
        dashboard: config.DASHBOARD_TOKEN !== undefined && config.HTTP_PORT > 0,
        tenants: tenants.tenants.map((tenant) => tenant.id),
      },
      "worker started",
    );

    const running: Running = {
      worker,
      handBack,
      queue,
      redis,
      server,
      intake,
      logger,
      graceSeconds: config.SHUTDOWN_GRACE_SECONDS,
      // A handed-back job waits out the longest SureCloud request timeout, so that a request this
      // process already sent is answered (or given up) before another worker runs the job again.
      handBackDelayMs: Math.max(0, ...tenants.tenants.map((tenant) => tenant.surecloud.timeoutMs)),
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM", running));
    process.once("SIGINT", () => void shutdown("SIGINT", running));
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/**
 * What the worker checks jobs against for tenants that verify with Auth0; undefined when none does,
 * so the Auth0 SDK is loaded only then. Missing credentials stop start-up, naming the variable.
 */
async function auth0TruthFor(tenants: TenantsFile, env: NodeJS.ProcessEnv, directiveAttribute: string) {
  if (!tenants.tenants.some((tenant) => tenant.verifyWithAuth0)) return undefined;
  const credentials = readAuth0Credentials(env);
  const { makeAuth0Truth } = await import("./auth0/auth0Truth.js");
  return { truth: makeAuth0Truth(credentials), directiveAttribute };
}

interface Running {
  worker: Worker;
  handBack: (delayMs: number) => Promise<number>;
  queue: Queue;
  redis: Redis;
  server: Server | undefined;
  intake: RunningIntake | undefined;
  logger: Logger;
  graceSeconds: number;
  handBackDelayMs: number;
}

/**
 * Stops taking jobs and lets running ones finish within the grace period; past it, hands the rest
 * back to the queue for another worker, then exits.
 */
async function shutdown(signal: string, running: Running): Promise<void> {
  const { worker, logger } = running;
  logger.info({ signal, graceSeconds: running.graceSeconds }, "shutting down");
  // New deliveries go elsewhere at once (Auth0 retries); those under way finish storing their job.
  const intakeClosed = running.intake?.close();
  const deadline = new Promise<"timeout">((resolve) =>
    setTimeout(() => resolve("timeout"), running.graceSeconds * 1000).unref(),
  );
  const finished = await Promise.race([worker.close().then(() => "closed" as const), deadline]);
  // worker.close(true) would not help here: the close already under way waits for the running jobs.
  const handedBack = finished === "timeout" ? await running.handBack(running.handBackDelayMs) : 0;
  running.server?.close();
  if (finished === "closed") await running.queue.close();
  running.redis.disconnect();
  await intakeClosed;
  logger.info({ finished, handedBack }, "worker stopped");
  process.exit(0);
}

if (isEntryPoint(import.meta.url)) await main();
