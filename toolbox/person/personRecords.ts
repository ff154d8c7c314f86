// What `failed --user` and `audit --user` share with `user`: a person named by email, userName or
// id turned into the ids their records carry, and those records.
import type { Queue } from "bullmq";
import type { RedisClient } from "../../shared/redisConnection.js";
import type { TenantsFile } from "../../shared/tenants.js";
import type { StoredAuditEntry } from "../../worker/audit/auditEntry.js";
import { type AuditFilter, queryAuditTrail } from "../audit/auditQuery.js";
import { type FailedJobList, type ListFailedJobsOptions, listFailedJobs } from "../ops/failedJobs.js";
import { resolvePerson } from "./resolvePerson.js";

/** The text itself (an Auth0 or SureCloud user id stays one) and every Auth0 user id it resolves to. */
export async function idsOfPerson(
  sources: { queue: Queue; redis: RedisClient; env: NodeJS.ProcessEnv; tenants?: TenantsFile | undefined },
  query: string,
): Promise<Set<string>> {
  const person = await resolvePerson(sources, query);
  return new Set([query, ...person.auth0UserIds]);
}

/** Failed jobs of the person, newest failure first, with the other filters applied. */
export async function failedJobsOf(
  queue: Queue,
  options: ListFailedJobsOptions,
  users: ReadonlySet<string>,
): Promise<FailedJobList> {
  const all = await listFailedJobs(queue, { ...options, limit: Number.MAX_SAFE_INTEGER });
  const jobs = all.jobs.filter((job) => job.auth0UserId !== null && users.has(job.auth0UserId));
  return { jobs: jobs.slice(0, options.limit ?? 50), matched: jobs.length };
}

/** Audit entries of any of the ids (Auth0 or SureCloud; undefined: anyone), oldest first, the newest `limit` kept. */
export async function auditOf(
  redis: RedisClient,
  queueName: string,
  users: Iterable<string | undefined>,
  filter: Omit<AuditFilter, "user">,
): Promise<StoredAuditEntry[]> {
  const byId = new Map<string, StoredAuditEntry>();
  for (const user of users) {
    for (const entry of await queryAuditTrail(redis, queueName, { ...filter, user }))
      byId.set(entry.id, entry);
  }
  return [...byId.values()].sort((a, b) => compareStreamIds(a.id, b.id)).slice(-(filter.limit ?? 1000));
}

/** Redis stream ids are `<ms>-<seq>`: compared as numbers, part by part. */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs - bMs || aSeq - bSeq;
}
