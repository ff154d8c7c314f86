// check-config's look at the Redis the Action is given. The tenant deploy fills the Action's Redis
// secrets from ACTION_REDIS_URL, or ACTION_REDIS_CLUSTER_NODES / ACTION_REDIS_SENTINELS and their
// companions (tenant-config/tools/actionSecrets.ts), and Auth0 reaches that Redis across the
// internet: without TLS the Action's password and every job cross it unencrypted.
import { BlockList, isIP } from "node:net";
import { maskUrl } from "../../shared/redact.js";
import {
  describeRedis,
  type HostPort,
  readRedisSettings,
  redisSettingNames,
} from "../../shared/redisSettings.js";
import { redisUrlProblem } from "../../shared/redisUrl.js";
import type { ConfigCheck } from "./configCheck.js";

/** The deploy's environment variable for the Action's REDIS_URL secret. */
export const ACTION_REDIS_URL_ENV = "ACTION_REDIS_URL";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The `action-redis` row: none when no ACTION_REDIS_* form is set, since there is nothing to check. */
export function checkActionRedisUrl(env: NodeJS.ProcessEnv): ConfigCheck[] {
  if (env.ACTION_REDIS_CLUSTER_NODES?.trim() || env.ACTION_REDIS_SENTINELS?.trim()) {
    return checkActionRedisNodes(env);
  }
  const url = env[ACTION_REDIS_URL_ENV]?.trim();
  if (!url) return [];
  const row = (status: ConfigCheck["status"], detail: string): ConfigCheck[] => [
    { tenant: null, check: "action-redis", status, detail: `${ACTION_REDIS_URL_ENV} ${detail}` },
  ];
  const problem = redisUrlProblem(url);
  if (problem) {
    return row("fail", `${problem}; the Action would refuse every event as misconfigured`);
  }
  const parsed = new URL(url);
  const shown = maskUrl(url);
  if (parsed.protocol === "rediss:") return row("ok", `${shown} uses TLS`);
  if (isLoopback(parsed.hostname)) return row("ok", `${shown} is plain redis:// on this machine only`);
  return row(
    "warn",
    `${shown} is plain redis:// to a host that is not loopback: the Action's Redis password and ` +
      "every job cross the network unencrypted; use rediss:// (TLS)",
  );
}

/** A cluster's seed nodes or a sentinel group, read as the Action reads its secrets. */
function checkActionRedisNodes(env: NodeJS.ProcessEnv): ConfigCheck[] {
  const row = (status: ConfigCheck["status"], detail: string): ConfigCheck[] => [
    { tenant: null, check: "action-redis", status, detail },
  ];
  const secrets = Object.fromEntries(redisSettingNames.map((name) => [name, env[`ACTION_${name}`]]));
  const read = readRedisSettings(secrets);
  if (!read.success) {
    const problems = read.issues.map((issue) => `ACTION_${issue.path[0]}: ${issue.message}`).join("; ");
    return row("fail", `${problems}; the Action would refuse every event as misconfigured`);
  }
  const { settings } = read;
  if (settings.mode === "node") return [];
  const shown = describeRedis(settings);
  if (settings.tls) return row("ok", `${shown} uses TLS`);
  const hosts: HostPort[] = settings.mode === "cluster" ? settings.nodes : settings.sentinels;
  if (hosts.every((node) => isLoopback(node.host)))
    return row("ok", `${shown} is plain, on this machine only`);
  return row(
    "warn",
    `${shown} is reached without TLS from Auth0: the Action's Redis password and every job cross the ` +
      "network unencrypted; set ACTION_REDIS_TLS=true",
  );
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const family = isIP(host);
  return family !== 0 && loopback.check(host, family === 4 ? "ipv4" : "ipv6");
}
