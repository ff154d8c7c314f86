// Which Redis the queue lives in, read from the same names everywhere: the worker's and the CLI's
// environment and the Action's secrets. One of three forms:
//   a single node       REDIS_URL=redis[s]://[user:password@]host:port[/db]  (the default form)
//   a Redis Cluster     REDIS_CLUSTER_NODES=host:port,host:port  (seed nodes; the rest are discovered)
//   a Sentinel group    REDIS_SENTINELS=host:port,...  and  REDIS_SENTINEL_NAME=<master group name>
// Cluster and Sentinel take REDIS_USERNAME / REDIS_PASSWORD (the data nodes' ACL user), REDIS_TLS=true,
// and for Sentinel REDIS_SENTINEL_USERNAME / REDIS_SENTINEL_PASSWORD (the sentinels' own). zod/mini and
// no Redis client, so the Action's bundle can use it; no message ever quotes a password.
import { maskUrl } from "./redact.js";
import { redisUrlProblem, redisUrlSecrets } from "./redisUrl.js";
import * as z from "./zodMini.js";

/** The setting names, as the environment and the Action's secrets spell them. */
export const redisSettingNames = [
  "REDIS_URL",
  "REDIS_CLUSTER_NODES",
  "REDIS_SENTINELS",
  "REDIS_SENTINEL_NAME",
  "REDIS_USERNAME",
  "REDIS_PASSWORD",
  "REDIS_TLS",
  "REDIS_SENTINEL_USERNAME",
  "REDIS_SENTINEL_PASSWORD",
] as const;
export type RedisSettingName = (typeof redisSettingNames)[number];

export interface HostPort {
  host: string;
  port: number;
}

/** Credentials and TLS of a cluster's or a sentinel-managed master's data nodes. */
interface NodeAccess {
  username: string | undefined;
  password: string | undefined;
  tls: boolean;
}

export type RedisSettings =
  | { mode: "node"; url: string }
  | ({ mode: "cluster"; nodes: HostPort[] } & NodeAccess)
  | ({
      mode: "sentinel";
      masterName: string;
      sentinels: HostPort[];
      sentinelUsername: string | undefined;
      sentinelPassword: string | undefined;
    } & NodeAccess);

const DEFAULT_NODE_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;

/** `host:port`, `host` (default port) or `[v6]:port`, comma-separated; undefined when empty. */
function hostList(defaultPort: number) {
  return z.pipe(
    optionalText,
    z.transform((text: string | undefined, context) => {
      if (text === undefined) return undefined;
      const entries = text.split(",").map((entry) => entry.trim());
      const parsed: HostPort[] = [];
      for (const [index, entry] of entries.entries()) {
        const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/@[\]]+))(?::(\d{1,5}))?$/.exec(entry);
        const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
        if (!match || port < 1 || port > 65_535) {
          context.issues.push({
            code: "custom",
            input: text,
            message: `entry ${index + 1} ("${withoutCredentials(entry)}") must be host:port (port 1-65535), entries separated by commas`,
          });
          return z.NEVER;
        }
        parsed.push({ host: match[1] ?? match[2] ?? "", port });
      }
      return parsed;
    }),
  );
}

/** An entry as a message may quote it: credentials written into it (`user:pw@host`) are cut. */
function withoutCredentials(entry: string): string {
  const at = entry.lastIndexOf("@");
  return at < 0 ? entry : `***@${entry.slice(at + 1)}`;
}

/** An unset value and an empty one mean the same: not given. */
const optionalText = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value?.trim() ? value.trim() : undefined)),
);

const flag = z.pipe(
  optionalText,
  z.transform((value: string | undefined, context) => {
    if (value === undefined) return undefined;
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
    context.issues.push({ code: "custom", input: value, message: "must be true or false" });
    return z.NEVER;
  }),
);

const redisEnvSchema = z.object({
  REDIS_URL: z.pipe(
    optionalText,
    z.transform((url: string | undefined, context) => {
      const problem = url === undefined ? undefined : redisUrlProblem(url);
      if (!problem) return url;
      context.issues.push({ code: "custom", input: "", message: problem });
      return z.NEVER;
    }),
  ),
  REDIS_CLUSTER_NODES: hostList(DEFAULT_NODE_PORT),
  REDIS_SENTINELS: hostList(DEFAULT_SENTINEL_PORT),
  REDIS_SENTINEL_NAME: optionalText,
  REDIS_USERNAME: optionalText,
  // Passwords are taken as written: a space may be part of one.
  REDIS_PASSWORD: z.optional(z.string()),
  REDIS_TLS: flag,
  REDIS_SENTINEL_USERNAME: optionalText,
  REDIS_SENTINEL_PASSWORD: z.optional(z.string()),
});
type RedisEnv = z.infer<typeof redisEnvSchema>;

/** One problem with the settings, named by the setting. */
export interface RedisSettingIssue {
  path: [RedisSettingName];
  message: string;
}

export type RedisSettingsResult =
  | { success: true; settings: RedisSettings }
  | { success: false; issues: RedisSettingIssue[] };

/**
 * Reads the Redis settings from an environment or the Action's secrets. `defaultUrl` is the single
 * node used when nothing is set (the worker's and the CLI's); without one, some setting is required.
 */
