// Rule 1, route: the tenant of a job is the tenants-file entry that lists the user's connection, and
// its runtime is what the worker holds for that tenant. Every caller routes here — the worker's
// processor, its metrics labels, and the toolbox's plan and dry run — so a plan cannot disagree
// with a run about where a user belongs.
import { PermanentError } from "../../shared/errors.js";
import { type Tenant, type TenantsFile, tenantForConnection } from "../../shared/tenants.js";
import type { TenantRuntime } from "./tenantRuntime.js";

/**
 * The tenants file and the runtimes built from it. In the worker both are read from the live holder
 * (tenantsReload.ts), which a reload swaps together.
 */
export interface Routing {
  tenants: TenantsFile;
  runtimes: Map<string, TenantRuntime>;
}

export interface Route {
  tenant: Tenant;
  runtime: TenantRuntime;
}

/**
 * The job's tenant and runtime; undefined when no tenant lists the connection (skipped,
 * `unknown-connection`). A listed tenant without a runtime is a misconfiguration no retry can fix.
 */
export function routeConnection(routing: Routing, connection: string): Route | undefined {
  // Both read at once, with no await between: no reload can swap them in between, so the job gets
  // a tenant and a runtime of one file, and keeps them to its end whatever is reloaded meanwhile.
  const { tenants, runtimes } = routing;
  const tenant = tenantForConnection(tenants, connection);
  if (!tenant) return undefined;
  const runtime = runtimes.get(tenant.id);
  if (!runtime) {
    throw new PermanentError("tenant-misconfigured", `Tenant "${tenant.id}" has no SureCloud client`);
  }
  return { tenant, runtime };
}

/**
 * The tenant label of raw job data, for metrics and logs before the job is parsed: the tenant's id,
 * `none` for a connection no tenant lists, `unknown` when the data names no connection.
 */
export function tenantLabel(tenants: TenantsFile, data: unknown): string {
  const connection = (data as { connection?: unknown } | null)?.connection;
  if (typeof connection !== "string") return "unknown";
  return tenantForConnection(tenants, connection)?.id ?? "none";
}
