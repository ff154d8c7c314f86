// What the worker holds for each tenant while it runs: the SureCloud client (behind its rate
// gate) and the group catalogue cache. Built once at start-up; a missing token stops start-up.
import { ConfigError } from "../../shared/errors.js";
import { type Tenant, type TenantsFile, tenantToken } from "../../shared/tenants.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";
import { makeSureCloudClient } from "../surecloud/httpClient.js";
import { makeRateGate } from "../surecloud/rateGate.js";
import { type GroupCatalogue, makeGroupCatalogue } from "./groupCatalogue.js";

export interface TenantRuntime {
  tenant: Tenant;
  directory: SureCloudDirectory;
  catalogue: GroupCatalogue;
}

export type SureCloudCallListener = Parameters<typeof makeSureCloudClient>[0]["onCall"];

export function makeTenantRuntimes(
  file: TenantsFile,
  env: NodeJS.ProcessEnv,
  onCall?: (tenantId: string) => SureCloudCallListener,
): Map<string, TenantRuntime> {
  const runtimes = new Map<string, TenantRuntime>();
  file.tenants.forEach((tenant, index) => {
    const token = tenantToken(tenant, env);
    if (!token) {
      throw new ConfigError(
        `tenants.${index}.surecloud.tokenEnv: environment variable ${tenant.surecloud.tokenEnv} (tenant "${tenant.id}") is not set`,
      );
    }
    const directory = makeSureCloudClient({
      baseUrl: tenant.surecloud.baseUrl,
      token,
      timeoutMs: tenant.surecloud.timeoutMs,
      gate: makeRateGate({ requestsPerSecond: tenant.surecloud.requestsPerSecond }),
      onCall: onCall?.(tenant.id),
    });
    runtimes.set(tenant.id, { tenant, directory, catalogue: makeGroupCatalogue(tenant, directory) });
  });
  return runtimes;
}
