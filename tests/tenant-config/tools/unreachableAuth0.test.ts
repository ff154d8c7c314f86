// When Auth0 cannot be reached, each command that calls it says so, naming Auth0 and the host, instead
// of the SDKs' `fetch failed`; and `resync --dry-run` prints its error alone, naming the host, not a
// `users: 0` first.
import { describe, expect, it } from "vitest";
import { runTenantCli } from "../../../tenant-config/tools/main.js";
import type { CliIo } from "../../../toolbox/cli/command.js";
import { cli, writeTenantsFile } from "../../toolbox/cli/cliHarness.js";

// `.invalid` never resolves (RFC 2606): the real failure, with no fake in between.
const DOMAIN = "auth0.nowhere.invalid";
const credentials = { AUTH0_DOMAIN: DOMAIN, AUTH0_CLIENT_ID: "client", AUTH0_CLIENT_SECRET: "secret" };
const unreachable =
  /^cannot reach Auth0 at auth0\.nowhere\.invalid: getaddrinfo (ENOTFOUND|EAI_AGAIN) auth0\.nowhere\.invalid$/;

async function tenantCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const io: CliIo = { out: () => undefined, err: () => undefined, env };
  try {
    await runTenantCli(args, io);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the command did not fail");
}

describe("Auth0 unreachable", () => {
  it("scim-token names Auth0 and the host", async () => {
    expect(await tenantCli(["scim-token", "--connection", "acme-entra"], credentials)).toMatch(unreachable);
  }, 60_000);

  it("tenant-diff names Auth0 and the host", async () => {
    const env = {
      ...credentials,
      ACTION_REDIS_URL: "rediss://action:secret@redis.example:6380",
      ACME_ENTRA_CLIENT_ID: "id",
      ACME_ENTRA_CLIENT_SECRET: "secret",
    };
    expect(await tenantCli(["tenant-diff"], env)).toMatch(unreachable);
  }, 60_000);

  it("resync --dry-run fails before printing any progress", async () => {
    const tenants = await writeTenantsFile([{ id: "globex", connection: "globex-entra" }]);
    try {
      const run = await cli(["resync", "--tenant", "globex", "--dry-run", "--tenants", tenants.path], {
        ...credentials,
        SURECLOUD_TOKEN_GLOBEX: "token",
      });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("users: 0");
      expect(run.stderr.split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^Error: cannot reach Auth0 \(listing users of connection "globex-entra" \(page 0\)\): getaddrinfo \w+ auth0\.nowhere\.invalid$/,
      );
    } finally {
      await tenants.remove();
    }
  }, 60_000);
});
