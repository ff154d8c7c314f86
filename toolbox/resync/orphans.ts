// The reverse direction of a resync: SureCloud users still ACTIVE and linked to an Auth0 user that
// no longer exists (a `user.deleted` lost for good). SureCloud's contract cannot list users, so the
// candidates are the Auth0 users the worker has synced: its version records (kept 180 days).
import type { Queue } from "bullmq";
import { syncJobOptions } from "../../shared/jobOptions.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import type { Tenant } from "../../shared/tenants.js";
import { syncStatePrefix } from "../../worker/redisKeys.js";
import type { SureCloudDirectory } from "../../worker/surecloud/directory.js";
import { makeUserVersions } from "../../worker/sync/userVersions.js";
import type { Auth0Attributes } from "../../worker/sync/verify.js";
import type { Auth0UserSource } from "./auth0Users.js";
import { orphanJobFor } from "./resyncJob.js";

export interface Orphan {
  tenantId: string;
  auth0UserId: string;
  sureCloudUserId: string;
  userName: string;
  /** The id of the job queued to make it INACTIVE, when asked to. */
  deactivationJobId?: string;
}

export interface OrphanCheck {
  redis: RedisClient;
  queueName: string;
  tenant: Tenant;
  /** Every user the listing returned for the tenant's connections. */
  listed: Set<string>;
  source: Auth0UserSource;
  /** Read-only: the check itself never writes. */
  directory: SureCloudDirectory;
  /** Queue a `user.deleted` job for each orphan (the worker makes it INACTIVE, groups kept). */
  deactivate?: { queue: Queue; attributes: Auth0Attributes; runId: string };
}

export async function findOrphans(check: OrphanCheck): Promise<Orphan[]> {
  const orphans: Orphan[] = [];
  const versions = makeUserVersions(check.redis, syncStatePrefix(check.queueName));
  for (const auth0UserId of await versions.syncedUsers(check.tenant.id)) {
    if (check.listed.has(auth0UserId)) continue;
    // Not listed may only mean it moved connection or the listing raced a change: ask Auth0 directly.
    if (await check.source.getUser(auth0UserId)) continue;
    const linked = await check.directory.findUser({ externalId: auth0UserId });
    if (linked?.status !== "ACTIVE") continue;
    const orphan: Orphan = {
      tenantId: check.tenant.id,
      auth0UserId,
      sureCloudUserId: linked.id,
      userName: linked.userName,
    };
    if (check.deactivate) orphan.deactivationJobId = await queueDeactivation(check, auth0UserId);
    orphans.push(orphan);
  }
  return orphans;
}

async function queueDeactivation(check: OrphanCheck, auth0UserId: string): Promise<string> {
  const { queue, attributes, runId } = check.deactivate as NonNullable<OrphanCheck["deactivate"]>;
  // The deleted user's own connection is gone with it; any of the tenant's routes the job there.
  const connection = check.tenant.connections[0] as string;
  const { job, jobId, deduplicationId } = orphanJobFor(auth0UserId, connection, attributes, runId);
  const added = await queue.add(job.event.type, job, {
    ...syncJobOptions,
    jobId,
    deduplication: { id: deduplicationId },
  });
  return added.id ?? jobId;
}
