// check-config on the Redis URL the Action is given (ACTION_REDIS_URL, which the tenant deploy puts
// in the Action's REDIS_URL secret): Auth0 reaches that Redis across the internet, so plain redis://
// to anything but loopback is a warning; a URL the Action cannot use fails. Never the password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "../../../dev/catalogue.js";
import { type Emulator, startEmulator } from "../../../dev/surecloud-emulator/server.js";
import { checkActionRedisUrl } from "../../../toolbox/ops/actionRedisCheck.js";
import { cli, writeTenantsFile } from "./cliHarness.js";

const PASSWORD = "act10n-Redis-pass-7Tz";
const token = "sc-acme-token-5c2e8a0f3b7d";

describe("the action-redis check", () => {
  const statusOf = (url: string) => checkActionRedisUrl({ ACTION_REDIS_URL: url })[0]?.status;

  it("is left out when ACTION_REDIS_URL is not set", () => {
    expect(checkActionRedisUrl({})).toEqual([]);
    expect(checkActionRedisUrl({ ACTION_REDIS_URL: " " })).toEqual([]);
  });

  it.each([
    `redis://:${PASSWORD}@redis.example.com:6379`,
    `redis://surecloud-action:${PASSWORD}@203.0.113.10:6379/0`,
    "redis://10.0.0.5:6379",
    "redis://[2001:db8::1]:6379",
    "redis://127.1:6379",
  ])("warns for plain redis:// to a host that is not loopback (%s)", (url) => {
    const [row] = checkActionRedisUrl({ ACTION_REDIS_URL: url });
    expect(row).toMatchObject({ tenant: null, check: "action-redis", status: "warn" });
    expect(row?.detail).toMatch(
      /^ACTION_REDIS_URL redis:\/\/.* is plain redis:\/\/ .* use rediss:\/\/ \(TLS\)$/,
    );
    expect(row?.detail).not.toContain(PASSWORD);
  });

  it.each([
    `rediss://:${PASSWORD}@redis.example.com:6380`,
    `redis://:${PASSWORD}@127.0.0.1:6379`,
    "redis://127.8.9.10",
    "redis://localhost:6379",
    "redis://[::1]:6379",
  ])("is ok for TLS, or for plain redis:// on loopback (%s)", (url) => {
    expect(statusOf(url)).toBe("ok");
    expect(JSON.stringify(checkActionRedisUrl({ ACTION_REDIS_URL: url }))).not.toContain(PASSWORD);
  });

  it.each([
    `redis://:${PASSWORD}@redis.example.com:99999`,
    `redis://:${PASSWORD}@[::1`,
    "https://redis.example.com",
  ])("fails for a URL the Action cannot use (%s), without the password", (url) => {
    const [row] = checkActionRedisUrl({ ACTION_REDIS_URL: url });
    expect(row?.status).toBe("fail");
    expect(row?.detail).toMatch(/^ACTION_REDIS_URL (is not a valid URL|must be a redis)/);
    expect(row?.detail).not.toContain(PASSWORD);
  });
});

describe("surecloud-sync check-config with ACTION_REDIS_URL", () => {
  let emulator: Emulator;
  let tenants: Awaited<ReturnType<typeof writeTenantsFile>>;

  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ id: "acme", token, groups: [...catalogue] }] });
    tenants = await writeTenantsFile([
      { id: "acme", connection: "acme-entra", baseUrl: emulator.baseUrlFor("acme") },
    ]);
  });
  afterAll(async () => {
    await tenants?.remove();
    await emulator?.close();
  });

  const run = (actionRedisUrl: string, json = false) =>
    cli(["check-config", ...(json ? ["--json"] : [])], {
      TENANTS_FILE: tenants.path,
      SURECLOUD_TOKEN_ACME: token,
      ACTION_REDIS_URL: actionRedisUrl,
    });

  it("checks a cluster's seed nodes or a sentinel group as the Action reads them, naming the ACTION_ variable", () => {
    const cluster = {
      ACTION_REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2:7000",
      ACTION_REDIS_PASSWORD: PASSWORD,
    };
    const [plain] = checkActionRedisUrl(cluster);
    expect(plain).toMatchObject({ check: "action-redis", status: "warn" });
    expect(plain?.detail).toMatch(/without TLS.*set ACTION_REDIS_TLS=true$/);
    expect(checkActionRedisUrl({ ...cluster, ACTION_REDIS_TLS: "true" })[0]?.status).toBe("ok");
    const sentinel = { ACTION_REDIS_SENTINELS: "127.0.0.1:26379", ACTION_REDIS_SENTINEL_NAME: "mymaster" };
    expect(checkActionRedisUrl(sentinel)[0]?.status).toBe("ok");
    const [noName] = checkActionRedisUrl({ ACTION_REDIS_SENTINELS: "10.0.0.9:26379" });
    expect(noName).toMatchObject({ status: "fail" });
    expect(noName?.detail).toMatch(/^ACTION_REDIS_SENTINEL_NAME: /);
    const [bad] = checkActionRedisUrl({ ACTION_REDIS_CLUSTER_NODES: "10.0.0.1:99999" });
    expect(bad).toMatchObject({ status: "fail" });
    expect(bad?.detail).toMatch(/^ACTION_REDIS_CLUSTER_NODES: /);
    for (const row of [plain, noName, bad]) expect(row?.detail).not.toContain(PASSWORD);
  });

  it("passes with a warning for plain redis:// across the network, and prints no password", async () => {
    const text = await run(`redis://surecloud-action:${PASSWORD}@redis.example.com:6379`);

    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^-\s+action-redis\s+WARN\s+ACTION_REDIS_URL redis:\/\/surecloud-action:\*\*\*@/m,
    );
    expect(text.stdout).toContain("All checks passed, with 1 warning(s).");
    expect(text.stdout + text.stderr).not.toContain(PASSWORD);
  });

  it("fails the run for a URL the Action would refuse", async () => {
    const json = await run(`redis://:${PASSWORD}@redis.example.com:99999`, true);

    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks).toContainEqual(expect.objectContaining({ check: "action-redis", status: "fail" }));
    expect(json.stdout).not.toContain(PASSWORD);
  });
});
