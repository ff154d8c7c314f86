// The real auth0-deploy-cli, driven by `tenant-deploy`'s code on tenant-config/, against a faked Auth0
// Management API that already holds someone else's connection, Action and event stream: what a first
// deploy writes, that a second one writes nothing, and that a missing keyword stops it before any call.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../../../shared/errors.js";
import {
  defaultPaths,
  prepareDeploy,
  type TenantConfigPaths,
} from "../../../tenant-config/tools/deployInputs.js";
import { runTenantCli as runCli } from "../../../tenant-config/tools/main.js";
import { runDeployCli } from "../../../tenant-config/tools/tenantDeploy.js";
import type { CliIo } from "../../../toolbox/cli/command.js";
import { loadDeployCliForTests } from "./deployCliForTests.js";
import { type FakeAuth0, fakeAuth0, type RecordedRequest, sharedTenant } from "./fakeAuth0.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const DOMAIN = "surecloud-test.eu.auth0.com";
const REDIS_URL = "rediss://sync:s3cret@redis.example.net:6380";

const env: NodeJS.ProcessEnv = {
  AUTH0_DOMAIN: DOMAIN,
  AUTH0_CLIENT_ID: "deploy-client",
  AUTH0_CLIENT_SECRET: "deploy-client-secret",
  ACTION_REDIS_URL: REDIS_URL,
  ACME_ENTRA_CLIENT_ID: "acme-app-id",
  ACME_ENTRA_CLIENT_SECRET: "acme-app-secret",
};

/**
 * Every path a deploy may use: the three owned resource types, plus `clients`, which deploy-cli reads
 * (never writes) to turn application names into ids.
 */
const allowedPaths = [
  /^\/oauth\/token$/,
  /^\/api\/v2\/clients$/,
  /^\/api\/v2\/connections(\/con_\w+(\/(clients|scim-configuration))?)?$/,
  /^\/api\/v2\/connections-directory-provisionings$/,
  /^\/api\/v2\/actions\/modules$/,
  /^\/api\/v2\/actions\/actions(\/act_\w+(\/deploy)?)?$/,
  /^\/api\/v2\/event-streams(\/est_\w+)?$/,
];

/**
 * Sized for a slow, shared CI machine, not for speed. After loadDeployCliForTests a deploy costs about
 * 1-2 s of CPU, plus pauses deploy-cli takes to pace the real Management API (8 requests a second,
 * 2.5 s after creating a connection): ~5 s for the longest test on an idle 2-core machine. A busy
 * machine at a quarter of that speed still finishes well inside 60 s.
 */
const DEPLOY_TEST_TIMEOUT_MS = 60_000;
/** The one-time costs: building the Action bundle when dist/ lacks it (up to 60 s), loading deploy-cli. */
const SETUP_TIMEOUT_MS = 180_000;

let paths: TenantConfigPaths;
let bundle: string;
const state = sharedTenant();
let fake: FakeAuth0;
/** The deploy a test started. One that outlives its test (a timeout) must not run into the next. */
let unfinished: Promise<unknown> | undefined;

beforeAll(async () => {
  const defaults = defaultPaths(root);
  if (!existsSync(defaults.actionBundle)) {
    execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--action-only"], {
      cwd: root,
      timeout: 60_000,
    });
  }
  bundle = readFileSync(defaults.actionBundle, "utf8");
  paths = { ...defaults, stagingDir: await mkdtemp(join(tmpdir(), "tenant-config-")) };
  // deploy-cli's module load is paid here once, so no test carries it.
  loadDeployCliForTests();
  nock.disableNetConnect();
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  // Each test builds on the tenant the one before left. A test that timed out leaves its deploy
  // running: let it end against the fake, so one slow test fails alone rather than the next ones too.
  await unfinished?.catch(() => undefined);
  unfinished = undefined;
  nock.cleanAll();
}, DEPLOY_TEST_TIMEOUT_MS);

afterAll(async () => {
  nock.enableNetConnect();
  await rm(paths.stagingDir, { recursive: true, force: true });
});

async function deploy(mode: "apply" | "preview", overrides: NodeJS.ProcessEnv = {}) {
  fake = fakeAuth0(DOMAIN, state);
  const run = prepareDeploy(paths, { ...env, ...overrides }).then((prepared) => runDeployCli(prepared, mode));
  unfinished = run;
  const report = await run;
  fake.done();
  nock.cleanAll();
  expect(fake.unexpected).toEqual([]);
  for (const request of fake.requests) {
    expect(
      allowedPaths.some((pattern) => pattern.test(request.path)),
      request.path,
    ).toBe(true);
  }
  expect(fake.writes().filter((request) => request.path.startsWith("/api/v2/clients"))).toEqual([]);
  return report;
}

function written(method: string, path: RegExp): RecordedRequest[] {
  return fake.writes().filter((request) => request.method === method && path.test(request.path));
}

/** The body of the one write matching; fails the test when there is not exactly one. */
function bodyOf<T>(method: string, path: RegExp): T {
  const matching = written(method, path);
  expect(matching, `${method} ${path}`).toHaveLength(1);
  return matching[0]?.body as T;
}

