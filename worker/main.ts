// Entry point of the worker process: `node dist/worker/main.js`. Reads and checks the
// configuration, then consumes the queue until SIGTERM/SIGINT.
import { pathToFileURL } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { ConfigError } from "../shared/errors.js";
import { type Logger, makeLogger, maskUrl } from "../shared/logger.js";
import { loadTenantsFile } from "../shared/tenants.js";
import { parseWorkerEnv } from "./config.js";
import { startHttpServer } from "./http.js";
import { makeWorkerMetrics } from "./metrics.js";
import { startQueueWorker } from "./queueWorker.js";
import { makeUserLock } from "./sync/userLock.js";
import { makeUserVersions } from "./sync/userVersions.js";
import { makeTenantRuntimes } from "./tenantRuntime.js";

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let logger: Logger = makeLogger({ name: "group-sync-worker" });
  try {
    const config = parseWorkerEnv(env);
    logger = makeLogger({ name: "group-sync-worker", level: config.LOG_LEVEL });
    const tenants = await loadTenantsFile(config.TENANTS_FILE);
    const metrics = makeWorkerMetrics();
    const runtimes = makeTenantRuntimes(tenants, env, (tenant) => (call) => {
      metrics.sureCloudCalls.observe(
        { tenant, operation: call.operation, status: String(call.status) },
        call.durationMs / 1000,
      );
    });

    // Workers wait for Redis rather than fail: a Redis restart must not lose the process.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
    redis.on("error", (error) => logger.warn({ err: { message: error.message } }, "redis connection error"));
    const prefix = `group-sync:${config.QUEUE_NAME}`;
    const worker = startQueueWorker({
      queueName: config.QUEUE_NAME,
      connection: redis,
      concurrency: config.WORKER_CONCURRENCY,
      deps: {
        tenants,
        runtimes,
        versions: makeUserVersions(redis, prefix),
        lock: makeUserLock(redis, prefix),
      },
      logger,
      metrics,
    });
    const queue = new Queue(config.QUEUE_NAME, { connection: redis });
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
          })
        : undefined;
    logger.info(
      {
        redis: maskUrl(config.REDIS_URL),
        queue: config.QUEUE_NAME,
        concurrency: config.WORKER_CONCURRENCY,
        httpPort: config.HTTP_PORT,
        tenants: tenants.tenants.map((tenant) => tenant.id),
      },
      "worker started",
    );

    const shutdown = async (signal: string) => {
      logger.info({ signal, graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, "shutting down");
      const deadline = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), config.SHUTDOWN_GRACE_SECONDS * 1000).unref(),
      );
      const finished = await Promise.race([worker.close().then(() => "closed" as const), deadline]);
      // Past the deadline, in-flight jobs are handed back: their locks lapse and another worker takes them.
      if (finished === "timeout") await worker.close(true);
      server?.close();
      await queue.close();
      redis.disconnect();
      logger.info({ finished }, "worker stopped");
      process.exit(0);
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
