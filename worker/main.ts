// Entry point of the worker process: `node dist/worker/main.js`. Reads and checks the
// configuration, then consumes the queue until SIGTERM/SIGINT; reloads the tenants file on SIGHUP
// and when it changes on disk (tenantsReload.ts).

import type { Server } from "node:http";
import { Queue, type Worker } from "bullmq";
import { readAuth0Credentials } from "../shared/auth0Credentials.js";
import { isEntryPoint } from "../shared/entryPoint.js";
import { ConfigError } from "../shared/errors.js";
import { type Logger, makeLogger } from "../shared/logger.js";
import type { RedisClient } from "../shared/redisConnection.js";
import { describeRedis, queuePrefix } from "../shared/redisSettings.js";
import { tenantsFileSources } from "../shared/roleMapping.js";
import { loadTenantsFile, type TenantsFile } from "../shared/tenants.js";
import { makeAuditRecorder } from "./audit/auditTrail.js";
import { makeChangeLedger } from "./audit/changeLedger.js";
import { parseWorkerEnv, type WorkerEnv, workerRedisSettings } from "./config.js";
import { startHttpServer } from "./http/server.js";
import { type RunningIntake, startIntake } from "./intake/startIntake.js";
import { makeWorkerMetrics, recordSureCloudCall, type WorkerMetrics } from "./metrics.js";
import { startQueueWorker } from "./queue/queueWorker.js";
import { watchUnconsumedQueues } from "./queue/unconsumedQueueWatch.js";
import { openWorkerRedis } from "./redisClient.js";
import { syncStatePrefix } from "./redisKeys.js";
import type { SyncDeps } from "./sync/syncUser.js";
import { makeTenantRuntimes } from "./sync/tenantRuntime.js";
import { makeUserLock } from "./sync/userLock.js";
import { makeUserVersions } from "./sync/userVersions.js";
import { type LiveTenants, makeLiveTenants } from "./tenantsReload.js";
import { type TenantsWatch, watchTenantsFiles } from "./tenantsWatch.js";
import { type PresenceHandle, startWorkerPresence } from "./workerPresence.js";

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let logger: Logger = makeLogger({ name: "group-sync-worker" });
  try {
    const config = parseWorkerEnv(env);
    logger = makeLogger({ name: "group-sync-worker", level: config.LOG_LEVEL });
    const initialTenants = await loadTenantsFile(config.TENANTS_FILE);
    const metrics = makeWorkerMetrics();

    // Workers wait for Redis rather than fail: a Redis restart must not lose the process. A Redis
    // that refuses the worker (password, database number) is no outage: it stops, as bad config does.
    const redisSettings = workerRedisSettings(config);
    const redis = openWorkerRedis(redisSettings, {
      logger,
      onRefused: (problem) => {
        const message = `Redis at ${describeRedis(redisSettings)} ${problem}`;
        logger.fatal(message);
        process.stderr.write(`${message}\n`);
        process.exit(78);
      },
    });
    let presence: PresenceHandle | undefined;
    const { tenants, auth0 } = await liveTenantsFor(initialTenants, {
      config,
      env,
      redis,
      metrics,
      logger,
      onReload: () => void presence?.publish(),
    });
    // Before "worker started": until a process listens for SIGHUP, the signal ends it.
    process.on("SIGHUP", () => void tenants.reload("SIGHUP"));
    // The role-mapping files the tenants file names are watched too (their directories, as found at start).
    const watch = watchTenantsFiles(
      tenantsFileSources(config.TENANTS_FILE, initialTenants),
      () => void tenants.reload("file change"),
      logger,
    );
    const prefix = syncStatePrefix(config.QUEUE_NAME);
    const { worker, handBack } = startQueueWorker({
      queueName: config.QUEUE_NAME,
      connection: redis,
      prefix: queuePrefix(redisSettings),
      concurrency: config.WORKER_CONCURRENCY,
      deps: {
        // Read from the live holder at each job's start: a reload swaps both together (route.ts).
        get tenants() {
          return tenants.current().file;
        },
        get runtimes() {
          return tenants.current().runtimes;
        },
        get auth0() {
          return auth0();
        },
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
    const queue = new Queue(config.QUEUE_NAME, { connection: redis, prefix: queuePrefix(redisSettings) });
    // Its connection errors are the redis ones logged above; unheard, BullMQ prints them raw.
    queue.on("error", () => undefined);
    // Jobs queued under another QUEUE_NAME wait for ever: say so (log, metric; `status` too).
    watchUnconsumedQueues({
      redis,
      queueName: config.QUEUE_NAME,
      prefix: queuePrefix(redisSettings),
      metrics,
      logger,
    });
    const server =
      config.HTTP_PORT > 0
        ? await startHttpServer(config.HTTP_PORT, {
            redis,
            worker,
            metrics,
            tenants: () => tenants.status(),
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
        redis: describeRedis(redisSettings),
        queue: config.QUEUE_NAME,
        concurrency: config.WORKER_CONCURRENCY,
        httpPort: config.HTTP_PORT,
        intakePort: config.INTAKE_PORT,
        dashboard: config.DASHBOARD_TOKEN !== undefined && config.HTTP_PORT > 0,
        tenants: tenants.current().file.tenants.map((tenant) => tenant.id),
        tenantsFingerprint: tenants.current().fingerprint,
      },
      "worker started",
    );
    presence = startWorkerPresence({
      redis,
      queueName: config.QUEUE_NAME,
      tenants: () => tenants.status(),
      logger,
    });

    const running: Running = {
      worker,
      handBack,
      queue,
      redis,
      server,
      intake,
      tenants,
      watch,
      presence,
      logger,
      graceSeconds: config.SHUTDOWN_GRACE_SECONDS,
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
 * The tenants file, live (tenantsReload.ts). Each tenant's rate limit lives in Redis, so it holds
 * across every worker process; Auth0 is set up once a tenant verifies with it, at start-up or at a
 * reload, whose file is rejected when the credentials are missing, as start-up would be stopped.
 */
async function liveTenantsFor(
  initial: TenantsFile,
  context: {
    config: WorkerEnv;
    env: NodeJS.ProcessEnv;
    redis: RedisClient;
    metrics: WorkerMetrics;
    logger: Logger;
    onReload: () => void;
  },
): Promise<{ tenants: LiveTenants; auth0: () => SyncDeps["auth0"] }> {
  const { config, env, redis, metrics, logger } = context;
  let auth0: SyncDeps["auth0"];
  const tenants = await makeLiveTenants({
    path: config.TENANTS_FILE,
    initial,
    build: async (file) => {
      auth0 ??= await auth0TruthFor(file, env, config);
      return makeTenantRuntimes(file, env, (tenant) => (call) => recordSureCloudCall(metrics, tenant, call), {
        redis,
        queueName: config.QUEUE_NAME,
        logger,
      });
    },
    logger,
    metrics,
    onReload: context.onReload,
  });
  return { tenants, auth0: () => auth0 };
}

/**
 * What the worker checks jobs against for tenants that verify with Auth0; undefined when none does,
 * so the Auth0 SDK is loaded only then. Missing credentials stop start-up, naming the variable.
 */
async function auth0TruthFor(
  tenants: TenantsFile,
  env: NodeJS.ProcessEnv,
  attributes: Pick<WorkerEnv, "DIRECTIVE_ATTRIBUTE" | "ROLES_ATTRIBUTE">,
) {
  if (!tenants.tenants.some((tenant) => tenant.verifyWithAuth0)) return undefined;
  const credentials = readAuth0Credentials(env);
  const { makeAuth0Truth } = await import("./auth0/auth0Truth.js");
  return {
    truth: makeAuth0Truth(credentials),
    directiveAttribute: attributes.DIRECTIVE_ATTRIBUTE,
    rolesAttribute: attributes.ROLES_ATTRIBUTE,
  };
}

interface Running {
  worker: Worker;
  handBack: (delayMs: number) => Promise<number>;
  queue: Queue;
  redis: RedisClient;
  server: Server | undefined;
  intake: RunningIntake | undefined;
  tenants: LiveTenants;
  watch: TenantsWatch;
  presence: PresenceHandle;
  logger: Logger;
  graceSeconds: number;
}

/**
 * Stops taking jobs and lets running ones finish within the grace period; past it, hands the rest
 * back to the queue for another worker, then exits.
 */
async function shutdown(signal: string, running: Running): Promise<void> {
  const { worker, logger } = running;
  logger.info({ signal, graceSeconds: running.graceSeconds }, "shutting down");
  running.watch.close();
  // New deliveries go elsewhere at once (Auth0 retries); those under way finish storing their job.
  const intakeClosed = running.intake?.close();
  const deadline = new Promise<"timeout">((resolve) =>
    setTimeout(() => resolve("timeout"), running.graceSeconds * 1000).unref(),
  );
  const finished = await Promise.race([worker.close().then(() => "closed" as const), deadline]);
  // worker.close(true) would not help here: the close already under way waits for the running jobs.
  const handedBack = finished === "timeout" ? await running.handBack(handBackDelayMs(running.tenants)) : 0;
  running.server?.close();
  await running.presence.stop();
  if (finished === "closed") await running.queue.close();
  running.redis.disconnect();
  await intakeClosed;
  logger.info({ finished, handedBack }, "worker stopped");
  process.exit(0);
}

/**
 * A handed-back job waits out the longest SureCloud request timeout, so that a request this process
 * already sent is answered (or given up) before another worker runs the job again.
 */
function handBackDelayMs(tenants: LiveTenants): number {
  return Math.max(0, ...tenants.current().file.tenants.map((tenant) => tenant.surecloud.timeoutMs));
}

if (isEntryPoint(import.meta.url)) await main();
