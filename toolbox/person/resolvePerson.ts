// One person, named by email, userName or Auth0 user id, without Auth0: the Auth0 user ids the
// queue's jobs and SureCloud's accounts tie to that name, the SureCloud accounts (one per tenant
// that has one), and the person's recent jobs. What cannot be read is said in notes, not thrown.
import type { Queue } from "bullmq";
import type { RedisClient } from "../../shared/redisConnection.js";
import { type Tenant, type TenantsFile, tenantToken } from "../../shared/tenants.js";
import { makeTenantRuntimes } from "../../worker/sync/tenantRuntime.js";
import { readOnlyDirectory } from "../resync/readOnlyDirectory.js";
import { isAbout, type PersonJob, recentJobs } from "./personJobs.js";
import { findAccount, type SureCloudAccount } from "./sureCloudAccount.js";

export interface PersonSources {
  queue: Queue;
  redis: RedisClient;
  env: NodeJS.ProcessEnv;
  /** Without it SureCloud is not read. */
  tenants?: TenantsFile | undefined;
  /** Read only these tenants' SureCloud; default the tenants of the person's jobs, else all. */
  only?: Tenant[] | undefined;
}

export interface Person {
  /** What the operator typed. */
  query: string;
  auth0UserIds: string[];
  accounts: SureCloudAccount[];
  /** The person's jobs of the scanned window, newest first. */
  jobs: PersonJob[];
  notes: string[];
}

/** An Auth0 user id is `<provider>|<id>`; emails and userNames have no `|`. */
export function isAuth0UserId(text: string): boolean {
  return text.includes("|");
}

export async function resolvePerson(sources: PersonSources, query: string): Promise<Person> {
  const ids = new Set<string>(isAuth0UserId(query) ? [query] : []);
  const scanned = await recentJobs(sources.queue);
  for (const job of scanned) if (job.auth0UserId && isAbout(job, ids, query)) ids.add(job.auth0UserId);
  const notes: string[] = [];
  const accounts: SureCloudAccount[] = [];
  for (const tenant of tenantsToRead(
    sources,
    scanned.filter((job) => isAbout(job, ids, query)),
  )) {
    const account = await readAccount(sources, tenant, [...ids], query).catch((error: unknown) => {
      notes.push(`tenant ${tenant.id}: SureCloud not read: ${(error as Error).message}`);
      return undefined;
    });
    if (!account) continue;
    accounts.push(account);
    if (account.user.externalId) ids.add(account.user.externalId);
  }
  if (!sources.tenants) notes.push("SureCloud not read: no tenants file (--tenants or TENANTS_FILE)");
  const connections = sources.only?.flatMap((tenant) => tenant.connections);
  const jobs = scanned.filter(
    (job) => isAbout(job, ids, query) && (!connections || connections.includes(job.connection ?? "")),
  );
  return { query, auth0UserIds: [...ids], accounts, jobs, notes };
}

function tenantsToRead(sources: PersonSources, jobs: PersonJob[]): Tenant[] {
  if (!sources.tenants) return [];
  if (sources.only) return sources.only;
  const connections = new Set(jobs.map((job) => job.connection));
  const routed = sources.tenants.tenants.filter((tenant) =>
    tenant.connections.some((name) => connections.has(name)),
  );
  return routed.length > 0 ? routed : sources.tenants.tenants;
}

async function readAccount(
  sources: PersonSources,
  tenant: Tenant,
  auth0UserIds: string[],
  query: string,
): Promise<SureCloudAccount | undefined> {
  if (!tenantToken(tenant, sources.env)) throw new Error(`${tenant.surecloud.tokenEnv} is not set`);
  const runtime = makeTenantRuntimes({ tenants: [tenant] }, sources.env).get(tenant.id);
  if (!runtime) return undefined;
  const lookup = {
    tenant,
    directory: readOnlyDirectory(runtime.directory),
    redis: sources.redis,
    queueName: sources.queue.name,
  };
  return findAccount(lookup, auth0UserIds, query);
}
