// check-config's look at the Redis URL the Action is given. The tenant deploy fills the Action's
// REDIS_URL secret from ACTION_REDIS_URL (tenant-config/tenant.yaml), and Auth0 reaches that Redis
// across the internet: plain redis:// sends the Action's password and every job unencrypted.
import { BlockList, isIP } from "node:net";
import { maskUrl } from "../../shared/redact.js";
import { redisUrlProblem } from "../../shared/redisUrl.js";
import type { ConfigCheck } from "./configCheck.js";

/** The deploy's environment variable for the Action's REDIS_URL secret. */
export const ACTION_REDIS_URL_ENV = "ACTION_REDIS_URL";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The `action-redis` row: none when ACTION_REDIS_URL is not set, since there is nothing to check. */
export function checkActionRedisUrl(env: NodeJS.ProcessEnv): ConfigCheck[] {
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

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const family = isIP(host);
  return family !== 0 && loopback.check(host, family === 4 ? "ipv4" : "ipv6");
}
