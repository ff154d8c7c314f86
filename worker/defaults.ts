// The worker's defaults, in one place: its environment schema (config.ts), the modules it wires
// (queue, user lock, audit trail), the operations CLI's help texts and the local stack all read
// them from here, so a default changes in one line.
import { DEFAULT_QUEUE_NAME } from "../shared/job.js";

export const workerDefaults = {
  /** Redis holding the queue. */
  REDIS_URL: "redis://127.0.0.1:6379",
  /** Queue name; the Action's QUEUE_NAME secret has the same default. */
  QUEUE_NAME: DEFAULT_QUEUE_NAME,
  /** Jobs processed at once by one process. */
  WORKER_CONCURRENCY: 8,
  /** Port of /healthz, /readyz, /metrics (and /dashboard). */
  HTTP_PORT: 8080,
  LOG_LEVEL: "info",
  /** Seconds a shutdown waits for in-flight jobs before handing them back. */
  SHUTDOWN_GRACE_SECONDS: 25,
  /** Life of a job's BullMQ lock and of its user's lock unless renewed. */
  WORKER_LOCK_DURATION_MS: 30_000,
  /** Milliseconds between checks for jobs whose worker died. */
  WORKER_STALLED_INTERVAL_MS: 30_000,
  /** Times a job may lose its worker and still be taken again. */
  WORKER_MAX_STALLED_COUNT: 2,
  /** Days the audit trail keeps an entry. */
  AUDIT_RETENTION_DAYS: 400,
  /** Most audit entries kept whatever their age (about 300 MB at worst); 0: no cap. */
  AUDIT_MAX_ENTRIES: 500_000,
  /** Milliseconds before a job whose user or tenant is busy is tried again (plus jitter). */
  LOCKED_RETRY_MS: 150,
} as const;
