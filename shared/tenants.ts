// The tenants file: which Auth0 connections belong to which SureCloud tenant, how to reach that
// tenant's API, and the group catalogue SureCloud gave it. YAML or JSON; tokens stay in the environment.
// One entry is one SureCloud (DESIGN rule 1): a customer with two Entra directories lists both
// connections in one entry, so no two entries may share a connection or a SureCloud.
import { z } from "zod";
import { loadConfigFile, parseConfigText } from "./configFile.js";
import { missingDirectivePolicySchema } from "./directive.js";
import { roleMatches } from "./entraRoles.js";
import { maskUrl } from "./redact.js";
import { reportRepeats } from "./repeats.js";
import type { RoleTable } from "./roleDirective.js";
import { loadRoleTables } from "./roleMapping.js";

export const catalogueGroupSchema = z.strictObject({
  groupId: z.uuid({ error: "must be a UUID" }).transform((id) => id.toLowerCase()),
  name: z.string().min(1),
  description: z.string().optional(),
});
export type CatalogueGroup = z.infer<typeof catalogueGroupSchema>;

const roleSourceSchema = z
  .strictObject({
    /** The role mapping file (as the expression tool reads it), relative to the tenants file. */
    mapping: z.string().min(1, "must name the role mapping file"),
    /** Which field of each role Entra sends is its name in the mapping: `value` (default) or `displayName`. */
    matchBy: z.enum(roleMatches).default("value"),
  })
  // Filled in by loadTenantsFile, never by the file: the mapping resolved against the catalogue.
  .transform((roles) => ({ ...roles, table: undefined as RoleTable | undefined }));

const tenantFieldsSchema = z
  .object({
    /** Short stable id, used in logs, metrics and Redis keys. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes"),
    /**
     * The Auth0 connection names whose users belong to this tenant. The file says `connections: [x, y]`
     * or, for one, `connection: x`; either reads as this list.
     */
    connections: z
      .array(z.string().min(1, "must be a connection name, not empty"), {
        error: (issue) =>
          issue.input === undefined
            ? "is required: connection: <name>, or connections: [<name>, …]"
            : undefined,
      })
      .min(1, "must list at least one connection"),
    surecloud: z.strictObject({
      /** Base URL of the tenant's SureCloud API, up to and including `/api/v1`. */
      baseUrl: z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
        .transform((u) => u.replace(/\/+$/, "")),
      /** Name of the environment variable that holds the API token. */
      tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name"),
      /** Per-request timeout in milliseconds. Default 10000. */
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      /** Most requests per second to the tenant from all worker processes together. Default 20. */
      requestsPerSecond: z.number().positive().max(1000).default(20),
    }),
    /** The catalogue: the only groups a directive may name. */
    groups: z.array(catalogueGroupSchema).min(1, "must list at least one group"),
    /** What to do when a user carries no directive at all. Default `ignore` (keep memberships). */
    missingDirective: z._default(missingDirectivePolicySchema, "ignore"),
    /**
     * Treat each job as a claim and apply the user's current state read from the Auth0 Management
     * API (one call per job; the worker needs AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET
     * with read:users). Default false.
     */
    verifyWithAuth0: z.boolean().default(false),
    /**
     * Where each user's group directive comes from: `userType` (SCIM userType, one value Entra
     * computed) or `roles` (the user's Entra app roles through the role mapping in `roles`: the union
     * of every mapped role's groups). Default `userType`.
     */
    directiveSource: z.enum(["userType", "roles"]).default("userType"),
    /** The role mapping; required with `directiveSource: roles`, and allowed before, to preview the switch. */
    roles: roleSourceSchema.optional(),
  })
  // Unknown keys are refused (a misspelt optional key would silently take its default).
  .strict()
  .superRefine((tenant, ctx) => {
    reportRepeats(
      ctx,
      tenant.groups.map((group) => group.groupId),
      (index) => ["groups", index, "groupId"],
    );
    if (tenant.directiveSource === "roles" && !tenant.roles) {
      ctx.addIssue({
        code: "custom",
        path: ["roles"],
        message:
          "is required with directiveSource: roles: roles: { mapping: <file>, matchBy: value | displayName }",
      });
    }
  });

