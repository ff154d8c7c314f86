// `surecloud-sync scim-token` against a faked Management API: the calls it makes, and that it prints
// the endpoint URL and the token once, and never the deploy client's secret.
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors.js";
import { runTenantCli as runCli } from "../../../tenant-config/tools/main.js";
import type { CliIo } from "../../../toolbox/cli/command.js";

const DOMAIN = "surecloud-test.eu.auth0.com";
const env = { AUTH0_DOMAIN: DOMAIN, AUTH0_CLIENT_ID: "ops-client", AUTH0_CLIENT_SECRET: "ops-client-secret" };
const TOKEN = "tok_D5KL3ePbEDaJRIef.1eeebcb302fd8bb875adde183bf96edbe5eeddea5bc757d3e408b9b381501e7f";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), env };
}

function management() {
  return nock(`https://${DOMAIN}`)
    .post(
      "/oauth/token",
      (body) => body.client_id === "ops-client" && body.audience === `https://${DOMAIN}/api/v2/`,
    )
    .reply(200, { access_token: "management-token", token_type: "Bearer", expires_in: 86400 });
}

const unmatched: string[] = [];
const onNoMatch = (request: { method?: string; url?: string }) =>
  unmatched.push(`${request.method} ${request.url}`);

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on("no match", onNoMatch);
});

afterEach(() => {
  nock.cleanAll();
  const seen = unmatched.splice(0);
  expect(seen).toEqual([]);
});

afterAll(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.enableNetConnect();
});

describe("surecloud-sync scim-token", () => {
  it("finds the connection, checks SCIM is on, creates one token and prints it with the Tenant URL", async () => {
    let tokenRequest: unknown;
    const scope = management()
      .get("/api/v2/connections")
      .query({ name: "acme-entra", take: "1", fields: "id,name,strategy", include_totals: "true" })
      .matchHeader("authorization", "Bearer management-token")
      .reply(200, { connections: [{ id: "con_JHDIqSe2jfa4a8pK", name: "acme-entra", strategy: "waad" }] })
      .get("/api/v2/connections/con_JHDIqSe2jfa4a8pK/scim-configuration")
      .reply(200, { connection_id: "con_JHDIqSe2jfa4a8pK", user_id_attribute: "externalId", mapping: [] })
      .post("/api/v2/connections/con_JHDIqSe2jfa4a8pK/scim-configuration/tokens", (body) => {
        tokenRequest = body;
        return true;
      })
      .reply(201, {
        token_id: "tok_D5KL3ePbEDaJRIef",
        token: TOKEN,
        scopes: ["get:users"],
        created_at: "2026-11-28T00:00:00Z",
      });

    const io = capture();
    expect(await runCli(["scim-token", "--connection", "acme-entra"], io)).toBe(0);
    scope.done();
    expect(tokenRequest).toEqual({});
    const printed = io.stdout.join("\n");
    expect(printed).toContain(
      `Tenant URL:     https://${DOMAIN}/scim/v2/connections/con_JHDIqSe2jfa4a8pK/?aadOptscim062020`,
    );
    expect(printed).toContain(`Secret Token:   ${TOKEN}`);
    expect(printed).toContain("Expires:        never");
    expect(printed.split(TOKEN)).toHaveLength(2);
    expect(`${printed}\n${io.stderr.join("\n")}`).not.toContain("ops-client-secret");
  });

  it("asks Auth0 for the lifetime given, and refuses one Auth0 would refuse before any call", async () => {
    const scope = management()
      .get("/api/v2/connections")
      .query(true)
      .reply(200, { connections: [{ id: "con_1", name: "acme-entra", strategy: "waad" }] })
      .get("/api/v2/connections/con_1/scim-configuration")
      .reply(200, { connection_id: "con_1", user_id_attribute: "externalId", mapping: [] })
      .post("/api/v2/connections/con_1/scim-configuration/tokens", { token_lifetime: 31536000 })
      .reply(201, { token_id: "tok_1", token: "tok_1.secret", valid_until: "2027-11-28T00:00:00Z" });
    const io = capture();
    expect(await runCli(["scim-token", "--connection", "acme-entra", "--lifetime", "31536000"], io)).toBe(0);
    scope.done();
    expect(io.stdout.join("\n")).toContain("Expires:        2027-11-28T00:00:00Z");

    await expect(
      runCli(["scim-token", "--connection", "acme-entra", "--lifetime", "60"], capture()),
    ).rejects.toThrow("the token lifetime must be at least 900 seconds");
  });

  it("says to deploy first when the connection is missing or has no inbound SCIM", async () => {
    management().get("/api/v2/connections").query(true).reply(200, { connections: [] });
    await expect(runCli(["scim-token", "--connection", "globex-entra"], capture())).rejects.toThrow(
      `no connection named "globex-entra" in ${DOMAIN}; run npm run tenant:deploy first`,
    );
    management()
      .get("/api/v2/connections")
      .query(true)
      .reply(200, { connections: [{ id: "con_2", name: "globex-entra", strategy: "waad" }] })
      .get("/api/v2/connections/con_2/scim-configuration")
      .reply(404, { statusCode: 404, error: "Not Found", message: "Not Found" });
    const attempt = runCli(["scim-token", "--connection", "globex-entra"], capture());
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow('connection "globex-entra" has no inbound SCIM');
  });

  it("names missing credentials, and needs --connection", async () => {
    const io = { ...capture(), env: { AUTH0_DOMAIN: DOMAIN } };
    await expect(runCli(["scim-token", "--connection", "acme-entra"], io)).rejects.toThrow(
      "Set AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (the Management API credentials)",
    );
    const usage = capture();
    expect(await runCli(["scim-token"], usage)).toBe(2);
    expect(usage.stderr[0]).toContain("--connection is required.");
  });
});
