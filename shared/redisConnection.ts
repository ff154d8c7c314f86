// The one way every part of the product opens Redis (the Action, the intake, the worker, the CLI,
// the local stack): a single node, a Redis Cluster or a Sentinel group, as shared/redisSettings.ts
// reads them, with the reconnect policy of the caller's role. Also tells a Redis that refuses us
// (wrong password, a database it does not have), which no reconnect can fix, from one that is away.
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import type { RedisSettings } from "./redisSettings.js";

/** A connection to any of the three forms; BullMQ takes either. */
export type RedisClient = Redis | Cluster;

/**
 * `worker`: waits out an outage (commands wait, reconnects go on for ever), as BullMQ's workers need.
 * `producer`: fails fast (no offline queue, one retry per command), for the Action and the intake.
 * `command`: connects once, when asked (lazy), for an operator's command.
 */
export type RedisRole = "worker" | "producer" | "command";

export interface RedisConnectionOptions {
  role: RedisRole;
  /** Shown in CLIENT LIST, so an operator can tell the connections apart. */
  connectionName?: string;
  /** How long one TCP connect may take. Default 5000 ms (2000 for a producer). */
  connectTimeoutMs?: number;
  /** Reconnects before the client gives up for good; default: for ever, none for a command. */
  maxReconnects?: number;
  /** Longest pause between reconnects. Default 5000 ms. */
  maxReconnectDelayMs?: number;
  /** Skips CLIENT SETINFO, which a user with only the Action's ACL may not send. */
  disableClientInfo?: boolean;
}

/** The first pause between reconnects; it doubles per failed attempt up to the role's cap. */
const FIRST_RECONNECT_DELAY_MS = 250;
const DEFAULT_MAX_RECONNECT_DELAY_MS = 5_000;

/** Pause before reconnect attempt `times` (1, 2, ...): capped exponential backoff. */
export function reconnectDelayMs(times: number, capMs = DEFAULT_MAX_RECONNECT_DELAY_MS): number {
  return Math.min(capMs, FIRST_RECONNECT_DELAY_MS * 2 ** Math.min(Math.max(times - 1, 0), 20));
}

export function openRedis(settings: RedisSettings, options: RedisConnectionOptions): RedisClient {
  const common = clientOptions(options);
  const retry = retryStrategy(options);
  switch (settings.mode) {
    case "node":
      return new Redis(settings.url, { ...common, retryStrategy: retry });
    case "cluster": {
      const { enableOfflineQueue, lazyConnect, ...perNode } = common;
      const clusterOptions: ClusterOptions = {
        enableOfflineQueue,
        lazyConnect,
        clusterRetryStrategy: retry,
        redisOptions: { ...perNode, ...access(settings), ...(settings.tls ? { tls: {} } : {}) },
        // Managed clusters with TLS answer CLUSTER SLOTS with names the certificate holds; resolving
        // them to addresses first would fail the TLS host check (ioredis's advice for ElastiCache).
        ...(settings.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      };
      return new Cluster(settings.nodes, clusterOptions);
    }
    case "sentinel":
      return new Redis({
        ...common,
        ...access(settings),
        sentinels: settings.sentinels,
        name: settings.masterName,
        sentinelUsername: settings.sentinelUsername,
        sentinelPassword: settings.sentinelPassword,
        ...(settings.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        // A master demoted by a failover answers writes with READONLY until the client asks the
        // sentinels again: reconnecting does that, and resends the command to the new master.
        reconnectOnError: (error) => (/READONLY/.test(error.message) ? 2 : false),
        retryStrategy: retry,
        sentinelRetryStrategy: retry,
      });
    default: {
      const never: never = settings;
      throw new Error(`unexpected Redis settings ${JSON.stringify(never)}`);
    }
  }
}

function clientOptions(options: RedisConnectionOptions): RedisOptions {
  const { role } = options;
  return {
    connectTimeout: options.connectTimeoutMs ?? (role === "producer" ? 2_000 : 5_000),
    // BullMQ's workers need null: a command waits for the connection to come back.
    maxRetriesPerRequest: role === "worker" ? null : 1,
    // A producer must fail fast: never park a command while Redis is away.
    enableOfflineQueue: role !== "producer",
    lazyConnect: role === "command",
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    ...(options.disableClientInfo ? { disableClientInfo: true } : {}),
  };
}

function retryStrategy(options: RedisConnectionOptions): (times: number) => number | null {
  const maxReconnects = options.maxReconnects ?? (options.role === "command" ? 0 : Number.POSITIVE_INFINITY);
  return (times) => (times > maxReconnects ? null : reconnectDelayMs(times, options.maxReconnectDelayMs));
}

function access(settings: { username: string | undefined; password: string | undefined }) {
  return {
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
  };
}

/**
 * What is wrong when Redis answered but refused us, in the operator's words, to follow "Redis at
 * <where> "; undefined for anything else (an outage, a timeout), which a reconnect may heal. No
 * reconnect heals these.
 */
export function redisRefusal(error: unknown): string | undefined {
  const message = messageOf(error);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return "refused the user name or password (WRONGPASS): check the credentials";
  }
  if (/NOAUTH/i.test(message)) {
    return "asks for a password and none was given (NOAUTH): add the user and password";
  }
  if (/DB index is out of range/i.test(message)) {
    return (
      "refused the database number (ERR DB index is out of range): the /<db> at the end of " +
      "REDIS_URL must be below the server's `databases` setting (16 by default)"
    );
  }
  if (/SELECT is not allowed in cluster mode/i.test(message)) {
    return "is a Redis Cluster node: name the cluster with REDIS_CLUSTER_NODES instead of REDIS_URL";
  }
  if (/ERR no such master with that name|No sentinel .*master|sentinel.*unknown master/i.test(message)) {
    return `knows no master group by the name in REDIS_SENTINEL_NAME: ${message}`;
  }
  // A cluster reports the node's own error inside its own.
  const nodeError = (error as { lastNodeError?: unknown } | undefined)?.lastNodeError;
  return nodeError ? redisRefusal(nodeError) : undefined;
}

/** Socket errors that mean Redis is away (or the path to it), not that it refused anything. */
const outageCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/** ioredis's own words for an outage, on a node, a cluster or a sentinel group. */
const outageMessages =
  /Connection is closed|Stream isn't writeable|max retries per request|Failed to refresh slots cache|None of the sentinels are available|All sentinels are unreachable|connect ETIMEDOUT/i;

/** True for an error about reaching Redis (an outage, or a refusal): the connection's own listener tells it. */
export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === "string" && outageCodes.has(code)) ||
    outageMessages.test(error.message) ||
    redisRefusal(error) !== undefined
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
