// What a tenant deploy checks and computes before its first API call: organisations as data, every
// missing value named at once, and refusals of configuration that would reach beyond what we own.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors.js";
import {
  defaultPaths,
  prepareDeploy,
  type TenantConfigPaths,
} from "../../../tenant-config/tools/deployInputs.js";
import type { DeployCliConnection } from "../../../tenant-config/tools/organisations.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const env: NodeJS.ProcessEnv = {
  AUTH0_DOMAIN: "surecloud-test.eu.auth0.com",
  AUTH0_CLIENT_ID: "deploy-client",
  AUTH0_CLIENT_SECRET: "deploy-client-secret",
  ACTION_REDIS_URL: "rediss://sync:s3cret@redis.example.net:6380",
  ACME_ENTRA_CLIENT_ID: "acme-app-id",
  ACME_ENTRA_CLIENT_SECRET: "acme-app-secret",
};

let dir: string;
let paths: TenantConfigPaths;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deploy-inputs-"));
  const bundle = join(dir, "bundle.js");
  await writeFile(bundle, "exports.onExecuteEventStream = async () => {};\n");
  paths = { ...defaultPaths(root), actionBundle: bundle, stagingDir: join(dir, "staged") };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a variant of one of the repository's files and points the paths at it. */
async function variant(key: "organisationsFile" | "scimMappingFile" | "rcFile" | "tenantFile", text: string) {
  const file = join(dir, key);
  await writeFile(file, text);
  paths[key] = file;
}

/** The Action's secrets a deploy with these variables would write, by name. */
async function actionSecrets(overrides: NodeJS.ProcessEnv = {}): Promise<Record<string, string>> {
  const prepared = await prepareDeploy(paths, { ...env, ...overrides });
  const list = (prepared.config.AUTH0_KEYWORD_REPLACE_MAPPINGS as Record<string, unknown>).ACTION_SECRETS;
  return Object.fromEntries((list as { name: string; value: string }[]).map((s) => [s.name, s.value]));
}

