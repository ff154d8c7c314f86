// Naming a Redis: a single node, a cluster or a sentinel group, from the same names in the worker's
// environment, the CLI's and the Action's secrets; each mistake named by its setting, no password
// ever in a message or a description.
import { describe, expect, it } from "vitest";
import { describeRedis, readRedisSettings, redisEnvOf, redisSecrets } from "../../shared/redisSettings.js";

const DEFAULT = "redis://127.0.0.1:6379";

function issuesOf(env: Record<string, string>) {
  const read = readRedisSettings(env, DEFAULT);
  if (read.success) throw new Error("expected issues");
  return read.issues.map((issue) => `${issue.path[0]}: ${issue.message}`);
}

function settingsOf(env: Record<string, string>, defaultUrl: string | undefined = DEFAULT) {
  const read = readRedisSettings(env, defaultUrl);
  if (!read.success) throw new Error(JSON.stringify(read.issues));
  return read.settings;
}

describe("the three forms", () => {
  it("a single node from REDIS_URL, or the default", () => {
    expect(settingsOf({})).toEqual({ mode: "node", url: DEFAULT });
    expect(settingsOf({ REDIS_URL: "rediss://:pw@cache:6380/2" })).toEqual({
      mode: "node",
      url: "rediss://:pw@cache:6380/2",
    });
  });

  it("a cluster from its seed nodes, with the default port, IPv6, user, password and TLS", () => {
    const settings = settingsOf({
      REDIS_CLUSTER_NODES: " a.example:7000, b.example ,[::1]:7002",
      REDIS_USERNAME: "sync",
      REDIS_PASSWORD: "s3cret pw",
      REDIS_TLS: "true",
    });
    expect(settings).toEqual({
      mode: "cluster",
      nodes: [
        { host: "a.example", port: 7000 },
        { host: "b.example", port: 6379 },
        { host: "::1", port: 7002 },
      ],
      username: "sync",
      password: "s3cret pw",
      tls: true,
    });
    expect(describeRedis(settings)).toBe(
      "Redis Cluster a.example:7000,b.example:6379,[::1]:7002 (user sync, TLS)",
    );
    expect(redisSecrets(settings)).toEqual(["s3cret pw"]);
    expect(settingsOf(redisEnvOf(settings), undefined)).toEqual(settings);
  });

  it("a sentinel group from its sentinels and name, with the sentinels' own password", () => {
    const settings = settingsOf({
      REDIS_SENTINELS: "s1:26380,s2",
      REDIS_SENTINEL_NAME: "queue",
      REDIS_PASSWORD: "node-pw",
      REDIS_SENTINEL_PASSWORD: "sentinel-pw",
    });
    expect(settings).toMatchObject({
      mode: "sentinel",
      masterName: "queue",
      sentinels: [
        { host: "s1", port: 26380 },
        { host: "s2", port: 26379 },
      ],
      sentinelPassword: "sentinel-pw",
    });
    expect(describeRedis(settings)).toBe('Sentinel group "queue" at s1:26380,s2:26379');
    expect(redisSecrets(settings).sort()).toEqual(["node-pw", "sentinel-pw"]);
    expect(settingsOf(redisEnvOf(settings), undefined)).toEqual(settings);
  });
});

describe("mistakes, each named by its setting", () => {
  it.each([
    [
      { REDIS_URL: "redis://a:1", REDIS_CLUSTER_NODES: "b:2" },
      /^REDIS_CLUSTER_NODES: name one Redis: set only one of REDIS_URL, REDIS_CLUSTER_NODES/,
    ],
    [{ REDIS_SENTINELS: "s:1" }, /^REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS/],
    [{ REDIS_CLUSTER_NODES: "a:1,b:99999" }, /^REDIS_CLUSTER_NODES: entry 2 \("b:99999"\) must be host:port/],
    [{ REDIS_CLUSTER_NODES: "a:1", REDIS_TLS: "maybe" }, /^REDIS_TLS: must be true or false/],
    [
      { REDIS_PASSWORD: "x" },
      /^REDIS_PASSWORD: applies to REDIS_CLUSTER_NODES or REDIS_SENTINELS; a single node takes/,
    ],
    [
      { REDIS_CLUSTER_NODES: "a:1", REDIS_SENTINEL_NAME: "q" },
      /^REDIS_SENTINEL_NAME: applies only with REDIS_SENTINELS/,
    ],
    [{ REDIS_URL: "http://cache" }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
  ])("%j", (env, expected) => {
    expect(issuesOf(env)[0]).toMatch(expected);
  });

  it("without a default, asks for one of the forms", () => {
    const read = readRedisSettings({});
    expect(read.success).toBe(false);
    expect(read.success ? [] : read.issues[0]?.message).toMatch(
      /is missing: set REDIS_URL, REDIS_CLUSTER_NODES, or REDIS_SENTINELS/,
    );
  });

  it("never quotes a password, even in a seed node written with credentials", () => {
    const messages = issuesOf({ REDIS_CLUSTER_NODES: "user:hunter2-secret@a:1" }).join("\n");
    expect(messages).not.toContain("hunter2-secret");
    expect(describeRedis({ mode: "node", url: "redis://:hunter2-secret@a:1" })).toBe("redis://:***@a:1");
  });
});
