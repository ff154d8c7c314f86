// Resync: reads every user of each tenant's Auth0 connections and either queues a sync job for each
// (the worker then applies the sync rules, ordered by version against live events, under the
// per-user lock) or, in a dry run, computes each user's plan without any write.
import type { Queue } from "bullmq";
import { syncJobOptions } from "../../shared/jobOptions.js";
import type { Tenant } from "../../shared/tenants.js";
import type { Auth0Attributes } from "../../worker/sync/verify.js";
import type { Auth0UserSource } from "./auth0Users.js";
import { type Preview, type PreviewDeps, previewJob } from "./preview.js";
import { type Progress, silentProgress } from "./progress.js";
import { newRunId, type ResyncJob, resyncJobFor } from "./resyncJob.js";

export type ResyncMode = { kind: "queue"; queue: Queue } | { kind: "dry-run"; preview: PreviewDeps };

export interface ResyncOptions {
  tenants: Tenant[];
  source: Auth0UserSource;
  /** Where the Auth0 user holds the directive and the app roles (toolbox/cli/opsContext.ts). */
  attributes: Auth0Attributes;
  mode: ResyncMode;
  progress?: (tenant: Tenant) => Progress;
  runId?: string;
  /** Users previewed at once in a dry run. Default 8 (SureCloud's rate gate still applies). */
  previewConcurrency?: number;
}

export interface TenantResync {
  tenantId: string;
  /** The tenant's Auth0 connections, listed one after another. */
  connections: string[];
  /** Users Auth0 listed (rejected records included). */
  listed: number;
  /** Records that were not usable users. */
  rejected: number;
  /** Jobs added to the queue. */
  queued: number;
  /** Users whose current state already had a job waiting: none added. */
  alreadyQueued: number;
  /** How Auth0 was read; `export` when any connection needed a users-export job. */
  via: "search" | "export" | "none";
  /** Every Auth0 user id listed (for the orphan check). */
  auth0UserIds: Set<string>;
  durationMs: number;
}

export interface ResyncReport {
  runId: string;
  dryRun: boolean;
  tenants: TenantResync[];
  /** Ids of the jobs queued. */
  jobIds: string[];
  /** Dry run: what the worker would do for each user. */
  previews: Preview[];
}

export async function runResync(options: ResyncOptions): Promise<ResyncReport> {
  const runId = options.runId ?? newRunId();
  const report: ResyncReport = {
    runId,
    dryRun: options.mode.kind === "dry-run",
    tenants: [],
    jobIds: [],
    previews: [],
  };
  for (const tenant of options.tenants) {
    report.tenants.push(await resyncTenant(tenant, options, runId, report));
  }
  return report;
}

async function resyncTenant(
  tenant: Tenant,
  options: ResyncOptions,
  runId: string,
  report: ResyncReport,
): Promise<TenantResync> {
  const started = Date.now();
  const progress = options.progress?.(tenant) ?? silentProgress;
  const result: TenantResync = {
    tenantId: tenant.id,
    connections: tenant.connections,
    listed: 0,
    rejected: 0,
    queued: 0,
    alreadyQueued: 0,
    via: "none",
    auth0UserIds: new Set(),
    durationMs: 0,
  };
  try {
    for (const connection of tenant.connections) {
      // Page counts are per connection; the tenant's add up. Progress knows only this one's total.
      const before = result.listed;
      for await (const page of options.source.connectionUsers(connection)) {
        result.listed = before + page.listed;
        result.rejected += page.rejected;
        if (result.via !== "export") result.via = page.via;
        const jobs = page.users.map((user) => resyncJobFor(user, connection, options.attributes, runId));
        for (const { job } of jobs) result.auth0UserIds.add(job.user.userId);
        if (options.mode.kind === "queue") await enqueue(options.mode.queue, jobs, result, report);
        else
          report.previews.push(
            ...(await previewAll(jobs, options.mode.preview, options.previewConcurrency ?? 8)),
          );
        progress.update(result.listed, page.total === undefined ? undefined : before + page.total);
      }
    }
  } finally {
    progress.finish();
    result.durationMs = Date.now() - started;
  }
  return result;
}

async function enqueue(
  queue: Queue,
  jobs: ResyncJob[],
  result: TenantResync,
  report: ResyncReport,
): Promise<void> {
  const added = await Promise.all(
    jobs.map(({ job, jobId, deduplicationId }) =>
      queue.add(job.event.type, job, { ...syncJobOptions, jobId, deduplication: { id: deduplicationId } }),
    ),
  );
  added.forEach((job, index) => {
    // A deduplicated add hands back the job already waiting, under its own id.
    if (job.id === jobs[index]?.jobId) {
      result.queued += 1;
      report.jobIds.push(job.id as string);
    } else result.alreadyQueued += 1;
  });
}

async function previewAll(jobs: ResyncJob[], deps: PreviewDeps, concurrency: number): Promise<Preview[]> {
  const previews: Preview[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const index = next++;
      previews[index] = await previewJob((jobs[index] as ResyncJob).job, deps);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  return previews;
}
