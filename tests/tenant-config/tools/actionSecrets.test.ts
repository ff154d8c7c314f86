// The Action's secrets as a deploy prepares them, before any call: one per secret the Action reads
// (shared/actionSecrets.ts), each from ACTION_<NAME> and only when set, and Redis settings the Action
// would refuse stopped here, naming the ACTION_ variable and never quoting a password.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actionSecretNames } from "../../../shared/actionSecrets.js";
import { ConfigError } from "../../../shared/errors.js";
import {
  defaultPaths,
  prepareDeploy,
  type TenantConfigPaths,
} from "../../../tenant-config/tools/deployInputs.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PASSWORD = "cluster-pw-7f3a9";
const SENTINEL_PASSWORD = "sentinel-pw-c41e";
const env: NodeJS.ProcessEnv = {
  AUTH0_DOMAIN: "surecloud-test.eu.auth0.com",
  AUTH0_CLIENT_ID: "deploy-client",
  AUTH0_CLIENT_SECRET: "deploy-client-secret",
  ACME_ENTRA_CLIENT_ID: "acme-app-id",
  ACME_ENTRA_CLIENT_SECRET: "acme-app-secret",
};
const cluster: NodeJS.ProcessEnv = {
  ACTION_REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2:7000",
  ACTION_REDIS_USERNAME: "surecloud-action",
  ACTION_REDIS_PASSWORD: PASSWORD,
  ACTION_REDIS_TLS: "true",
};
const sentinel: NodeJS.ProcessEnv = {
  ACTION_REDIS_SENTINELS: "s1.example.net:26379,s2.example.net:26379",
  ACTION_REDIS_SENTINEL_NAME: "queue-master",
  ACTION_REDIS_PASSWORD: PASSWORD,
  ACTION_REDIS_SENTINEL_USERNAME: "sentinel-user",
  ACTION_REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
  ACTION_DIRECTIVE_ATTRIBUTE: "app_metadata.directive",
  ACTION_ROLES_ATTRIBUTE: "app_metadata.entra_roles",
};

let dir: string;
let paths: TenantConfigPaths;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "action-secrets-"));
  const bundle = join(dir, "bundle.js");
  await writeFile(bundle, "exports.onExecuteEventStream = async () => {};\n");
  paths = { ...defaultPaths(root), actionBundle: bundle, stagingDir: join(dir, "staged") };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The Action's secrets list a deploy with these variables would send. */
async function secretsOf(overrides: NodeJS.ProcessEnv): Promise<{ name: string; value: string }[]> {
  const prepared = await prepareDeploy(paths, { ...env, ...overrides });
  return (prepared.config.AUTH0_KEYWORD_REPLACE_MAPPINGS as Record<string, unknown>).ACTION_SECRETS as {
    name: string;
    value: string;
  }[];
}

const namesOf = (secrets: { name: string }[]) =>
  secrets.map((secret) => secret.name).filter((name) => !name.startsWith("SECRETS_FINGERPRINT_"));

async function refusal(overrides: NodeJS.ProcessEnv): Promise<string> {
  const error = await prepareDeploy(paths, { ...env, ...overrides }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

describe("the Action's secrets in a deploy", () => {
  it("carries a cluster's settings, and only the secrets that are set", async () => {
    const secrets = await secretsOf(cluster);
    expect(secrets.slice(0, -1)).toEqual([
      { name: "REDIS_CLUSTER_NODES", value: "10.0.0.1:7000,10.0.0.2:7000" },
      { name: "REDIS_USERNAME", value: "surecloud-action" },
      { name: "REDIS_PASSWORD", value: PASSWORD },
      { name: "REDIS_TLS", value: "true" },
      { name: "QUEUE_NAME", value: "surecloud-group-sync" },
      { name: "CONNECTIONS", value: "acme-entra" },
    ]);
    expect(secrets.at(-1)?.name).toMatch(/^SECRETS_FINGERPRINT_[0-9a-f]{16}$/);
  });

  it("can set every secret the Action reads, and no other, from ACTION_<NAME>", async () => {
    const url = { ACTION_REDIS_URL: "rediss://sync:pw@redis.example.net:6380" };
    const written = new Set([
      ...namesOf(await secretsOf(url)),
      ...namesOf(await secretsOf(cluster)),
      ...namesOf(await secretsOf(sentinel)),
    ]);
    expect([...written].sort()).toEqual([...actionSecretNames].sort());
  });

  it("keeps a value with quotes and backslashes as written (the list is pasted as JSON)", async () => {
    const awkward = 'p"w\\d$&';
    const secrets = await secretsOf({ ...cluster, ACTION_REDIS_PASSWORD: awkward });
    expect(secrets).toContainEqual({ name: "REDIS_PASSWORD", value: awkward });
  });

  it("renames the fingerprint when any one value changes, and only then", async () => {
    const fingerprint = async (overrides: NodeJS.ProcessEnv) => (await secretsOf(overrides)).at(-1)?.name;
    const first = await fingerprint(sentinel);
    expect(await fingerprint(sentinel)).toBe(first);
    for (const [name, value] of Object.entries({
      ACTION_REDIS_SENTINEL_PASSWORD: "rotated",
      ACTION_ROLES_ATTRIBUTE: "app_metadata.other_roles",
      ACTION_REDIS_SENTINELS: "s1.example.net:26379",
    })) {
      expect(await fingerprint({ ...sentinel, [name]: value }), name).not.toBe(first);
    }
  });
});

describe("Redis settings the Action would refuse", () => {
  it("stops a malformed cluster node list, naming the variable and cutting credentials", async () => {
    const message = await refusal({
      ...cluster,
      ACTION_REDIS_CLUSTER_NODES: "10.0.0.1:7000,admin:hunter2@10.0.0.2:99999",
    });
    expect(message).toMatch(
      /ACTION_REDIS_CLUSTER_NODES: entry 2 \("\*\*\*@10\.0\.0\.2:99999"\) must be host:port/,
    );
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain(PASSWORD);
  });

  it("stops two Redis forms at once, a sentinel group without its name, and a bad TLS flag", async () => {
    expect(await refusal({ ...cluster, ACTION_REDIS_URL: "rediss://a:b@redis:6380" })).toMatch(
      /ACTION_REDIS_CLUSTER_NODES: name one Redis/,
    );
    expect(await refusal({ ...sentinel, ACTION_REDIS_SENTINEL_NAME: " " })).toMatch(
      /ACTION_REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS/,
    );
    const tls = await refusal({ ...cluster, ACTION_REDIS_TLS: "maybe" });
    expect(tls).toMatch(/ACTION_REDIS_TLS: must be true or false/);
    expect(tls).not.toContain(PASSWORD);
  });

  it("stops a value deploy-cli would take for a keyword, without quoting it", async () => {
    const message = await refusal({ ...cluster, ACTION_REDIS_PASSWORD: "x##ACTION_QUEUE_NAME##y" });
    expect(message).toBe(
      "ACTION_REDIS_PASSWORD must not contain ##NAME## or @@NAME@@: deploy-cli would replace it",
    );
  });
});
