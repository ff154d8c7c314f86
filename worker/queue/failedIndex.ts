// A small index per Auth0 user of its jobs that failed for good, so that a newer change applied for
// the user finds the failures it supersedes without reading the whole failed list. One Redis hash a
// user (redisKeys.ts `failedByUserKey`), and each script touches only that key:
//   `j:<jobId>`  the failed job's position, `<version ms>|<event time ms>`
//   `applied`    the newest change applied, as JSON, so a failure noted after it (a race between a
//                job failing and a newer one applying) is superseded at once rather than missed.
// Positions order changes as the sync rules do: by version, then by the event's time.
import type { RedisClient } from "../../shared/redisConnection.js";
import { failedByUserKey } from "../redisKeys.js";

/** Where a change sits in a user's history: its version, then its event time (ms since the epoch). */
export interface ChangePosition {
  versionMs: number;
  eventMs: number;
}

/** The change applied for a user, as the index remembers it. */
export interface AppliedChangeRef extends ChangePosition {
  jobId: string;
  eventId: string;
  version: string;
}

export interface FailedIndex {
  /**
   * Notes a job that failed for good. Returns the applied change that already supersedes it (the
   * failure is then not noted), or undefined.
   */
  noteFailed(
    tenantId: string,
    auth0UserId: string,
    jobId: string,
    at: ChangePosition,
  ): Promise<AppliedChangeRef | undefined>;
  /** Notes an applied change; returns the ids of the user's failed jobs older than it, now unnoted. */
  noteApplied(tenantId: string, auth0UserId: string, applied: AppliedChangeRef): Promise<string[]>;
}

/** A user with failed jobs is remembered as long as applied versions are (userVersions.ts). */
const FAILED_TTL_SECONDS = 180 * 24 * 3600;
/** A user with none is remembered just long enough to catch a failure racing the applied change. */
const APPLIED_ONLY_TTL_SECONDS = 3600;

const noteFailedScript = `
local applied = redis.call('HGET', KEYS[1], 'applied')
if applied then
  local a = cjson.decode(applied)
  local v, e = tonumber(ARGV[2]), tonumber(ARGV[3])
  if a.versionMs > v or (a.versionMs == v and a.eventMs > e) then return applied end
end
redis.call('HSET', KEYS[1], 'j:' .. ARGV[1], ARGV[2] .. '|' .. ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return false`;

const noteAppliedScript = `
local v, e = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('HDEL', KEYS[1], 'j:' .. ARGV[1])
local current = redis.call('HGET', KEYS[1], 'applied')
local newest = true
if current then
  local c = cjson.decode(current)
  newest = v > c.versionMs or (v == c.versionMs and e > c.eventMs)
end
if newest then redis.call('HSET', KEYS[1], 'applied', ARGV[4]) end
local older, left = {}, 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 2) == 'j:' then
    local fv, fe = string.match(fields[i + 1], '^([^|]+)|(.+)$')
    fv, fe = tonumber(fv), tonumber(fe)
    if fv < v or (fv == v and fe < e) then
      table.insert(older, string.sub(fields[i], 3))
      redis.call('HDEL', KEYS[1], fields[i])
    else
      left = left + 1
    end
  end
end
redis.call('EXPIRE', KEYS[1], left > 0 and ARGV[5] or ARGV[6])
return older`;

export function makeFailedIndex(redis: RedisClient, queueName: string): FailedIndex {
  return {
    async noteFailed(tenantId, auth0UserId, jobId, at) {
      const key = failedByUserKey(queueName, tenantId, auth0UserId);
      const reply = await redis.eval(
        noteFailedScript,
        1,
        key,
        jobId,
        at.versionMs,
        at.eventMs,
        FAILED_TTL_SECONDS,
      );
      return typeof reply === "string" ? (JSON.parse(reply) as AppliedChangeRef) : undefined;
    },
    async noteApplied(tenantId, auth0UserId, applied) {
      const key = failedByUserKey(queueName, tenantId, auth0UserId);
      const reply = await redis.eval(
        noteAppliedScript,
        1,
        key,
        applied.jobId,
        applied.versionMs,
        applied.eventMs,
        JSON.stringify(applied),
        FAILED_TTL_SECONDS,
        APPLIED_ONLY_TTL_SECONDS,
      );
      return reply as string[];
    },
  };
}
