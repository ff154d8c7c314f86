// Prometheus metrics of one worker process. Labels never carry a user id or a secret.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface WorkerMetrics {
  registry: Registry;
  jobs: Counter<"tenant" | "outcome" | "reason">;
  memberships: Counter<"tenant" | "change">;
  sureCloudCalls: Histogram<"tenant" | "operation" | "status">;
  jobDuration: Histogram<"tenant">;
  queueLag: Histogram<"tenant">;
  queueDepth: Gauge<"state">;
}

export function makeWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
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
      help: "Jobs in the queue by state (waiting, active, delayed, failed).",
      labelNames: ["state"],
      registers: [registry],
    }),
  };
}
