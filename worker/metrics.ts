// Prometheus metrics of one worker process: the sync's own series plus Node's default process
// metrics, all on one registry. Labels never carry a user id or a secret.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { SureCloudCall } from "./surecloud/httpClient.js";

export interface WorkerMetrics {
  registry: Registry;
  jobs: Counter<"tenant" | "outcome" | "reason">;
  memberships: Counter<"tenant" | "change">;
  sureCloudCalls: Histogram<"tenant" | "operation" | "status">;
  sureCloudErrors: Counter<"tenant" | "operation" | "status">;
  jobDuration: Histogram<"tenant">;
  queueLag: Histogram<"tenant">;
  queueDepth: Gauge<"state">;
  intakeRequests: Counter<"outcome">;
  unknownRoles: Counter<"tenant" | "role">;
  /** 1 for the fingerprint of the tenants file this process runs (tenantsReload.ts). */
  tenantsConfig: Gauge<"fingerprint">;
  tenantsReloads: Counter<"result">;
  /** Failed jobs superseded by a newer change for the same user (queue/supersede.ts). */
  superseded: Counter<"tenant" | "reason">;
  /** Jobs waiting in queues no worker consumes (queue/unconsumedQueues.ts). */
  unconsumedQueueJobs: Gauge<"queue">;
}

export function makeWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  // CPU, memory, event-loop lag, GC and handles: what an operator checks first when a worker slows.
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    jobs: new Counter({
      name: "group_sync_jobs_total",
      help: "Jobs finished, by tenant, outcome (applied, skipped, failed, retried) and reason.",
      labelNames: ["tenant", "outcome", "reason"],
      registers: [registry],
    }),
    memberships: new Counter({
      name: "group_sync_memberships_total",
      help: "Group memberships changed in SureCloud, by tenant and change (added, removed).",
      labelNames: ["tenant", "change"],
      registers: [registry],
    }),
    sureCloudCalls: new Histogram({
      name: "group_sync_surecloud_call_seconds",
      help: "SureCloud API call latency, by tenant, operation and status (HTTP status, network, timeout).",
      labelNames: ["tenant", "operation", "status"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    sureCloudErrors: new Counter({
      name: "group_sync_surecloud_errors_total",
      help: "SureCloud API calls that failed, by tenant, operation and status (HTTP status, network, timeout).",
      labelNames: ["tenant", "operation", "status"],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "group_sync_job_seconds",
      help: "Time to process one job, by tenant.",
      labelNames: ["tenant"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    queueLag: new Histogram({
      name: "group_sync_queue_lag_seconds",
      help: "Time from enqueue to the start of processing, by tenant.",
      labelNames: ["tenant"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "group_sync_queue_jobs",
      help: "Jobs in the queue by state (waiting, active, delayed, failed), read from Redis at each scrape.",
      labelNames: ["state"],
      registers: [registry],
    }),
    unknownRoles: new Counter({
      name: "group_sync_unknown_roles_total",
      help: "App roles a user had that the tenant's role mapping does not name (left out of the union), by tenant and role.",
      labelNames: ["tenant", "role"],
      registers: [registry],
    }),
    intakeRequests: new Counter({
      name: "group_sync_intake_requests_total",
      help: "Requests to the intake (Auth0's webhook destination) by outcome: queued, ignored, unauthorized, too-large, malformed, rejected, unavailable, …",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    tenantsConfig: new Gauge({
      name: "group_sync_tenants_config_info",
      help: "1, labelled with the fingerprint of the tenants file this worker runs (changes on a reload).",
      labelNames: ["fingerprint"],
      registers: [registry],
    }),
    tenantsReloads: new Counter({
      name: "group_sync_tenants_reloads_total",
      help: "Reloads of the tenants file (SIGHUP or a change on disk), by result: applied, rejected (the running file kept), unchanged.",
      labelNames: ["result"],
      registers: [registry],
    }),
    superseded: new Counter({
      name: "group_sync_superseded_jobs_total",
      help: "Failed jobs taken out of the failed list because a newer change for the same user was applied, by tenant and failure reason.",
      labelNames: ["tenant", "reason"],
      registers: [registry],
    }),
    unconsumedQueueJobs: new Gauge({
      name: "group_sync_unconsumed_queue_jobs",
      help: "Jobs waiting in a queue under the worker's BullMQ prefix that no worker consumes (e.g. another QUEUE_NAME), by queue.",
      labelNames: ["queue"],
      registers: [registry],
    }),
  };
}

/** Records one SureCloud request: its latency always, and an error unless it answered 2xx. */
export function recordSureCloudCall(metrics: WorkerMetrics, tenant: string, call: SureCloudCall): void {
  const labels = { tenant, operation: call.operation, status: String(call.status) };
  metrics.sureCloudCalls.observe(labels, call.durationMs / 1000);
  // The client treats every non-2xx answer (redirects included) as a failure, so the counter does too.
  const failed = typeof call.status !== "number" || call.status < 200 || call.status >= 300;
  if (failed) metrics.sureCloudErrors.inc(labels);
}
