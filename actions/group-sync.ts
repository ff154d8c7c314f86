// Auth0 Event Stream Action (trigger `event-stream`, events user.created / user.updated / user.deleted):
// turns each user event into one BullMQ sync job on Redis, which the worker applies to SureCloud.
//
// Secrets (event.secrets; the names are shared/actionSecrets.ts, each set by the tenant deploy from
// the environment variable ACTION_<NAME>):
//   REDIS_URL            a single Redis node: redis:// or rediss://, credentials allowed (never logged);
//                        required unless the queue's Redis is a cluster or a sentinel group:
//   REDIS_CLUSTER_NODES  a Redis Cluster's seed nodes, host:port,host:port
//   REDIS_SENTINELS      a Sentinel group's sentinels, host:port,...; with REDIS_SENTINEL_NAME (its master)
//   REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS (true), REDIS_SENTINEL_USERNAME, REDIS_SENTINEL_PASSWORD
//                        the cluster's or sentinel group's ACL user, TLS, and the sentinels' own user
//                        (shared/redisSettings.ts; the worker reads the same names)
//   QUEUE_NAME           optional; default "surecloud-group-sync"
//   CONNECTIONS          optional; comma-separated Auth0 connection names to sync, all others are dropped
//   DIRECTIVE_ATTRIBUTE  optional; where the group directive lives, default "app_metadata.user_type"
//   ROLES_ATTRIBUTE      optional; where the user's Entra app roles live, default "app_metadata.roles"
//                        (read for tenants whose directive comes from roles; cut at 16 KB of JSON)
//
// Throwing makes Auth0 retry and then dead-letter the event, and 500 failures in a row disable the
// stream: so the Action throws only for what a retry or an operator can fix (configuration, Redis),
// and acknowledges events it can never handle, whatever they hold. What it throws never carries
// the Redis password, at any depth.

import type { ActionOptionName } from "../shared/actionSecrets.js";
import { formatIssues } from "../shared/configIssues.js";
import { decideDelivery, eventIdOf, parseConnectionList } from "../shared/deliveryDecision.js";
import { ConfigError, RetryableError } from "../shared/errors.js";
import { DEFAULT_DIRECTIVE_ATTRIBUTE, DEFAULT_ROLES_ATTRIBUTE } from "../shared/eventToJob.js";
import { DEFAULT_QUEUE_NAME, jobIdFor, type SyncJob } from "../shared/job.js";
import { syncJobOptions } from "../shared/jobOptions.js";
import { detachedError, scrubSecrets } from "../shared/redact.js";
import {
  describeRedis,
  type RedisSettings,
  readRedisSettings,
  redisSecrets,
} from "../shared/redisSettings.js";
import { withTimeout } from "../shared/withTimeout.js";
import * as z from "../shared/zodMini.js";
import { dropQueue, queueFor } from "./queueCache.js";

export { closeQueues } from "./queueCache.js";

/** The part of Auth0's event-stream `event` object this Action reads. */
export interface EventStreamEvent {
  message: unknown;
  secrets?: Record<string, string | undefined>;
}

/** Leaves the run well inside Auth0's ~10 s budget when Redis is slow or away. */
const ADD_TIMEOUT_MS = 3_000;

/** An unset secret and an empty one mean the same: use the default. */
const optionalSecret = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value?.trim() ? value.trim() : undefined)),
);

/**
 * zod/mini, as in the shared schemas (which also set up English messages), keeps the bundle small.
 * The Redis secrets are read by readRedisSettings, which checks a URL before ioredis parses it; these
 * are the rest of shared/actionSecrets.ts's names, no more and no fewer (the deploy sets that list).
 */
const actionSecretsSchema = z.object({
  QUEUE_NAME: optionalSecret,
  CONNECTIONS: optionalSecret,
  DIRECTIVE_ATTRIBUTE: optionalSecret,
  ROLES_ATTRIBUTE: optionalSecret,
} satisfies Record<ActionOptionName, typeof optionalSecret>);

interface ActionConfig {
  redis: RedisSettings;
  queueName: string;
  /** Connection names to sync; undefined syncs every connection. */
  connections: ReadonlySet<string> | undefined;
  directiveAttribute: string;
  rolesAttribute: string;
}

