// What the resync, plan and drift commands share beyond cli/commands/args.ts: picking tenants,
// read-only SureCloud runtimes, the Auth0 user source, the directive attribute, progress on stderr.

import { readAuth0Credentials } from "../../shared/auth0Credentials.js";
import { DEFAULT_DIRECTIVE_ATTRIBUTE, DEFAULT_ROLES_ATTRIBUTE } from "../../shared/eventToJob.js";
import type { Tenant, TenantsFile } from "../../shared/tenants.js";
import { makeManagementClient } from "../../worker/auth0/managementApi.js";
import { makeTenantRuntimes } from "../../worker/sync/tenantRuntime.js";
import type { Auth0Attributes } from "../../worker/sync/verify.js";
import { type Auth0UserSource, makeAuth0UserSource } from "../resync/auth0Users.js";
import type { PreviewDeps } from "../resync/preview.js";
import { makeProgress, type Progress, type ProgressSink } from "../resync/progress.js";
import { readOnlyRuntimes } from "../resync/readOnlyDirectory.js";
import { loadOptionalTenants, UsageError } from "./args.js";
import type { CliIo } from "./command.js";

/** The tenants a command was asked for: one by id, or all. Throws naming the unknown id. */
export function selectTenants(file: TenantsFile, tenantId: string | undefined): Tenant[] {
  if (!tenantId) return file.tenants;
  const tenant = file.tenants.find((candidate) => candidate.id === tenantId);
  if (!tenant) {
    const known = file.tenants.map((candidate) => candidate.id).join(", ");
    throw new UsageError(`--tenant: no tenant "${tenantId}" in the tenants file (known: ${known})`);
  }
  return [tenant];
}

/** The tenants file from --tenants or TENANTS_FILE; these commands cannot run without it. */
export async function requireTenants(
  values: { tenants?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<TenantsFile> {
  const file = await loadOptionalTenants(values, env);
  if (!file) throw new UsageError("pass --tenants <file> or set TENANTS_FILE");
  return file;
}

/** Read-only SureCloud access for the given tenants only, so other tenants' tokens are not needed. */
export function previewDepsFor(file: TenantsFile, tenants: Tenant[], env: NodeJS.ProcessEnv): PreviewDeps {
  return { tenants: file, runtimes: readOnlyRuntimes(makeTenantRuntimes({ tenants }, env)) };
}

/** Auth0 users through the Management API; rate-limit waits are told on stderr. */
export function auth0SourceFrom(io: CliIo): Auth0UserSource {
  const onWait = (ms: number) => io.err(`Auth0 rate limit: waiting ${Math.ceil(ms / 1000)} s`);
  return makeAuth0UserSource(makeManagementClient(readAuth0Credentials(io.env)), { onWait });
}

/** Where the Auth0 user holds the directive and the app roles: DIRECTIVE_ATTRIBUTE, ROLES_ATTRIBUTE, as the Action's secrets. */
export function auth0AttributesOf(env: NodeJS.ProcessEnv): Auth0Attributes {
  return {
    directiveAttribute: env.DIRECTIVE_ATTRIBUTE?.trim() || DEFAULT_DIRECTIVE_ATTRIBUTE,
    rolesAttribute: env.ROLES_ATTRIBUTE?.trim() || DEFAULT_ROLES_ATTRIBUTE,
  };
}

/** Progress on stderr: a bar on a terminal, else plain lines through the CLI's error stream. */
export function progressFor(io: CliIo): (tenant: Tenant) => Progress {
  const sink: ProgressSink = process.stderr.isTTY
    ? { isTTY: true, write: (text) => process.stderr.write(text) }
    : { isTTY: false, write: (text) => io.err(text.replace(/\n$/, "")) };
  return (tenant) => makeProgress(`${tenant.id}: users`, sink);
}
