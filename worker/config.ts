// The worker's configuration: environment variables, validated in main() with messages that name
// the variable. Every option is listed here; its default comes from defaults.ts.
import { z } from "zod";
import { parseConfig } from "../shared/configFile.js";
import { intakeTokenProblem } from "../shared/intake.js";
import {
  type RedisSettingName,
  type RedisSettings,
  readRedisSettings,
  redisSettingNames,
} from "../shared/redisSettings.js";
import { workerDefaults as D } from "./defaults.js";

export const workerEnvSchema = z.object({
  /** Redis the queue lives in. Default redis://127.0.0.1:6379. */
  // Checked with the other Redis settings (checkRedis), not left to ioredis, whose "Invalid URL"
  // TypeError prints the password.
  REDIS_URL: z.string().default(D.REDIS_URL),
  /**
   * A Redis Cluster instead of REDIS_URL: comma-separated seed nodes, `host:port` (port default 6379).
   * With REDIS_USERNAME, REDIS_PASSWORD (the nodes' ACL user) and REDIS_TLS=true as needed.
   */
  REDIS_CLUSTER_NODES: z.string().optional(),
  /** A Sentinel group instead of REDIS_URL: comma-separated sentinels, `host:port` (port default 26379). */
  REDIS_SENTINELS: z.string().optional(),
  /** The master group's name the sentinels watch; required with REDIS_SENTINELS. */
  REDIS_SENTINEL_NAME: z.string().optional(),
  /** ACL user of a cluster's or a sentinel group's data nodes (a single node's is in REDIS_URL). */
  REDIS_USERNAME: z.string().optional(),
  /** Password of a cluster's or a sentinel group's data nodes. */
  REDIS_PASSWORD: z.string().optional(),
  /** `true`: TLS to a cluster's or a sentinel group's nodes and sentinels (a single node: rediss://). Default false. */
  REDIS_TLS: z.string().optional(),
  /** The sentinels' own ACL user and password, when they have one. */
  REDIS_SENTINEL_USERNAME: z.string().optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  /** The tenants file (YAML or JSON). Required. */
  TENANTS_FILE: z.string({ error: "is required: the path of the tenants file" }).min(1, "is required"),
  /** Queue name; must match the Action's QUEUE_NAME secret. Default surecloud-group-sync. */
  QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "may hold letters, digits, '_', '.', '-' only")
    .default(D.QUEUE_NAME),
  /** Jobs processed at once by this process. Default 8. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(D.WORKER_CONCURRENCY),
  /**
   * Most jobs of one tenant this process runs at once; more wait in the queue, so a tenant that is
   * slow, throttled (429) or rate-limited cannot hold every slot while other tenants' jobs wait.
   * Default WORKER_CONCURRENCY − 1 (at least 1); WORKER_CONCURRENCY when the tenants file has one tenant.
   */
  WORKER_TENANT_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Port for /healthz, /readyz and /metrics; 0 turns the HTTP server off. Default 8080. */
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(D.HTTP_PORT),
  /** pino level. Default info. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default(D.LOG_LEVEL),
  /** Seconds a shutdown waits for in-flight jobs before handing them back. Default 25. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(D.SHUTDOWN_GRACE_SECONDS),
  /**
   * Milliseconds a job's BullMQ lock, and its user's lock, live unless renewed (the worker renews
   * them well before). When a worker dies, its jobs are taken again after this plus up to
   * WORKER_STALLED_INTERVAL_MS, and other jobs for those users wait at most this long. Default 30000.
   */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(D.WORKER_LOCK_DURATION_MS),
  /** Milliseconds between checks for jobs whose worker died (stalled jobs). Default 30000. */
  WORKER_STALLED_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(600_000)
    .default(D.WORKER_STALLED_INTERVAL_MS),
  /**
   * Times a job may lose its worker (a crash, a kill) and still be taken again; one more and it fails
   * as stalled, so a job that crashes every worker cannot crash them for ever. Default 2.
   */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(1).max(100).default(D.WORKER_MAX_STALLED_COUNT),
  /**
   * Base of the retry backoff in milliseconds; default: the job's own (2000, set by the Action).
   * Retry windows scale with it: 34–68 minutes at 2000; under 880 the shortest window drops below
   * the 15 minutes the design asks for, so lower values are for tests.
   */
  RETRY_BASE_DELAY_MS: z.coerce.number().int().min(1).max(600_000).optional(),
  /** Turns on the Bull Board dashboard at HTTP_PORT/dashboard, guarded by this token (16+ characters). Default: off. */
  /** Where the group directive lives on an Auth0 user read by verifyWithAuth0; as the Action's secret. */
  DIRECTIVE_ATTRIBUTE: z.string().min(1).default(D.DIRECTIVE_ATTRIBUTE),
  /** Where the user's Entra app roles live, read by the intake and verifyWithAuth0; as the Action's secret. */
  ROLES_ATTRIBUTE: z.string().min(1).default(D.ROLES_ATTRIBUTE),
  DASHBOARD_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Days the audit trail (Redis stream group-sync:<queue>:audit) keeps an entry. Default 400. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(D.AUDIT_RETENTION_DAYS),
  /** Most audit entries kept in Redis whatever their age; 0 for no cap. Default 500000 (≈300 MB at worst). */
  AUDIT_MAX_ENTRIES: z.coerce.number().int().min(0).default(D.AUDIT_MAX_ENTRIES),
  /** Port of the intake for Auth0's webhook destination (POST /events); 0 turns it off. Default 0 (off). */
  INTAKE_PORT: z.coerce.number().int().min(0).max(65_535).default(D.INTAKE_PORT),
  /** The bearer token Auth0 sends to the intake (32+ characters); required when INTAKE_PORT is set. */
  INTAKE_TOKEN: z
    .string()
    .superRefine((token, context) => {
      const problem = intakeTokenProblem(token);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  /** Comma-separated connection names the intake queues (the Action's CONNECTIONS); others are ignored. Default: all. */
  INTAKE_CONNECTIONS: z.string().optional(),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

/** The intake needs its token, and a port of its own. */
function checkIntake(
  env: { INTAKE_PORT: number; INTAKE_TOKEN?: string; HTTP_PORT: number },
  context: z.RefinementCtx,
) {
  if (env.INTAKE_PORT === 0) return;
  if (env.INTAKE_TOKEN === undefined) {
    context.addIssue({
      code: "custom",
      path: ["INTAKE_TOKEN"],
      message: "is required when INTAKE_PORT is set",
    });
  }
  if (env.INTAKE_PORT === env.HTTP_PORT) {
    context.addIssue({ code: "custom", path: ["INTAKE_PORT"], message: "must differ from HTTP_PORT" });
  }
}

/** One Redis: a single node, a cluster or a sentinel group, each setting named when wrong. */
function checkRedis(present: Record<string, string | undefined>, context: z.RefinementCtx) {
  const read = readRedisSettings(present, D.REDIS_URL);
  if (read.success) return;
  for (const issue of read.issues) context.addIssue({ code: "custom", ...issue });
}

/** The Redis the worker uses, from its validated configuration. */
export function workerRedisSettings(
  config: Pick<WorkerEnv, "REDIS_URL"> & Partial<Pick<WorkerEnv, RedisSettingName>>,
): RedisSettings {
  const named: Record<string, string | undefined> = Object.fromEntries(
    redisSettingNames.map((name) => [name, config[name]]),
  );
  // REDIS_URL holds its default in `config`; it counts only when no other form is named.
  if (named.REDIS_CLUSTER_NODES || named.REDIS_SENTINELS) delete named.REDIS_URL;
  const read = readRedisSettings(named, D.REDIS_URL);
  if (!read.success)
    throw new Error(`Redis settings: ${read.issues.map((issue) => issue.message).join("; ")}`);
  return read.settings;
}

export function parseWorkerEnv(env: NodeJS.ProcessEnv): WorkerEnv {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const schema = workerEnvSchema
    .superRefine(checkIntake)
    .superRefine((_, context) => checkRedis(present, context));
  return parseConfig(schema, present, "Invalid worker configuration");
}
