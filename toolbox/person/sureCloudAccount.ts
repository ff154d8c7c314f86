// One person's SureCloud account in one tenant, read through the worker's SureCloud adapter with
// the tenant's token (read-only): found by Auth0 user id (externalId), by the link the worker
// remembers, else by email or userName; its groups named from the tenant's catalogue.

import type { SureCloudUser } from "../../contract/surecloud.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import type { Tenant } from "../../shared/tenants.js";
import { syncStatePrefix } from "../../worker/redisKeys.js";
import type { SureCloudDirectory } from "../../worker/surecloud/directory.js";
import { makeUserVersions } from "../../worker/sync/userVersions.js";

export interface AccountGroup {
  id: string;
  /** The catalogue's name, else SureCloud's. */
  name: string;
  /** False for a group outside the tenant's catalogue: a directive cannot grant it, only remove it. */
  inCatalogue: boolean;
}

export interface SureCloudAccount {
  tenantId: string;
  user: SureCloudUser;
  /** How it was found: `externalId`, `remembered link`, `email` or `userName`. */
  foundBy: string;
  groups: AccountGroup[];
}

export interface AccountLookup {
  tenant: Tenant;
  directory: SureCloudDirectory;
  redis: RedisClient;
  queueName: string;
}

/** The account for the first key that finds one; undefined when none does. */
export async function findAccount(
  lookup: AccountLookup,
  auth0UserIds: string[],
  text: string,
): Promise<SureCloudAccount | undefined> {
  const { tenant, directory } = lookup;
  const found = await firstFound(lookup, auth0UserIds, text);
  if (!found) return undefined;
  const names = new Map(tenant.groups.map((group) => [group.groupId, group.name]));
  const groups = (await directory.listUserGroups(found.user.id)).map((group) => ({
    id: group.id,
    name: names.get(group.id.toLowerCase()) ?? group.name,
    inCatalogue: names.has(group.id.toLowerCase()),
  }));
  return { tenantId: tenant.id, user: found.user, foundBy: found.by, groups };
}

async function firstFound(
  lookup: AccountLookup,
  auth0UserIds: string[],
  text: string,
): Promise<{ user: SureCloudUser; by: string } | undefined> {
  const { directory } = lookup;
  for (const externalId of auth0UserIds) {
    const user = await directory.findUser({ externalId });
    if (user) return { user, by: "externalId" };
    const remembered = await rememberedLink(lookup, externalId);
    const linked = remembered ? await directory.getUser(remembered) : undefined;
    if (linked) return { user: linked, by: "remembered link" };
  }
  if (text.includes("|")) return undefined;
  const byEmail = text.includes("@") ? await directory.findUser({ email: text }) : undefined;
  if (byEmail) return { user: byEmail, by: "email" };
  const byUserName = await directory.findUser({ userName: text });
  return byUserName ? { user: byUserName, by: "userName" } : undefined;
}

/** The SureCloud user the worker last linked the Auth0 user to (worker/sync/userVersions.ts). */
async function rememberedLink(lookup: AccountLookup, auth0UserId: string): Promise<string | undefined> {
  const versions = makeUserVersions(lookup.redis, syncStatePrefix(lookup.queueName));
  // check() only reads: the epoch version and an empty event id never match, nothing is written.
  const { remembered } = await versions.check(lookup.tenant.id, auth0UserId, new Date(0).toISOString(), "");
  return remembered?.sureCloudUserId;
}
