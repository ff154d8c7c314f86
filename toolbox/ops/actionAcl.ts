// The Redis ACL rule for the Action's own Redis user (least privilege): the keys of one queue and
// the commands the Action's enqueue path sends, nothing else. `surecloud-sync redis-acl` prints it.
import { createHash } from "node:crypto";

/** BullMQ's default key prefix, which the Action's queue uses. */
const BULLMQ_PREFIX = "bull";

/**
 * What the Action sends, each one found necessary by taking it away (the add then fails, or Redis
 * logs a refusal; tests/toolbox/cli/redisAcl.test.ts runs the Action under this rule). HELLO, AUTH
 * and QUIT need no grant: Redis allows them to every user. SCRIPT LOAD is not needed: ioredis sends
 * EVAL when EVALSHA finds no cached script.
 */
export const actionCommands = [
  // Queue.add runs BullMQ's addStandardJob Lua script.
  "eval",
  "evalsha",
  // ioredis's ready check and BullMQ's Redis version check.
  "info",
  // The connection's name, group-sync-action:<queue>, which CLIENT LIST shows.
  "client|setname",
  // What addStandardJob runs for a job with its own id and no parent, delay, priority or
  // deduplication (shared/jobOptions.ts): a new job, a duplicate, a paused or concurrency-capped queue.
  "exists",
  "hget",
  "hmget",
  "hmset",
  "hset",
  "incr",
  "llen",
  "lpush",
  "xadd",
  "zadd",
] as const;

/** The password as the rule carries it: the SHA-256 of a real one, or a placeholder. */
export type AclPassword = { kind: "secret"; value: string } | { kind: "placeholder" };

/**
 * Stands where the password hash goes. Redis refuses it (a hash must be 64 hex digits), so a line
 * pasted without replacing it fails instead of creating a user with a password anyone can read.
 */
export const PASSWORD_PLACEHOLDER = "#<sha256-of-the-password>";

export interface ActionAclOptions {
  user: string;
  queueName: string;
  password: AclPassword;
  /**
   * Also grant SELECT, for an Action whose REDIS_URL names a database (`…/2`). Without it ioredis's
   * SELECT is refused and, since ioredis only reports that, jobs would land in database 0.
   */
  select?: boolean;
}

/** `~bull:<queue>:*`: the queue's BullMQ keys, and not the worker's (`group-sync:<queue>:*`) or another queue's. */
export function actionKeyPattern(queueName: string): string {
  return `~${BULLMQ_PREFIX}:${queueName}:*`;
}

/**
 * `ACL SETUSER <user> reset on #<sha256> resetchannels ~bull:<queue>:* -@all +eval …`. `reset` first,
 * so that running the line again replaces the user's rules rather than adding to them; no channel
 * (the Action neither publishes nor subscribes). The password travels only as its SHA-256.
 */
export function actionAclLine(options: ActionAclOptions): string {
  const password =
    options.password.kind === "secret"
      ? `#${createHash("sha256").update(options.password.value).digest("hex")}`
      : PASSWORD_PLACEHOLDER;
  return [
    "ACL SETUSER",
    options.user,
    "reset",
    "on",
    password,
    "resetchannels",
    actionKeyPattern(options.queueName),
    "-@all",
    ...actionCommands.map((command) => `+${command}`),
    ...(options.select ? ["+select"] : []),
  ].join(" ");
}
