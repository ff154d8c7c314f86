// A tenant deploy that Auth0 interrupted, re-run: the real auth0-deploy-cli, driven by tenant-deploy's
// code, against the faked Management API. The re-run must leave the Action deployed as staged and the
// stream bound to it, tenant-diff must show an Action that is not, and a write Auth0 refuses (which
// deploy-cli only logs) must fail the deploy, naming what was refused.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runTenantCli } from "../../../tenant-config/tools/main.js";
import type { CliIo } from "../../../toolbox/cli/command.js";
import { type DeployHarness, makeDeployHarness } from "./deployHarness.js";
import { type FakeAuth0, fakeAuth0, type RecordedRequest, sharedTenant } from "./fakeAuth0.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const DOMAIN = "surecloud-converge-test.eu.auth0.com";
const ACTION = "surecloud-group-sync";
const env: NodeJS.ProcessEnv = {
  AUTH0_DOMAIN: DOMAIN,
  AUTH0_CLIENT_ID: "deploy-client",
  AUTH0_CLIENT_SECRET: "deploy-client-secret",
  ACTION_REDIS_URL: "rediss://sync:s3cret@redis.example.net:6380",
  ACME_ENTRA_CLIENT_ID: "acme-app-id",
  ACME_ENTRA_CLIENT_SECRET: "acme-app-secret",
};

/** As deploy.test.ts: deploy-cli paces the real Management API, and CI machines are slow and shared. */
const DEPLOY_TEST_TIMEOUT_MS = 90_000;
/** Building the bundle when dist/ lacks it, loading deploy-cli and its first run (~25 s when loaded). */
const SETUP_TIMEOUT_MS = 240_000;
const deployCall = /^\/api\/v2\/actions\/actions\/[^/]+\/deploy$/;

/** The Management API scope of each call a deploy makes (Auth0's API reference), ids as `{id}`. */
const scopeOfCall: Record<string, string> = {
  "GET /api/v2/clients": "read:clients",
  "GET /api/v2/connections": "read:connections",
  "GET /api/v2/connections/{id}": "read:connections",
  "GET /api/v2/connections/{id}/clients": "read:connections",
  "POST /api/v2/connections": "create:connections",
  "PATCH /api/v2/connections/{id}": "update:connections",
  "PATCH /api/v2/connections/{id}/clients": "update:connections",
  "GET /api/v2/connections-directory-provisionings": "read:directory_provisionings",
  "GET /api/v2/connections/{id}/scim-configuration": "read:scim_config",
  "POST /api/v2/connections/{id}/scim-configuration": "create:scim_config",
  "PATCH /api/v2/connections/{id}/scim-configuration": "update:scim_config",
  "GET /api/v2/actions/actions": "read:actions",
  "GET /api/v2/actions/modules": "read:actions",
  "POST /api/v2/actions/actions": "create:actions",
  "POST /api/v2/actions/actions/{id}/deploy": "create:actions",
  "PATCH /api/v2/actions/actions/{id}": "update:actions",
  "GET /api/v2/event-streams": "read:event_streams",
  "POST /api/v2/event-streams": "create:event_streams",
  "PATCH /api/v2/event-streams/{id}": "update:event_streams",
};
/** Every call a fake of this file answered, ids as `{id}`: the scope check reads it last. */
const calls = new Set<string>();
const record = (fake: FakeAuth0) => {
  for (const request of fake.requests)
    calls.add(`${request.method} ${request.path.replace(/\/(con|act|est)_\w+/g, "/{id}")}`);
};

const state = sharedTenant();
let harness: DeployHarness;
let bundle: string;
let scratch: string;
/** A CLI run a test started; one that outlives its test must not run into the next. */
let unfinished: Promise<unknown> | undefined;

beforeAll(async () => {
  const actionBundle = join(root, "dist", "actions", "group-sync.js");
  if (!existsSync(actionBundle)) {
    execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--action-only"], {
      cwd: root,
      timeout: 60_000,
    });
  }
  bundle = readFileSync(actionBundle, "utf8");
  scratch = await mkdtemp(join(tmpdir(), "deploy-converge-"));
  harness = await makeDeployHarness({ root, domain: DOMAIN, env, state });
  // deploy-cli's first run in a process is the slow one: pay it here, on a preview that writes nothing.
  await deploy("preview");
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  state.refusals = [];
  await unfinished?.catch(() => undefined);
  unfinished = undefined;
  await harness.settle();
}, DEPLOY_TEST_TIMEOUT_MS);

