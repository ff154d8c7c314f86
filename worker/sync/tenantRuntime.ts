// What the worker holds for each tenant while it runs: the SureCloud client (behind its rate
// gate) and the group catalogue cache. Built at start-up and again for each reload of the tenants
// file; a missing token stops start-up, or rejects the reloaded file (the running one stays).

import { ConfigError } from "../../shared/errors.js";
import type { Logger } from "../../shared/logger.js";
import type { RedisClient } from "../../shared/redisConnection.js";
import { type Tenant, type TenantsFile, tenantToken } from "../../shared/tenants.js";
import { syncStatePrefix } from "../redisKeys.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import { makeSureCloudClient } from "../surecloud/httpClient.js";
import { makeRateGate, type RateGate } from "../surecloud/rateGate.js";
import { makeSharedRateGate } from "../surecloud/sharedRateGate.js";
import { type GroupCatalogue, makeGroupCatalogue } from "./groupCatalogue.js";

export interface TenantRuntime {
  tenant: Tenant;
  directory: SureCloudDirectory;
  catalogue: GroupCatalogue;
}

export type SureCloudCallListener = Parameters<typeof makeSureCloudClient>[0]["onCall"];

/** Where the worker's processes share each tenant's rate limit: its Redis and queue. */
export interface SharedRateLimit {
  redis: RedisClient;
  queueName: string;
  logger: Logger;
}

/**
 * With `shared` (the worker), each tenant's limit holds for every worker process together. Without
 * it (the toolbox's read-only plan and drift), for this process only: an operator's run adds up to
 * one more `requestsPerSecond` of reads to the tenant while it lasts.
 */
export function makeTenantRuntimes(
  file: TenantsFile,
  env: NodeJS.ProcessEnv,
  onCall?: (tenantId: string) => SureCloudCallListener,
  shared?: SharedRateLimit,
): Map<string, TenantRuntime> {
  const gateFor = (tenant: Tenant): RateGate => {
    const { requestsPerSecond } = tenant.surecloud;
    if (!shared) return makeRateGate({ requestsPerSecond });
    const { redis, queueName, logger } = shared;
    return makeSharedRateGate({
      redis,
      prefix: syncStatePrefix(queueName),
      tenantId: tenant.id,
      requestsPerSecond,
      logger,
    });
  };
  const runtimes = new Map<string, TenantRuntime>();
  file.tenants.forEach((tenant) => {
    const token = tenantToken(tenant, env);
    if (!token) {
      throw new ConfigError(
        `tenant "${tenant.id}": surecloud.tokenEnv: environment variable ${tenant.surecloud.tokenEnv} is not set`,
      );
    }
    const directory = makeSureCloudClient({
      baseUrl: tenant.surecloud.baseUrl,
      token,
      timeoutMs: tenant.surecloud.timeoutMs,
      gate: gateFor(tenant),
      onCall: onCall?.(tenant.id),
      tenantId: tenant.id,
    });
    runtimes.set(tenant.id, { tenant, directory, catalogue: makeGroupCatalogue(tenant, directory) });
  });
  return runtimes;
}
