// The tenants a local stack runs (dev/localStack.ts): the built-in test tenants, or those of any
// tenants file; for each, what the emulator serves, the entry the workers' tenants file holds, and
// the token variable the workers get.
import { parse as parseYaml } from "yaml";
import { readConfigText } from "../shared/configFile.js";
import { roleMappingPath } from "../shared/roleMapping.js";
import { loadTenantsFile } from "../shared/tenants.js";
import { catalogue, sureCloudGroups } from "./catalogue.js";
import { catalogueGroupsOf } from "./surecloud-emulator/cli.js";
import type { TenantOption } from "./surecloud-emulator/core.js";
import type { Emulator } from "./surecloud-emulator/server.js";

export interface LocalTenant {
  id: string;
  connection: string;
  missingDirective?: "ignore" | "clear";
  /** The tenants file's surecloud.requestsPerSecond. Default 1000. */
  requestsPerSecond?: number;
  /** The tenants file's surecloud.timeoutMs. Default: the file's default. */
  timeoutMs?: number;
  /** Take the directive from app roles (`directiveSource: roles`) through this role mapping file's text. */
  roles?: { mappingYaml: string; matchBy?: "value" | "displayName" };
}

export const defaultTenants: LocalTenant[] = [
  { id: "acme", connection: "acme-entra" },
  { id: "beta", connection: "beta-entra", missingDirective: "clear" },
];

export function tokenOf(tenantId: string): string {
  return `sc-test-token-${tenantId}-7f6e5d4c3b2a`;
}

export function tokenEnvOf(tenantId: string): string {
  return `SURECLOUD_TOKEN_${tenantId.toUpperCase()}`;
}

/** What the stack runs for its tenants: the emulator's, the workers' file entries, their tokens. */
export interface StackTenants {
  emulatorTenants: TenantOption[];
  entries(emulator: Emulator): unknown[];
  /** Token variable name → token, for the workers' environment. */
  tokens: Record<string, string>;
  /** Files written beside the tenants file (role mappings), by name. */
  files?: Record<string, string>;
}

export function builtInTenants(tenants: LocalTenant[]): StackTenants {
  return {
    emulatorTenants: tenants.map((tenant) => ({
      id: tenant.id,
      token: tokenOf(tenant.id),
      groups: [...sureCloudGroups],
    })),
    entries: (emulator) => tenants.map((tenant) => tenantEntry(tenant, emulator)),
    tokens: Object.fromEntries(tenants.map((tenant) => [tokenEnvOf(tenant.id), tokenOf(tenant.id)])),
    files: Object.fromEntries(
      tenants.flatMap((tenant) => (tenant.roles ? [[rolesFileOf(tenant.id), tenant.roles.mappingYaml]] : [])),
    ),
  };
}

function rolesFileOf(tenantId: string): string {
  return `${tenantId}-roles.yaml`;
}

/**
 * The tenants of any tenants file (validated as the worker validates it). Its entries are kept as
 * written, so every setting reaches the worker, with only the SureCloud base URL pointed at the
 * emulator and Auth0 verification off.
 */
export async function fromTenantsFile(path: string): Promise<StackTenants> {
  const file = await loadTenantsFile(path);
  const raw = parseYaml(await readConfigText(path)) as { tenants: Array<Record<string, unknown>> };
  return {
    emulatorTenants: file.tenants.map((tenant) => ({
      id: tenant.id,
      token: tokenOf(tenant.id),
      groups: catalogueGroupsOf(tenant),
    })),
    entries: (emulator) =>
      raw.tenants.map((entry, index) => {
        const id = file.tenants[index]?.id ?? "";
        const surecloud = {
          ...(entry.surecloud as Record<string, unknown>),
          baseUrl: emulator.baseUrlFor(id),
        };
        // The copy lives elsewhere: a role mapping named relative to the original must stay found.
        const roles = file.tenants[index]?.roles;
        const mapping = roles
          ? { roles: { ...(entry.roles as object), mapping: roleMappingPath(path, roles.mapping) } }
          : {};
        return {
          ...entry,
          surecloud,
          ...mapping,
          ...("verifyWithAuth0" in entry ? { verifyWithAuth0: false } : {}),
        };
      }),
    tokens: Object.fromEntries(file.tenants.map((tenant) => [tenant.surecloud.tokenEnv, tokenOf(tenant.id)])),
  };
}

function tenantEntry(tenant: LocalTenant, emulator: Emulator) {
  return {
    id: tenant.id,
    connection: tenant.connection,
    surecloud: {
      baseUrl: emulator.baseUrlFor(tenant.id),
      tokenEnv: tokenEnvOf(tenant.id),
      requestsPerSecond: tenant.requestsPerSecond ?? 1000,
      ...(tenant.timeoutMs === undefined ? {} : { timeoutMs: tenant.timeoutMs }),
    },
    groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
    missingDirective: tenant.missingDirective ?? "ignore",
    ...(tenant.roles
      ? {
          directiveSource: "roles",
          roles: { mapping: rolesFileOf(tenant.id), matchBy: tenant.roles.matchBy ?? "displayName" },
        }
      : {}),
  };
}