afterAll(async () => {
  await harness?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const action = () => state.actions.find((candidate) => candidate.name === ACTION) as Record<string, unknown>;
const deployedVersion = () => action().deployed_version as { code?: string; secrets?: { name: string }[] };
const writes = () =>
  harness
    .fake()
    .writes()
    .map((request) => `${request.method} ${request.path}`);

/** A whole deploy through the harness, its calls recorded. */
async function deploy(mode: "apply" | "preview", overrides: NodeJS.ProcessEnv = {}) {
  const report = await harness.deploy(mode, overrides);
  record(harness.fake());
  return report;
}

/** Refuses the Action's next deploy call once, as a Management API outage would. */
function refuseNextActionDeploy(): void {
  state.refusals = [{ method: "POST", path: deployCall, status: 400, message: "deploy refused", times: 1 }];
}

/** A deploy expected to fail: its error. Its interceptors are removed, so the next deploy gets a fresh fake. */
async function failedDeploy(overrides: NodeJS.ProcessEnv = {}): Promise<Error> {
  const error = await harness.deploy("apply", overrides).then(
    () => new Error("the deploy did not fail"),
    (failed: Error) => failed,
  );
  record(harness.fake());
  await harness.settle();
  return error;
}

/** Runs `surecloud-tenant <args>` against its own fake; returns its output, its fake and its result. */
async function cli(args: string[], overrides: NodeJS.ProcessEnv = {}) {
  const fake: FakeAuth0 = fakeAuth0(DOMAIN, state);
  const output: string[] = [];
  const io: CliIo = {
    out: (line) => output.push(line),
    err: (line) => output.push(line),
    env: { ...env, ...overrides },
  };
  const run = runTenantCli(args, io).then(
    (code) => ({ code, error: undefined }),
    (error: Error) => ({ code: undefined, error }),
  );
  unfinished = run;
  const result = await run;
  fake.stop();
  nock.cleanAll();
  record(fake);
  expect(fake.unexpected).toEqual([]);
  return { ...result, output: output.join("\n"), fake };
}

const requestLine = (request: RecordedRequest) => `${request.method} ${request.path}`;

describe("an interrupted tenant deploy, re-run", { timeout: DEPLOY_TEST_TIMEOUT_MS }, () => {
  it("deploys the Action Auth0 refused to deploy before binding the stream, then writes nothing", async () => {
    refuseNextActionDeploy();
    const first = await failedDeploy();
    expect(first.message).toContain(ACTION);
    expect(action().deployed_version).toBeUndefined();
    expect(state.eventStreams.some((stream) => stream.name === ACTION)).toBe(false);

    await deploy("apply");
    const id = action().id as string;
    const done = writes();
    expect(done).toContain(`POST /api/v2/actions/actions/${id}/deploy`);
    expect(done.indexOf(`POST /api/v2/actions/actions/${id}/deploy`)).toBeLessThan(
      done.indexOf("POST /api/v2/event-streams"),
    );
    expect(action().all_changes_deployed).toBe(true);
    expect(deployedVersion().code).toBe(bundle);
    const stream = state.eventStreams.find((candidate) => candidate.name === ACTION);
    expect(stream?.destination).toEqual({ type: "action", configuration: { action_id: id } });

    await deploy("apply");
    expect(writes()).toEqual([]);
  });

  it("shows in tenant-diff a rotated secret whose deploy was refused, and the re-run deploys it", async () => {
    const rotated = { ACTION_REDIS_URL: "rediss://sync:n3w@redis.example.net:6380" };
    const before = deployedVersion().secrets?.map((secret) => secret.name);
    refuseNextActionDeploy();
    await failedDeploy(rotated);
    expect(deployedVersion().secrets?.map((secret) => secret.name)).toEqual(before);

    const diff = await cli(["tenant-diff"], rotated);
    expect(diff.error).toBeUndefined();
    expect(diff.code).toBe(0);
    expect(diff.output).toMatch(new RegExp(`Action "${ACTION}".*secrets`));
    expect(diff.output).not.toContain("n3w");
    expect(diff.fake.writes()).toEqual([]);

    await deploy("apply", rotated);
    const id = action().id as string;
    expect(writes()).toEqual([`POST /api/v2/actions/actions/${id}/deploy`]);
    const names = deployedVersion().secrets?.map((secret) => secret.name);
    expect(names).not.toEqual(before);
    expect(names).toEqual((action().secrets as { name: string }[]).map((secret) => secret.name));

    const after = await cli(["tenant-diff"], rotated);
    expect(after.output).not.toMatch(/Action ".*" (has|is)|deployed version/);
  });

  it("fails, naming the connection and the application, when Auth0 refuses the enabled clients", async () => {
    const organisations = join(scratch, "organisations.yaml");
    const text = await readFile(join(root, "tenant-config", "organisations.yaml"), "utf8");
    await writeFile(organisations, `${text.trimEnd()}\n    enabledClients: [SureCloud Portal]\n`);

    const run = await cli(["tenant-deploy", "--organisations", organisations]);
    expect(run.code).toBeUndefined();
    const refused = run.fake.requests.filter((request) =>
      /\/connections\/con_\w+\/clients$/.test(request.path),
    );
    expect(refused.filter((request) => request.method === "PATCH").map(requestLine)).toHaveLength(1);
    expect(run.error?.message).toContain('"acme-entra"');
    expect(run.error?.message).toContain("SureCloud Portal");
    expect(run.output).not.toContain("Tenant deploy finished");
  });

  it("fails, naming the stream, when the stream delivers to another Action; tenant-diff lists it", async () => {
    const stream = state.eventStreams.find((candidate) => candidate.name === ACTION) as Record<
      string,
      unknown
    >;
    const bound = stream.destination;
    // As after the Action was deleted and created again in the Dashboard: the stream keeps the old id.
    stream.destination = { type: "action", configuration: { action_id: "act_deleted" } };
    try {
      const diff = await cli(["tenant-diff"]);
      expect(diff.output).toContain(`Event stream "${ACTION}" (${stream.id}) delivers to action act_deleted`);

      const error = await failedDeploy();
      expect(error.message).toContain(`Event stream "${ACTION}"`);
      expect(error.message).toContain("delete the stream");
    } finally {
      stream.destination = bound;
    }
  });

  it("makes only calls whose scope docs/operator.md lists for the deploy application", async () => {
    const operatorGuide = await readFile(join(root, "docs", "operator.md"), "utf8");
    const listed = /with these scopes:\s*\n\n([\s\S]*?)\n\n/.exec(operatorGuide)?.[1] ?? "";
    const documented = new Set([...listed.matchAll(/`([a-z_]+:[a-z_]+)`/g)].map((match) => match[1]));
    expect(calls.size).toBeGreaterThan(10);
    for (const call of calls) {
      const scope = scopeOfCall[call];
      expect(scope, `${call}: add its scope to scopeOfCall and to docs/operator.md`).toBeDefined();
      expect(documented.has(scope), `${call} needs ${scope}`).toBe(true);
    }
  });
});
