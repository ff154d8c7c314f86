// The checks behind `surecloud-sync check-config`: the tenants file parses, each tenant's token is in
// the environment, each tenant's SureCloud answers, and SureCloud holds every catalogue group; and,
// when ACTION_REDIS_URL is set, how the Action reaches Redis; and whether each running worker runs
// the file on disk (its fingerprint). Runs the same client the worker uses, read-only (listGroups);
// no token or password reaches the report.

import type { Group } from "../../contract/surecloud.js";
import { ConfigError } from "../../shared/errors.js";
import { maskUrl } from "../../shared/redact.js";
import { loadTenantsFile, type Tenant, type TenantsFile, tenantToken } from "../../shared/tenants.js";
import { makeSureCloudClient } from "../../worker/surecloud/httpClient.js";
import { tenantsFingerprint } from "../../worker/tenantsFingerprint.js";
import { checkActionRedisUrl } from "./actionRedisCheck.js";
import type { CheckName, CheckStatus, ConfigCheck } from "./configCheck.js";
import { checkRunningWorkers, type WorkersSettings } from "./runningWorkers.js";

export interface ConfigReport {
  tenantsFile: string;
  /** The fingerprint of the file, as the worker computes it; absent when the file does not load. */
  fingerprint?: string;
  /** True only when no check failed. */
  ok: boolean;
  checks: ConfigCheck[];
}

export interface CheckConfigOptions {
  tenantsFile: string;
  env: NodeJS.ProcessEnv;
  /** Check only this tenant. */
  tenantId?: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** The queue whose running workers are compared with the file. Default: not compared. */
  workers?: WorkersSettings;
  /** No call to SureCloud: its two checks are skipped. Default false. */
  offline?: boolean;
}

export async function checkConfig(options: CheckConfigOptions): Promise<ConfigReport> {
  const fileCheck = (status: CheckStatus, detail: string): ConfigCheck => ({
    tenant: null,
    check: "tenants-file",
    status,
    detail,
  });
  const actionRedis = checkActionRedisUrl(options.env);
  let file: TenantsFile;
  try {
    file = await loadTenantsFile(options.tenantsFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return report(options.tenantsFile, [fileCheck("fail", error.message), ...actionRedis]);
  }
  const fingerprint = tenantsFingerprint(file);
  const tenants = file.tenants.filter((tenant) => !options.tenantId || tenant.id === options.tenantId);
  if (tenants.length === 0) {
    return report(options.tenantsFile, [fileCheck("fail", `no tenant "${options.tenantId}" in the file`)]);
  }
  const ids = file.tenants.map((tenant) => tenant.id).join(", ");
  const checks = [fileCheck("ok", `${file.tenants.length} tenant(s): ${ids}`), ...actionRedis];
  // Tenants are independent: check them at once, so one slow SureCloud does not hold up the rest.
  const [running, ...perTenant] = await Promise.all([
    options.workers ? checkRunningWorkers(options.workers, fingerprint) : [],
    ...tenants.map((tenant) => checkTenant(tenant, options)),
  ]);
  return report(options.tenantsFile, [...checks, ...perTenant.flat(), ...running], fingerprint);
}

function report(tenantsFile: string, checks: ConfigCheck[], fingerprint?: string): ConfigReport {
  const ok = checks.every((check) => check.status !== "fail");
  return { tenantsFile, ...(fingerprint ? { fingerprint } : {}), ok, checks };
}

async function checkTenant(tenant: Tenant, options: CheckConfigOptions): Promise<ConfigCheck[]> {
  const row = (check: CheckName, status: CheckStatus, detail: string): ConfigCheck => ({
    tenant: tenant.id,
    check,
    status,
    detail,
  });
  const tokenEnv = tenant.surecloud.tokenEnv;
  const token = tenantToken(tenant, options.env);
  if (!token) {
    return [
      row("token", "fail", `environment variable ${tokenEnv} is not set`),
      row("surecloud", "skipped", "no token to call SureCloud with"),
      row("catalogue", "skipped", "SureCloud was not asked"),
    ];
  }
  if (options.offline) {
    return [
      row("token", "ok", `${tokenEnv} is set`),
      row("surecloud", "skipped", "--offline: SureCloud was not asked"),
      row("catalogue", "skipped", "--offline: SureCloud was not asked"),
    ];
  }
  const baseUrl = maskUrl(tenant.surecloud.baseUrl);
  const client = makeSureCloudClient({
    baseUrl: tenant.surecloud.baseUrl,
    token,
    timeoutMs: tenant.surecloud.timeoutMs,
    fetch: options.fetch,
  });
  const started = performance.now();
  let groups: Group[];
  try {
    groups = await client.listGroups();
  } catch (error) {
    return [
      row("token", "ok", `${tokenEnv} is set`),
      row("surecloud", "fail", `${baseUrl}: ${(error as Error).message}`),
      row("catalogue", "skipped", "SureCloud did not answer"),
    ];
  }
  const ms = Math.round(performance.now() - started);
  return [
    row("token", "ok", `${tokenEnv} is set`),
    row("surecloud", "ok", `${baseUrl} answered listGroups in ${ms} ms: ${groups.length} group(s)`),
    ...compareCatalogue(tenant, groups),
  ];
}

/** The catalogue against SureCloud's groups: missing ones fail; renamed and extra ones are info. */
export function compareCatalogue(tenant: Tenant, groups: Group[]): ConfigCheck[] {
  const inSureCloud = new Map(groups.map((group) => [group.id.toLowerCase(), group]));
  const listed = new Set(tenant.groups.map((group) => group.groupId));
  const missing = tenant.groups.filter((group) => !inSureCloud.has(group.groupId));
  const renamed = tenant.groups.filter((group) => {
    const other = inSureCloud.get(group.groupId);
    return other !== undefined && other.name !== group.name;
  });
  const extra = groups
    .filter((group) => !listed.has(group.id.toLowerCase()))
    .map((group) => ({ groupId: group.id.toLowerCase(), name: group.name }));
  const found = (status: CheckStatus, detail: string, list: Array<{ groupId: string; name: string }>) => ({
    tenant: tenant.id,
    check: "catalogue" as const,
    status,
    detail,
    groups: list.map(({ groupId, name }) => ({ groupId, name })),
  });

  const checks: ConfigCheck[] = [];
  if (missing.length > 0) {
    checks.push(
      found(
        "fail",
        `${missing.length} of ${tenant.groups.length} catalogue group(s) not in SureCloud (jobs naming them fail with unknown-group): ${listGroups(missing)}`,
        missing,
      ),
    );
  } else {
    checks.push(found("ok", `all ${tenant.groups.length} catalogue group(s) exist in SureCloud`, []));
  }
  if (renamed.length > 0) {
    const names = renamed.map(
      (group) => `${group.groupId} "${group.name}" is "${inSureCloud.get(group.groupId)?.name}"`,
    );
    checks.push(found("info", `named differently in SureCloud: ${names.join(", ")}`, renamed));
  }
  if (extra.length > 0) {
    checks.push(
      found(
        "info",
        `${extra.length} SureCloud group(s) not in the catalogue (directives cannot grant them): ${listGroups(extra)}`,
        extra,
      ),
    );
  }
  return checks;
}

function listGroups(groups: Array<{ groupId: string; name: string }>): string {
  return groups.map((group) => `${group.groupId} (${group.name})`).join(", ");
}