export const tenantSchema = z.preprocess(oneConnectionList, tenantFieldsSchema);
export type Tenant = z.infer<typeof tenantSchema>;

export const tenantsFileSchema = z
  .strictObject({ tenants: z.array(tenantSchema).min(1, "must list at least one tenant") })
  .superRefine((file, ctx) => {
    const { tenants } = file;
    reportRepeats(
      ctx,
      tenants.map((tenant) => tenant.id),
      (index) => ["tenants", index, "id"],
    );
    // A connection in two entries would route by file order; two entries on one SureCloud would
    // sync its users against two catalogues and policies. Both name the entries at fault.
    const named = tenants.flatMap((tenant, at) =>
      tenant.connections.map((name, index) => ({ name, at, path: ["tenants", at, "connections", index] })),
    );
    reportRepeats(
      ctx,
      named.map(({ name }) => name),
      (entry) => named[entry]?.path ?? [],
      (name) => name.toLowerCase(),
      (name, entry, first) =>
        `connection "${name}" is listed by ${bothTenants(tenants, named[first]?.at, named[entry]?.at)}`,
    );
    reportRepeats(
      ctx,
      tenants.map((tenant) => tenant.surecloud.baseUrl),
      (index) => ["tenants", index, "surecloud", "baseUrl"],
      sureCloudKey,
      (baseUrl, index, first) =>
        `${bothTenants(tenants, first, index)} share the SureCloud at ${maskUrl(baseUrl)}; one entry per SureCloud (list several connections in it)`,
    );
  });
export type TenantsFile = z.infer<typeof tenantsFileSchema>;

/** `connection: x` is short for `connections: [x]`; giving both is refused rather than merged. */
function oneConnectionList(input: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof input !== "object" || input === null || !("connection" in input)) return input;
  const { connection, ...rest } = input as Record<string, unknown>;
  if ("connections" in rest) {
    ctx.addIssue({
      code: "custom",
      path: ["connection"],
      message: "give connection or connections, not both",
    });
    return input;
  }
  return { ...rest, connections: [connection] };
}

/** What makes two base URLs one SureCloud: scheme and host in lower case, no trailing slash. */
function sureCloudKey(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}${url.search}`;
  } catch {
    return baseUrl;
  }
}

function bothTenants(tenants: ReadonlyArray<{ id: string }>, first = 0, second = 0): string {
  const ids = [tenants[first]?.id, tenants[second]?.id];
  return ids[0] === ids[1] ? `tenant "${ids[0]}" twice` : `tenants "${ids[0]}" and "${ids[1]}"`;
}

/** Parses tenants-file text (YAML is a superset of JSON). Throws ConfigError naming the bad field. */
export function parseTenantsFile(text: string, origin = "tenants file"): TenantsFile {
  return parseConfigText(tenantsFileSchema, text, origin, { entries: tenantEntries });
}

/** Reads the tenants file and each role mapping it names (resolved against the tenant's catalogue). */
export async function loadTenantsFile(path: string): Promise<TenantsFile> {
  const file = await loadConfigFile(tenantsFileSchema, path, {
    setting: "TENANTS_FILE",
    entries: tenantEntries,
  });
  return loadRoleTables(file, path);
}

/** Messages name a tenant by its id: `tenant "globex": surecloud.timeoutMs: …`. */
const tenantEntries = { list: "tenants", noun: "tenant", idKey: "id" };

/** Finds the tenant that lists an Auth0 connection name. */
export function tenantForConnection(file: TenantsFile, connection: string): Tenant | undefined {
  return file.tenants.find((tenant) => tenant.connections.includes(connection));
}

/** Reads a tenant's SureCloud token from the environment. */
export function tenantToken(tenant: Tenant, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env[tenant.surecloud.tokenEnv];
  return token && token.trim() !== "" ? token : undefined;
}
