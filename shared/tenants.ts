// The tenants file: which Auth0 connection belongs to which SureCloud tenant, how to reach that
// tenant's API, and the group catalogue SureCloud gave it. YAML or JSON; tokens stay in the environment.
import { z } from "zod";
import { loadConfigFile, parseConfigText } from "./configFile.js";
import { missingDirectivePolicySchema } from "./directive.js";
import { reportRepeats } from "./repeats.js";

export const catalogueGroupSchema = z.object({
  groupId: z.uuid({ error: "must be a UUID" }).transform((id) => id.toLowerCase()),
  name: z.string().min(1),
  description: z.string().optional(),
});
export type CatalogueGroup = z.infer<typeof catalogueGroupSchema>;

export const tenantSchema = z
  .object({
    /** Short stable id, used in logs, metrics and Redis keys. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes"),
    /** The Auth0 connection name whose users belong to this tenant. */
    connection: z.string().min(1),
    surecloud: z.object({
      /** Base URL of the tenant's SureCloud API, up to and including `/api/v1`. */
      baseUrl: z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        .transform((u) => u.replace(/\/+$/, "")),
      /** Name of the environment variable that holds the API token. */
      tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name"),
      /** Per-request timeout in milliseconds. Default 10000. */
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      /** Most requests per second this worker sends to the tenant. Default 20. */
      requestsPerSecond: z.number().positive().max(1000).default(20),
    }),
    /** The catalogue: the only groups a directive may name. */
    groups: z.array(catalogueGroupSchema).min(1, "must list at least one group"),
    /** What to do when a user carries no directive at all. Default `ignore` (keep memberships). */
    missingDirective: z._default(missingDirectivePolicySchema, "ignore"),
  })
  .superRefine((tenant, ctx) => {
    reportRepeats(
      ctx,
      tenant.groups.map((group) => group.groupId),
      (index) => ["groups", index, "groupId"],
    );
  });
export type Tenant = z.infer<typeof tenantSchema>;

export const tenantsFileSchema = z
  .object({ tenants: z.array(tenantSchema).min(1, "must list at least one tenant") })
  .superRefine((file, ctx) => {
    for (const key of ["id", "connection"] as const) {
      reportRepeats(
        ctx,
        file.tenants.map((tenant) => tenant[key]),
        (index) => ["tenants", index, key],
      );
    }
  });
export type TenantsFile = z.infer<typeof tenantsFileSchema>;

/** Parses tenants-file text (YAML is a superset of JSON). Throws ConfigError naming the bad field. */
export function parseTenantsFile(text: string, origin = "tenants file"): TenantsFile {
  return parseConfigText(tenantsFileSchema, text, origin);
}

export async function loadTenantsFile(path: string): Promise<TenantsFile> {
  return loadConfigFile(tenantsFileSchema, path, { setting: "TENANTS_FILE" });
}

/** Finds the tenant for an Auth0 connection name. */
export function tenantForConnection(file: TenantsFile, connection: string): Tenant | undefined {
  return file.tenants.find((tenant) => tenant.connection === connection);
}

/** Reads a tenant's SureCloud token from the environment. */
export function tenantToken(tenant: Tenant, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env[tenant.surecloud.tokenEnv];
  return token && token.trim() !== "" ? token : undefined;
}
