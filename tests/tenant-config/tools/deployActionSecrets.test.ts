// The Action's secrets through the real auth0-deploy-cli, against the faked Management API: a deploy
// sends exactly the secrets set as ACTION_<NAME> (a cluster's, a sentinel group's, ROLES_ATTRIBUTE),
// none of those left unset, renames the fingerprint when a value changes, drops a secret added by hand
// in Auth0 (deploy-cli rewrites the whole list), and stops a malformed node list before any request.
// No secret value reaches deploy-cli's output or the deploy's report.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../shared/errors.js";
import { type DeployHarness, makeDeployHarness } from "./deployHarness.js";
import { sharedTenant } from "./fakeAuth0.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const ACTION = "surecloud-group-sync";
const CLUSTER_PASSWORD = "cluster-pw-5d81e";
const ROTATED_PASSWORD = "cluster-pw-rotated-93b0";
const SENTINEL_PASSWORD = "sentinel-pw-0c6f2";
const URL_PASSWORD = "url-pw-a7e44";
const passwords = [CLUSTER_PASSWORD, ROTATED_PASSWORD, SENTINEL_PASSWORD, URL_PASSWORD];

/** No Redis here: each deploy names its own. */
const env: NodeJS.ProcessEnv = {
  AUTH0_DOMAIN: "surecloud-secrets-test.eu.auth0.com",
  AUTH0_CLIENT_ID: "deploy-client",
  AUTH0_CLIENT_SECRET: "deploy-client-secret",
  ACME_ENTRA_CLIENT_ID: "acme-app-id",
  ACME_ENTRA_CLIENT_SECRET: "acme-app-secret",
};
const cluster: NodeJS.ProcessEnv = {
  ACTION_REDIS_CLUSTER_NODES: "redis-0.example.net:6379,redis-1.example.net:6379",
  ACTION_REDIS_USERNAME: "surecloud-action",
  ACTION_REDIS_PASSWORD: CLUSTER_PASSWORD,
  ACTION_REDIS_TLS: "true",
};
const sentinel: NodeJS.ProcessEnv = {
  ACTION_REDIS_SENTINELS: "sentinel-0.example.net:26379,sentinel-1.example.net:26379",
  ACTION_REDIS_SENTINEL_NAME: "queue-master",
  ACTION_REDIS_PASSWORD: CLUSTER_PASSWORD,
  ACTION_REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
  ACTION_ROLES_ATTRIBUTE: "app_metadata.entra_roles",
};
const singleNode: NodeJS.ProcessEnv = {
  ACTION_REDIS_URL: `rediss://surecloud-action:${URL_PASSWORD}@redis.example.net:6380`,
};

/** As deploy.test.ts: deploy-cli paces the real Management API, and CI machines are slow and shared. */
const DEPLOY_TEST_TIMEOUT_MS = 90_000;

interface Secret {
  name: string;
  value: string;
}

const state = sharedTenant();
let harness: DeployHarness;
/** Everything this process wrote while the deploys ran: deploy-cli's log and its preview table. */
const output: string[] = [];

beforeAll(async () => {
  harness = await makeDeployHarness({ root, domain: String(env.AUTH0_DOMAIN), env, state });
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: never[]) => {
      output.push(String(chunk));
      return write(chunk as string, ...rest);
    }) as typeof stream.write);
  }
}, 240_000);
afterEach(() => harness.settle(), DEPLOY_TEST_TIMEOUT_MS);
afterAll(async () => {
  vi.restoreAllMocks();
  await harness.close();
});

/** The secrets of the one Action create or update the last deploy sent. */
function secretsSent(method: "POST" | "PATCH"): Secret[] {
  const path = method === "POST" ? /^\/api\/v2\/actions\/actions$/ : /^\/api\/v2\/actions\/actions\/act_\w+$/;
  const writes = harness
    .fake()
    .writes()
    .filter((request) => request.method === method && path.test(request.path));
  expect(writes, `${method} of the Action`).toHaveLength(1);
  return (writes[0]?.body as { secrets?: Secret[] } | undefined)?.secrets ?? [];
}

/** The secrets as sent, the fingerprint's name replaced by a placeholder; and that name. */
function split(secrets: Secret[]): { plain: Secret[]; fingerprint: string } {
  const fingerprint = secrets.at(-1);
  expect(fingerprint?.name).toBe(`SECRETS_FINGERPRINT_${fingerprint?.value}`);
  expect(fingerprint?.value).toMatch(/^[0-9a-f]{16}$/);
  return { plain: secrets.slice(0, -1), fingerprint: String(fingerprint?.name) };
}

const liveAction = () =>
  state.actions.find((action) => action.name === ACTION) as { id: string; secrets: { name: string }[] };