export function readRedisSettings(
  source: Readonly<Record<string, string | undefined>>,
  defaultUrl?: string,
): RedisSettingsResult {
  const picked = Object.fromEntries(redisSettingNames.map((name) => [name, source[name]]));
  const parsed = redisEnvSchema.safeParse(picked);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: [String(issue.path[0]) as RedisSettingName] as [RedisSettingName],
      message: issue.message,
    }));
    return { success: false, issues };
  }
  const issues: RedisSettingIssue[] = [];
  const problem = (name: RedisSettingName, message: string) => issues.push({ path: [name], message });
  const settings = settingsFrom(parsed.data, defaultUrl, problem);
  return settings && issues.length === 0 ? { success: true, settings } : { success: false, issues };
}

function settingsFrom(
  env: RedisEnv,
  defaultUrl: string | undefined,
  problem: (name: RedisSettingName, message: string) => void,
): RedisSettings | undefined {
  const forms = (["REDIS_URL", "REDIS_CLUSTER_NODES", "REDIS_SENTINELS"] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (forms.length > 1) {
    problem(forms[1] ?? "REDIS_URL", `name one Redis: set only one of ${forms.join(", ")}`);
    return undefined;
  }
  const access = {
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD || undefined,
    tls: !!env.REDIS_TLS,
  };
  if (env.REDIS_CLUSTER_NODES) {
    onlyWithSentinels(env, problem);
    return { mode: "cluster", nodes: env.REDIS_CLUSTER_NODES, ...access };
  }
  if (env.REDIS_SENTINELS) {
    if (!env.REDIS_SENTINEL_NAME) {
      problem(
        "REDIS_SENTINEL_NAME",
        "is required with REDIS_SENTINELS: the name of the master group the sentinels watch",
      );
      return undefined;
    }
    return {
      mode: "sentinel",
      masterName: env.REDIS_SENTINEL_NAME,
      sentinels: env.REDIS_SENTINELS,
      sentinelUsername: env.REDIS_SENTINEL_USERNAME,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined,
      ...access,
    };
  }
  onlyWithSentinels(env, problem);
  for (const name of ["REDIS_USERNAME", "REDIS_PASSWORD", "REDIS_TLS"] as const) {
    if (env[name] !== undefined) {
      problem(
        name,
        "applies to REDIS_CLUSTER_NODES or REDIS_SENTINELS; a single node takes its user, password and TLS (rediss://) in REDIS_URL",
      );
    }
  }
  const url = env.REDIS_URL ?? defaultUrl;
  if (url === undefined) {
    problem(
      "REDIS_URL",
      "is missing: set REDIS_URL, REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME",
    );
    return undefined;
  }
  return { mode: "node", url };
}

function onlyWithSentinels(env: RedisEnv, problem: (name: RedisSettingName, message: string) => void): void {
  for (const name of ["REDIS_SENTINEL_NAME", "REDIS_SENTINEL_USERNAME", "REDIS_SENTINEL_PASSWORD"] as const) {
    if (env[name] !== undefined) problem(name, "applies only with REDIS_SENTINELS");
  }
}

/** The Redis these settings name, for logs and errors: no password, ever. */
export function describeRedis(settings: RedisSettings): string {
  switch (settings.mode) {
    case "node":
      return maskUrl(settings.url);
    case "cluster":
      return `Redis Cluster ${hostsOf(settings.nodes)}${accessOf(settings)}`;
    case "sentinel":
      return `Sentinel group "${settings.masterName}" at ${hostsOf(settings.sentinels)}${accessOf(settings)}`;
    default: {
      const never: never = settings;
      throw new Error(`unexpected Redis settings ${JSON.stringify(never)}`);
    }
  }
}

function hostsOf(hosts: readonly HostPort[]): string {
  return hosts
    .map(({ host, port }) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`))
    .join(",");
}

function accessOf(access: NodeAccess): string {
  const parts = [access.username ? `user ${access.username}` : "", access.tls ? "TLS" : ""].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** The settings written back as the variables (or Action secrets) that name them, for a child process. */
export function redisEnvOf(settings: RedisSettings): Record<string, string> {
  if (settings.mode === "node") return { REDIS_URL: settings.url };
  const env: Partial<Record<RedisSettingName, string>> = {
    REDIS_USERNAME: settings.username,
    REDIS_PASSWORD: settings.password,
    REDIS_TLS: settings.tls ? "true" : undefined,
  };
  if (settings.mode === "cluster") env.REDIS_CLUSTER_NODES = hostsOf(settings.nodes);
  else {
    Object.assign(env, {
      REDIS_SENTINELS: hostsOf(settings.sentinels),
      REDIS_SENTINEL_NAME: settings.masterName,
      REDIS_SENTINEL_USERNAME: settings.sentinelUsername,
      REDIS_SENTINEL_PASSWORD: settings.sentinelPassword,
    });
  }
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
}

/** Every form in which these settings' passwords could appear in an error, for scrubbing. */
export function redisSecrets(settings: RedisSettings): string[] {
  if (settings.mode === "node") return redisUrlSecrets(settings.url);
  const passwords = [settings.password, settings.mode === "sentinel" ? settings.sentinelPassword : undefined];
  return passwords.filter((password): password is string => !!password);
}

/**
 * BullMQ's key prefix. On a cluster every key of one queue must share a slot, since BullMQ's scripts
 * touch several at once: a prefix in a hash tag does that (BullMQ's own advice). One tag for every
 * queue, not one per queue, so that queues can still be found under one prefix (a queue nobody
 * consumes is reported); a deployment has one queue, so nothing is lost by keeping them on one node.
 * A single node and Sentinel keep BullMQ's default, so an upgrade finds its jobs where they were.
 */
export function queuePrefix(settings: RedisSettings): string {
  return settings.mode === "cluster" ? "{bull}" : "bull";
}
