// The worker's defaults, in one place: its environment schema (config.ts), the modules it wires
// (queue, user lock, audit trail), the operations CLI's help texts and the local stack all read
// them from here, so a default changes in one line.
import { DEFAULT_DIRECTIVE_ATTRIBUTE, DEFAULT_ROLES_ATTRIBUTE } from "../shared/eventToJob.js";
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
  /** Where the group directive lives on an Auth0 user (the Action's DIRECTIVE_ATTRIBUTE has the same default). */
  DIRECTIVE_ATTRIBUTE: DEFAULT_DIRECTIVE_ATTRIBUTE,
  /** Where the user's Entra app roles live on an Auth0 user (the Action's ROLES_ATTRIBUTE has the same default). */
  ROLES_ATTRIBUTE: DEFAULT_ROLES_ATTRIBUTE,
  /** Days the audit trail keeps an entry. */
  AUDIT_RETENTION_DAYS: 400,
  /** Most audit entries kept whatever their age (about 300 MB at worst); 0: no cap. */
  AUDIT_MAX_ENTRIES: 500_000,
  /** Milliseconds before a job whose user or tenant is busy is tried again (plus jitter). */
  LOCKED_RETRY_MS: 150,
  /**
   * Longest wait a SureCloud 429's Retry-After can impose, in ms: on the job's next try and on its
   * tenant's pause alike. The server's figure is not trusted beyond it, since one `Retry-After:
   * 99999999` froze a tenant's jobs until 2030. Five minutes outlasts a per-minute rate window, and a
   * job throttled on every try still fails visibly within about 100 minutes (README rule 9).
   */
  SURECLOUD_RETRY_AFTER_CAP_MS: 5 * 60 * 1000,
  /**
   * Most pages one group listing reads before it is given up: 100 pages of 500 is 50,000 groups,
   * far beyond any catalogue, while a server handing out endless cursors is stopped in seconds.
   */
  SURECLOUD_MAX_PAGES: 100,
  /** Longest one paged listing may run, in ms, rate-gate waits included (each request has its own timeout too). */
  SURECLOUD_PAGING_BUDGET_MS: 2 * 60 * 1000,
  /**
   * Largest SureCloud answer read, in bytes. The contract's largest page, 500 groups, fits even at
   * 8 KiB of name and description per group (a real page is a few hundred KB); a 300 MB answer once
   * took a worker past 1 GB. Reading to the limit costs a few times it in transient memory per job.
   */
  SURECLOUD_MAX_RESPONSE_BYTES: 4 * 1024 * 1024,
  /** Port of the intake (Auth0's webhook destination); 0: off. */
  INTAKE_PORT: 0,
  /**
   * Largest request body the intake reads, in bytes; larger ones get 413 and are not read further.
   * An Auth0 user event is a few KB (app_metadata and user_metadata are capped at 16 KB each).
   */
  INTAKE_MAX_BODY_BYTES: 256 * 1024,
  /** Longest the intake waits for Redis to store a job before answering 503, so Auth0 retries. */
  INTAKE_STORE_TIMEOUT_MS: 3_000,
} as const;