let firstFingerprint: string;

describe("the Action's secrets through deploy-cli", { timeout: DEPLOY_TEST_TIMEOUT_MS }, () => {
  it("stops a malformed ACTION_REDIS_CLUSTER_NODES before any request, naming it", async () => {
    const error = await harness.refusal({
      ...cluster,
      ACTION_REDIS_CLUSTER_NODES: "redis-0:6379,redis-1:http",
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/ACTION_REDIS_CLUSTER_NODES: entry 2 \("redis-1:http"\) must be host:port/);
    expect(error.message).not.toContain(CLUSTER_PASSWORD);
  });

  it("creates the Action with exactly a cluster's secrets", async () => {
    await harness.deploy("apply", cluster);
    const { plain, fingerprint } = split(secretsSent("POST"));
    expect(plain).toEqual([
      { name: "REDIS_CLUSTER_NODES", value: cluster.ACTION_REDIS_CLUSTER_NODES },
      { name: "REDIS_USERNAME", value: "surecloud-action" },
      { name: "REDIS_PASSWORD", value: CLUSTER_PASSWORD },
      { name: "REDIS_TLS", value: "true" },
      { name: "QUEUE_NAME", value: "surecloud-group-sync" },
      { name: "CONNECTIONS", value: "acme-entra" },
    ]);
    firstFingerprint = fingerprint;
    expect(
      harness
        .fake()
        .writes()
        .map((request) => `${request.method} ${request.path}`),
    ).toContain(`POST /api/v2/actions/actions/${liveAction().id}/deploy`);
  });

  it("writes nothing when deployed again with the same values", async () => {
    await harness.deploy("apply", cluster);
    expect(harness.fake().writes()).toEqual([]);
  });

  it("previews, then rewrites the secrets when one value changes: the fingerprint is renamed", async () => {
    const rotated = { ...cluster, ACTION_REDIS_PASSWORD: ROTATED_PASSWORD };
    const preview = await harness.deploy("preview", rotated);
    expect(harness.fake().writes()).toEqual([]);
    expect(preview.changedFields.join("\n")).toMatch(/^actions surecloud-group-sync\.secrets/m);

    await harness.deploy("apply", rotated);
    const { plain, fingerprint } = split(secretsSent("PATCH"));
    expect(plain).toContainEqual({ name: "REDIS_PASSWORD", value: ROTATED_PASSWORD });
    expect(fingerprint).not.toBe(firstFingerprint);
  });

  it("switches to a sentinel group with ROLES_ATTRIBUTE: the update carries exactly those", async () => {
    await harness.deploy("apply", sentinel);
    expect(split(secretsSent("PATCH")).plain).toEqual([
      { name: "REDIS_SENTINELS", value: sentinel.ACTION_REDIS_SENTINELS },
      { name: "REDIS_SENTINEL_NAME", value: "queue-master" },
      { name: "REDIS_PASSWORD", value: CLUSTER_PASSWORD },
      { name: "REDIS_SENTINEL_PASSWORD", value: SENTINEL_PASSWORD },
      { name: "QUEUE_NAME", value: "surecloud-group-sync" },
      { name: "CONNECTIONS", value: "acme-entra" },
      { name: "ROLES_ATTRIBUTE", value: "app_metadata.entra_roles" },
    ]);
  });

  it("sends none of the cluster, sentinel or roles secrets once they are unset", async () => {
    await harness.deploy("apply", singleNode);
    expect(split(secretsSent("PATCH")).plain).toEqual([
      { name: "REDIS_URL", value: singleNode.ACTION_REDIS_URL },
      { name: "QUEUE_NAME", value: "surecloud-group-sync" },
      { name: "CONNECTIONS", value: "acme-entra" },
    ]);
  });

  it("drops a secret added by hand in Auth0: deploy-cli rewrites the Action's whole list", async () => {
    liveAction().secrets.push({ name: "REDIS_SENTINELS" });
    const preview = await harness.deploy("preview", singleNode);
    expect(preview.changedFields.join("\n")).toMatch(/^actions surecloud-group-sync\.secrets/m);

    await harness.deploy("apply", singleNode);
    expect(split(secretsSent("PATCH")).plain.map((secret) => secret.name)).toEqual([
      "REDIS_URL",
      "QUEUE_NAME",
      "CONNECTIONS",
    ]);
    expect(liveAction().secrets.map((secret) => secret.name)).not.toContain("REDIS_SENTINELS");
  });

  it("never wrote a secret value to its output", () => {
    const written = output.join("");
    expect(written).toContain("surecloud-group-sync");
    for (const password of passwords) expect(written).not.toContain(password);
  });
});
