// The worker's configuration: environment variables, validated in main() with messages that name
// the variable. Every option and its default is listed here.
import { z } from "zod";
import { ConfigError } from "../shared/errors.js";
import { DEFAULT_QUEUE_NAME } from "../shared/job.js";

export const workerEnvSchema = z.object({
  /** Redis the queue lives in. Default redis://127.0.0.1:6379. */
  REDIS_URL: z
    .string()
    .default("redis://127.0.0.1:6379")
    .refine((value) => /^rediss?:\/\//.test(value), "must be a redis:// or rediss:// URL"),
  /** The tenants file (YAML or JSON). Required. */
  TENANTS_FILE: z.string({ error: "is required: the path of the tenants file" }).min(1, "is required"),
  /** Queue name; must match the Action's QUEUE_NAME secret. Default surecloud-group-sync. */
  QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "may hold letters, digits, '_', '.', '-' only")
    .default(DEFAULT_QUEUE_NAME),
  /** Jobs processed at once by this process. Default 8. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Port for /healthz, /readyz and /metrics; 0 turns the HTTP server off. Default 8080. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** pino level. Default info. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Seconds a shutdown waits for in-flight jobs before handing them back. Default 25. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(25),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function parseWorkerEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = workerEnvSchema.safeParse(present);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new ConfigError(`Invalid worker configuration: ${message}`);
  }
  return parsed.data;
}