async function refusal(overrides: NodeJS.ProcessEnv = {}): Promise<string> {
  const error = await prepareDeploy(paths, { ...env, ...overrides }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

describe("organisations as data", () => {
  it("renders one connection with inbound SCIM per entry, and the Action's allow-list from the same entries", async () => {
    await variant(
      "organisationsFile",
      `organisations:
  - connection: acme-entra
    options: { tenant_domain: acme.onmicrosoft.com, client_id: "##ACME_ENTRA_CLIENT_ID##", client_secret: "##ACME_ENTRA_CLIENT_SECRET##" }
  - connection: globex-saml
    displayName: Globex
    strategy: samlp
    options: { signInEndpoint: "https://login.microsoftonline.com/globex/saml2", signingCert: "##GLOBEX_CERT##" }
    enabledClients: [SureCloud]
`,
    );
    const prepared = await prepareDeploy(paths, { ...env, GLOBEX_CERT: 'MIIC"quoted"' });
    const mappings = prepared.config.AUTH0_KEYWORD_REPLACE_MAPPINGS as Record<string, unknown>;
    const connections = mappings.ORGANISATION_CONNECTIONS as DeployCliConnection[];
    const scim = (await import("yaml")).parse(readFileSync(paths.scimMappingFile, "utf8"));
    expect(connections).toEqual([
      {
        name: "acme-entra",
        strategy: "waad",
        options: {
          set_user_root_attributes: "on_first_login",
          tenant_domain: "acme.onmicrosoft.com",
          client_id: "acme-app-id",
          client_secret: "acme-app-secret",
        },
        scim_configuration: scim,
      },
      {
        name: "globex-saml",
        strategy: "samlp",
        display_name: "Globex",
        options: {
          set_user_root_attributes: "on_first_login",
          signInEndpoint: "https://login.microsoftonline.com/globex/saml2",
          signingCert: 'MIIC"quoted"',
        },
        enabled_clients: ["SureCloud"],
        scim_configuration: scim,
      },
    ]);
    expect(mappings.ACTION_SECRETS).toContainEqual({ name: "CONNECTIONS", value: "acme-entra,globex-saml" });
    expect(prepared.config.AUTH0_INCLUDED_CONNECTIONS).toEqual(["acme-entra", "globex-saml"]);
    expect(prepared.config.AUTH0_INCLUDED_ONLY).toEqual(["actions", "connections", "eventStreams"]);
    expect(prepared.config.AUTH0_ALLOW_DELETE).toBe(false);
    expect(
      await readFile(join(paths.stagingDir, "actions", "surecloud-group-sync", "code.js"), "utf8"),
    ).toContain("onExecuteEventStream");
  });

  it("refuses a repeated connection and an unknown strategy", async () => {
    await variant(
      "organisationsFile",
      "organisations:\n  - connection: acme-entra\n  - connection: ACME-entra\n",
    );
    expect(await refusal()).toMatch(/organisation "ACME-entra": connection: repeats "ACME-entra"/);
    await variant(
      "organisationsFile",
      "organisations:\n  - connection: acme-entra\n    strategy: google-apps\n",
    );
    expect(await refusal()).toMatch(
      /organisation "acme-entra": strategy: must be one of waad, samlp, oidc, okta/,
    );
  });
});

describe("values", () => {
  it("names every missing keyword and credential at once", async () => {
    const message = await refusal({
      ACTION_REDIS_URL: "",
      ACME_ENTRA_CLIENT_SECRET: undefined,
      AUTH0_CLIENT_SECRET: " ",
    });
    expect(message).toContain(
      "ACTION_REDIS_URL (the Action's Redis; or ACTION_REDIS_CLUSTER_NODES, or ACTION_REDIS_SENTINELS with ACTION_REDIS_SENTINEL_NAME)",
    );
    expect(message).toContain("ACME_ENTRA_CLIENT_SECRET (keyword in");
    expect(message).toContain("AUTH0_CLIENT_SECRET (Management API credentials)");
    expect(message).not.toContain("ACTION_QUEUE_NAME");
  });

  it("takes ACTION_QUEUE_NAME from .auth0rc.json unless the environment sets it", async () => {
    expect((await actionSecrets()).QUEUE_NAME).toBe("surecloud-group-sync");
    expect((await actionSecrets({ ACTION_QUEUE_NAME: "sync-eu" })).QUEUE_NAME).toBe("sync-eu");
  });

  it("fingerprints the secrets so that a changed value, and only that, renames the fingerprint", async () => {
    const fingerprint = async (overrides: NodeJS.ProcessEnv) => {
      const secrets = await actionSecrets(overrides);
      const name = Object.keys(secrets).find((secret) => secret.startsWith("SECRETS_FINGERPRINT_"));
      expect(name).toBe(`SECRETS_FINGERPRINT_${name && secrets[name]}`);
      return name && secrets[name];
    };
    const first = await fingerprint({});
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await fingerprint({})).toBe(first);
    expect(await fingerprint({ ACTION_REDIS_URL: "rediss://sync:other@redis.example.net:6380" })).not.toBe(
      first,
    );
    expect(await fingerprint({ ACTION_QUEUE_NAME: "sync-eu" })).not.toBe(first);
  });

  it("refuses a ##…## keyword value that would break tenant.yaml's quoting", async () => {
    await variant("tenantFile", `${readFileSync(paths.tenantFile, "utf8")}\n# "##ACTION_NOTE##"\n`);
    expect(await refusal({ ACTION_NOTE: 'a"b' })).toMatch(
      /ACTION_NOTE \(keyword in .*\) must not contain a double quote, backslash or line break/,
    );
  });

  it("refuses an AUTH0_DOMAIN with a scheme", async () => {
    expect(await refusal({ AUTH0_DOMAIN: "https://surecloud-test.eu.auth0.com" })).toContain(
      "AUTH0_DOMAIN must be a host name",
    );
  });
});

describe("what a deploy may touch", () => {
  it("refuses an .auth0rc.json that allows deletes, adds a resource type, or adds a setting", async () => {
    const rc = JSON.parse(readFileSync(paths.rcFile, "utf8"));
    await variant("rcFile", JSON.stringify({ ...rc, AUTH0_ALLOW_DELETE: true }));
    expect(await refusal()).toContain("AUTH0_ALLOW_DELETE: must be false");
    await variant("rcFile", JSON.stringify({ ...rc, AUTH0_INCLUDED_ONLY: ["actions", "clients"] }));
    expect(await refusal()).toContain(
      "AUTH0_INCLUDED_ONLY.1: may list only actions, connections and eventStreams",
    );
    await variant("rcFile", JSON.stringify({ ...rc, AUTH0_EXCLUDED_CONNECTIONS: [] }));
    expect(await refusal()).toMatch(/AUTH0_EXCLUDED_CONNECTIONS: unknown setting/);
  });

  it("refuses an Action pinned to a dependency version the project does not test", async () => {
    const tenant = readFileSync(paths.tenantFile, "utf8");
    await variant("tenantFile", tenant.replace("version: 6.7.0", "version: 6.6.0"));
    expect(await refusal()).toMatch(/pins bullmq 6\.6\.0, but the project tests 6\.7\.0/);
  });

  it("refuses a SCIM mapping without userType or roles, or with Entra's manager", async () => {
    const scim = readFileSync(paths.scimMappingFile, "utf8");
    await variant(
      "scimMappingFile",
      scim.replace(
        "{ scim: userType, auth0: app_metadata.user_type }",
        "{ scim: userType, auth0: app_metadata.kind }",
      ),
    );
    expect(await refusal()).toContain("must map userType to app_metadata.user_type");
    await variant("scimMappingFile", scim.replace("  - { scim: roles, auth0: app_metadata.roles }\n", ""));
    expect(await refusal()).toContain("must map roles to app_metadata.roles");
    await variant(
      "scimMappingFile",
      `${scim}  - { scim: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", auth0: app_metadata.manager }\n`,
    );
    expect(await refusal()).toMatch(
      /must not map "urn:.*:manager": Entra's manager reference breaks its incremental cycles/,
    );
  });
});
