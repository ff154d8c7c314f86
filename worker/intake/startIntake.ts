// Starts the intake when INTAKE_PORT is set: its fail-fast producer and its server, wired from the
// worker's configuration. main() calls it once and closes it first at shutdown.
import type { Server } from "node:http";
import { parseConnectionList } from "../../shared/deliveryDecision.js";
import { ConfigError } from "../../shared/errors.js";
import type { Logger } from "../../shared/logger.js";
import type { RedisSettingName } from "../../shared/redisSettings.js";
import { type WorkerEnv, workerRedisSettings } from "../config.js";
import { workerDefaults } from "../defaults.js";
import type { WorkerMetrics } from "../metrics.js";
import { makeIntakeQueue } from "./enqueue.js";
import { intakeOutcomes } from "./outcome.js";
import { startIntakeServer } from "./server.js";

export interface RunningIntake {
  /** Stops taking requests, lets those under way finish, then drops the Redis connection. */
  close(): Promise<void>;
}

type IntakeEnv = Pick<
  WorkerEnv,
  "INTAKE_PORT" | "INTAKE_TOKEN" | "INTAKE_CONNECTIONS" | "REDIS_URL" | "QUEUE_NAME" | "DIRECTIVE_ATTRIBUTE"
> &
  Partial<Pick<WorkerEnv, "ROLES_ATTRIBUTE" | RedisSettingName>>;

/** The running intake, or undefined when INTAKE_PORT is 0. */
export async function startIntake(
  config: IntakeEnv,
  metrics: Pick<WorkerMetrics, "intakeRequests">,
  logger: Logger,
): Promise<RunningIntake | undefined> {
  if (config.INTAKE_PORT === 0) return undefined;
  // config.ts refuses a port without a token; this keeps the guarantee where the token is used.
  if (!config.INTAKE_TOKEN) throw new ConfigError("INTAKE_TOKEN: is required when INTAKE_PORT is set");
  const queue = makeIntakeQueue({
    redis: workerRedisSettings(config),
    queueName: config.QUEUE_NAME,
    storeTimeoutMs: workerDefaults.INTAKE_STORE_TIMEOUT_MS,
    onConnectionError: (error) =>
      logger.warn({ err: { message: error.message } }, "intake: redis connection error"),
  });
  // Every outcome shows in /metrics from the start, at 0, so an alert on any of them can be written.
  for (const outcome of intakeOutcomes) metrics.intakeRequests.inc({ outcome }, 0);
  let server: Server;
  try {
    server = await startIntakeServer({
      port: config.INTAKE_PORT,
      token: config.INTAKE_TOKEN,
      rules: {
        directiveAttribute: config.DIRECTIVE_ATTRIBUTE,
        rolesAttribute: config.ROLES_ATTRIBUTE,
        connections: parseConnectionList(config.INTAKE_CONNECTIONS),
        allowListSetting: "INTAKE_CONNECTIONS",
      },
      queue,
      maxBodyBytes: workerDefaults.INTAKE_MAX_BODY_BYTES,
      metrics,
      logger,
    });
  } catch (error) {
    await queue.close();
    const code = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    throw new ConfigError(`INTAKE_PORT: cannot listen on port ${config.INTAKE_PORT} (${code})`);
  }
  return {
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await queue.close();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