describe("tenant deploy", { timeout: DEPLOY_TEST_TIMEOUT_MS }, () => {
  it("stops before any request when a keyword has no value, and names it", async () => {
    fake = fakeAuth0(DOMAIN, state);
    const { ACTION_REDIS_URL: _unset, ...withoutRedis } = env;
    const attempt = prepareDeploy(paths, withoutRedis).then((prepared) => runDeployCli(prepared, "apply"));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      /ACTION_REDIS_URL \(the Action's Redis; or ACTION_REDIS_CLUSTER_NODES/,
    );
    fake.stop();
    expect(fake.requests).toEqual([]);
    expect(fake.unexpected).toEqual([]);
  });

  it("creates the Action from the bundle, the organisation's SCIM connection and the event stream", async () => {
    await deploy("apply");
    const writes = fake.writes();

    const action = bodyOf<Record<string, unknown>>("POST", /^\/api\/v2\/actions\/actions$/);
    expect(action.name).toBe("surecloud-group-sync");
    expect(action.code).toBe(bundle);
    expect(action.runtime).toBe("node22");
    expect(action.supported_triggers).toEqual([{ id: "event-stream", version: "v1" }]);
    const lock = JSON.parse(readFileSync(paths.lockFile, "utf8"));
    expect(action.dependencies).toEqual([
      { name: "bullmq", version: lock.packages["node_modules/bullmq"].version },
      { name: "ioredis", version: lock.packages["node_modules/ioredis"].version },
    ]);
    const secrets = action.secrets as { name: string; value: string }[];
    expect(secrets.slice(0, 3)).toEqual([
      { name: "REDIS_URL", value: REDIS_URL },
      { name: "QUEUE_NAME", value: "surecloud-group-sync" },
      { name: "CONNECTIONS", value: "acme-entra" },
    ]);
    expect(secrets[3]?.name).toMatch(/^SECRETS_FINGERPRINT_[0-9a-f]{16}$/);
    expect(secrets).toHaveLength(4);
    const actionId = state.actions.find((candidate) => candidate.name === "surecloud-group-sync")
      ?.id as string;
    expect(written("POST", new RegExp(`^/api/v2/actions/actions/${actionId}/deploy$`))).toHaveLength(1);

    expect(bodyOf("POST", /^\/api\/v2\/connections$/)).toMatchObject({
      name: "acme-entra",
      strategy: "waad",
      options: { tenant_domain: "acme.onmicrosoft.com", client_secret: "acme-app-secret" },
    });
    const connectionId = state.connections.find((candidate) => candidate.name === "acme-entra")?.id as string;
    const scimBody = bodyOf<{ mapping: { scim: string; auth0: string }[]; user_id_attribute: string }>(
      "POST",
      new RegExp(`^/api/v2/connections/${connectionId}/scim-configuration$`),
    );
    expect(scimBody.mapping).toContainEqual({ scim: "userType", auth0: "app_metadata.user_type" });
    expect(scimBody.mapping.filter((item) => /manager/i.test(item.scim))).toEqual([]);
    expect(scimBody).toEqual(parseYaml(readFileSync(paths.scimMappingFile, "utf8")));

    const stream = bodyOf<{ subscriptions: { event_type: string }[] }>("POST", /^\/api\/v2\/event-streams$/);
    expect(stream).toMatchObject({
      name: "surecloud-group-sync",
      destination: { type: "action", configuration: { action_id: actionId } },
    });
    expect(stream.subscriptions.map((subscription) => subscription.event_type)).toEqual([
      "user.created",
      "user.updated",
      "user.deleted",
    ]);

    expect(writes.map((request) => `${request.method} ${request.path}`).sort()).toEqual(
      [
        "POST /api/v2/actions/actions",
        `POST /api/v2/actions/actions/${actionId}/deploy`,
        "POST /api/v2/connections",
        `POST /api/v2/connections/${connectionId}/scim-configuration`,
        "POST /api/v2/event-streams",
      ].sort(),
    );
    expect(state.actions.find((candidate) => candidate.id === "act_other")).toEqual(
      sharedTenant().actions[0],
    );
  });

  it("writes nothing when the tenant already matches", async () => {
    await deploy("apply");
    expect(fake.writes()).toEqual([]);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it("previews a changed secret without writing, then rewrites and redeploys only the Action", async () => {
    const rotated = { ACTION_REDIS_URL: "rediss://sync:n3w@redis.example.net:6380" };
    const preview = await deploy("preview", rotated);
    expect(fake.writes()).toEqual([]);
    expect(preview.changedFields.join("\n")).toMatch(/^actions surecloud-group-sync\.secrets/m);
    expect(preview.changedFields.join("\n")).not.toContain("n3w");

    await deploy("apply", rotated);
    const actionId = state.actions.find((candidate) => candidate.name === "surecloud-group-sync")
      ?.id as string;
    expect(fake.writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `PATCH /api/v2/actions/actions/${actionId}`,
      `POST /api/v2/actions/actions/${actionId}/deploy`,
    ]);
    const { secrets } = bodyOf<{ secrets: { name: string; value: string }[] }>("PATCH", /actions\/act_\w+$/);
    expect(secrets[0]).toEqual({ name: "REDIS_URL", value: rotated.ACTION_REDIS_URL });
  });

  it("runs as `surecloud-sync tenant-diff`, reporting a tenant that matches without writing", async () => {
    fake = fakeAuth0(DOMAIN, state);
    const stdout: string[] = [];
    const io: CliIo = {
      out: (line) => stdout.push(line),
      err: (line) => stdout.push(line),
      env: { ...env, ACTION_REDIS_URL: "rediss://sync:n3w@redis.example.net:6380" },
    };
    const run = runCli(["tenant-diff"], io);
    unfinished = run;
    expect(await run).toBe(0);
    fake.done();
    nock.cleanAll();
    expect(fake.writes()).toEqual([]);
    expect(fake.unexpected).toEqual([]);
    expect(stdout.join("\n")).toContain("No field of an existing resource differs.");
    expect(stdout.join("\n")).toContain("Organisation connections: acme-entra.");
  });
});