/** Reads the Action's secrets; a bad one is a configuration error an operator must fix. */
function readConfig(secrets: EventStreamEvent["secrets"]): ActionConfig {
  const redis = readRedisSettings(secrets ?? {});
  const parsed = actionSecretsSchema.safeParse(secrets ?? {});
  if (!redis.success || !parsed.success) {
    const issues = [...(redis.success ? [] : redis.issues), ...(parsed.success ? [] : parsed.error.issues)];
    throw new ConfigError(`group-sync: Action secrets: ${formatIssues(issues)}`);
  }
  const { QUEUE_NAME, CONNECTIONS, DIRECTIVE_ATTRIBUTE, ROLES_ATTRIBUTE } = parsed.data;
  return {
    redis: redis.settings,
    queueName: QUEUE_NAME ?? DEFAULT_QUEUE_NAME,
    connections: parseConnectionList(CONNECTIONS),
    directiveAttribute: DIRECTIVE_ATTRIBUTE ?? DEFAULT_DIRECTIVE_ATTRIBUTE,
    rolesAttribute: ROLES_ATTRIBUTE ?? DEFAULT_ROLES_ATTRIBUTE,
  };
}

/** What to do with one delivery. */
type Decision = { kind: "enqueue"; job: SyncJob } | { kind: "acknowledge"; reason: string };

/**
 * Decides without side effects whether a delivered message becomes a job (shared with the worker's
 * intake). A message that breaks the mapping in a way nobody foresaw is still a poison event: no
 * retry can help, so it is acknowledged with the reason, never thrown.
 */
function decide(message: unknown, config: ActionConfig): Decision {
  try {
    return decideMapped(message, config);
  } catch (error) {
    return { kind: "acknowledge", reason: `cannot be mapped to a job: ${messageOf(error)}` };
  }
}

function decideMapped(message: unknown, config: ActionConfig): Decision {
  const decision = decideDelivery(message, { ...config, allowListSetting: "CONNECTIONS" });
  switch (decision.kind) {
    case "enqueue":
      return decision;
    case "ignore":
      return { kind: "acknowledge", reason: decision.reason };
    case "reject":
      return { kind: "acknowledge", reason: `not handleable: ${decision.reason}` };
    default: {
      const never: never = decision;
      throw new Error(`unexpected decision ${JSON.stringify(never)}`);
    }
  }
}

/** The Action's entry point; esbuild's CommonJS output makes it `exports.onExecuteEventStream`. */
export async function onExecuteEventStream(event: EventStreamEvent, _api?: unknown): Promise<void> {
  const config = readConfig(event.secrets);
  const decision = decide(event.message, config);
  switch (decision.kind) {
    case "acknowledge":
      log("info", "event acknowledged without a job", {
        eventId: eventIdOf(event.message),
        reason: decision.reason,
      });
      return;
    case "enqueue":
      await enqueue(decision.job, config);
      return;
    default: {
      const never: never = decision;
      throw new Error(`unexpected decision ${JSON.stringify(never)}`);
    }
  }
}

/** Adds the job; a redelivered event has the same job id, so BullMQ keeps the one job it has. */
async function enqueue(job: SyncJob, config: ActionConfig): Promise<void> {
  const jobId = jobIdFor("event", job.event.id);
  const onConnectionError = (error: Error) =>
    log("warn", "redis connection error", { queue: config.queueName, error: error.message });
  try {
    const queue = queueFor(config.redis, config.queueName, onConnectionError);
    await withTimeout(queue.add(job.event.type, job, { ...syncJobOptions, jobId }), ADD_TIMEOUT_MS, "Redis");
  } catch (error) {
    dropQueue(config.redis, config.queueName);
    const secrets = redisSecrets(config.redis);
    throw new RetryableError(
      `group-sync: the job for event ${job.event.id} could not be stored in queue "${config.queueName}" ` +
        `at ${describeRedis(config.redis)}: ${scrubSecrets(messageOf(error), secrets)}`,
      { cause: detachedError(error, secrets) },
    );
  }
  log("info", "job queued", { eventId: job.event.id, jobId, type: job.event.type });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Auth0 keeps only the first 256 characters of a console.log, so long values are cut short. */
const MAX_FIELD_CHARS = 120;

/** One JSON line per outcome, for Auth0's execution logs. */
function log(level: "info" | "warn", msg: string, fields: Record<string, string | undefined>): void {
  const short = Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, value?.slice(0, MAX_FIELD_CHARS)]),
  );
  console.log(JSON.stringify({ level, msg, ...short }));
}
