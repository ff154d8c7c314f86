// What the sync-core unit tests share: a tenant from the test catalogue, jobs built from Auth0
// events exactly as the Action builds them, and one job planned and applied on a memory directory.
import { catalogue, sureCloudGroups } from "../../../dev/catalogue.js";
import type { MissingDirectivePolicy } from "../../../shared/directive.js";
import { eventToJob } from "../../../shared/eventToJob.js";
import type { SyncJob } from "../../../shared/job.js";
import { type Tenant, tenantSchema } from "../../../shared/tenants.js";
import { applyPlan } from "../../../worker/sync/apply.js";
import { type GroupCatalogue, makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { type PlanResult, planSync } from "../../../worker/sync/plan.js";
import { makeUserEvent, newEventId, type UserEventOptions } from "../../fixtures/auth0Events.js";
import { type MemoryDirectory, makeMemoryDirectory } from "../../helpers/memoryDirectory.js";

export function makeTenant(
  options: { id?: string; connection?: string; missingDirective?: MissingDirectivePolicy } = {},
): Tenant {
  const id = options.id ?? "acme";
  return tenantSchema.parse({
    id,
    connection: options.connection ?? `${id}-entra`,
    surecloud: { baseUrl: `https://${id}.surecloud.example/api/v1`, tokenEnv: "SURECLOUD_TOKEN_TEST" },
    groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
    ...(options.missingDirective ? { missingDirective: options.missingDirective } : {}),
  });
}

let clock = Date.parse("2026-11-01T09:00:00.000Z");

/** A strictly later time on every call, so ordering never depends on the wall clock. */
export function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

/** The job the Action would enqueue for this Auth0 event; defaults to a fresh event id and time. */
export function jobOf(options: UserEventOptions = {}): SyncJob {
  const time = options.time ?? nextTime();
  const mapping = eventToJob(makeUserEvent({ id: newEventId(), time, updatedAt: time, ...options }));
  if (mapping.kind !== "job") throw new Error(`the test event was rejected: ${mapping.reason}`);
  return mapping.job;
}

/** The Auth0 side of a user whose userName and email are `<name>@acme.example`. */
export function auth0User(name: string): UserEventOptions {
  return {
    userId: `samlp|acme-entra|${name}`,
    userName: `${name}@acme.example`,
    email: `${name}@acme.example`,
  };
}

/** The same user, already linked in SureCloud with the same profile, and these memberships. */
export function seedLinked(
  directory: MemoryDirectory,
  name: string,
  seed: { groupIds?: string[]; status?: "ACTIVE" | "INACTIVE"; givenName?: string | null } = {},
) {
  const { userId, userName, email } = auth0User(name) as Required<UserEventOptions>;
  // The profile makeUserEvent gives every Auth0 user unless told otherwise.
  const profile = { givenName: "Ada", familyName: "Lovelace", displayName: "Ada Lovelace" };
  return directory.seedUser({ externalId: userId, userName, email, ...profile, ...seed });
}

export interface SyncCore {
  tenant: Tenant;
  directory: MemoryDirectory;
  catalogue: GroupCatalogue;
  /** Plans the job and, unless it is skipped, applies the plan. Rejects as planSync does. */
  run(job: SyncJob): Promise<PlanResult>;
}

/** A memory SureCloud holding the test groups (one outside the catalogue; the retired one gone). */
export function makeSyncCore(tenant: Tenant = makeTenant()): SyncCore {
  const directory = makeMemoryDirectory(sureCloudGroups);
  const catalogueCache = makeGroupCatalogue(tenant, directory);
  return {
    tenant,
    directory,
    catalogue: catalogueCache,
    async run(job) {
      const result = await planSync(job, tenant, directory, catalogueCache);
      if (result.kind === "plan") {
        // Only the user id is asserted on: the rest of applyPlan's answer is the recorder's business.
        const { sureCloudUserId } = await applyPlan(result.plan, directory);
        if (!sureCloudUserId || !directory.user({ id: sureCloudUserId })) {
          throw new Error(`applyPlan named a user SureCloud does not hold: ${sureCloudUserId}`);
        }
      }
      return result;
    },
  };
}

/** Membership ids of a user, sorted, for comparisons that ignore order. */
export function groupIds(user: { groups: Array<{ id: string }> } | undefined): string[] {
  return (user?.groups ?? []).map((group) => group.id).sort();
}

export const ids = (...groups: Array<{ id: string }>) => groups.map((group) => group.id).sort();
