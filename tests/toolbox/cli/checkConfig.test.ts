// check-config against the SureCloud emulator: passes when every tenant's token is set, SureCloud
// answers and holds the whole catalogue; fails, naming the tenant and the cause, otherwise.
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue, groups, sureCloudGroups } from "../../../dev/catalogue.js";
import { type Emulator, startEmulator } from "../../../dev/surecloud-emulator/server.js";
import { binary, cli, REDIS_URL, writeTenantsFile } from "./cliHarness.js";

const tokens = { acme: "sc-acme-token-4b1d9e7f2a6c", beta: "sc-beta-token-8e3c5a1f0d2b" };
// A queue of its own: a worker another test runs on the default queue must not add a warning here.
const tokenEnv = {
  SURECLOUD_TOKEN_ACME: tokens.acme,
  SURECLOUD_TOKEN_BETA: tokens.beta,
  QUEUE_NAME: `check-config-test-${process.pid}`,
};

let emulator: Emulator;
let tenants: Awaited<ReturnType<typeof writeTenantsFile>>;

beforeAll(async () => {
  emulator = await startEmulator({
    tenants: [
      // acme's SureCloud holds the whole catalogue, and one group outside it.
      { id: "acme", token: tokens.acme, groups: [...catalogue, groups.outside] },
      // beta's SureCloud lacks the catalogue's retired group.
      { id: "beta", token: tokens.beta, groups: [...sureCloudGroups] },
    ],
  });
  tenants = await writeTenantsFile([
    { id: "acme", connection: "acme-entra", baseUrl: emulator.baseUrlFor("acme") },
    { id: "beta", connection: "beta-entra", baseUrl: emulator.baseUrlFor("beta") },
  ]);
});
afterAll(async () => {
  await tenants?.remove();
  await emulator?.close();
});

function expectNoToken(text: string) {
  expect(text).not.toContain(tokens.acme);
  expect(text).not.toContain(tokens.beta);
}

const checks = (
  report: { checks: Array<{ tenant: string | null; check: string; status: string }> },
  tenant: string,
) =>
  Object.fromEntries(
    report.checks.filter((c) => c.tenant === tenant && c.status !== "info").map((c) => [c.check, c.status]),
  );

describe("check-config", () => {
  it("passes for a tenant whose SureCloud holds the whole catalogue, noting groups outside it", async () => {
    const run = await cli(["check-config", "--tenant", "acme", "--json"], {
      TENANTS_FILE: tenants.path,
      ...tokenEnv,
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(checks(report, "acme")).toEqual({ token: "ok", surecloud: "ok", catalogue: "ok" });
    const info = report.checks.find((c: { status: string }) => c.status === "info");
    expect(info).toMatchObject({
      tenant: "acme",
      check: "catalogue",
      groups: [{ groupId: groups.outside.id, name: groups.outside.name }],
    });
    expect(emulator.requests({ tenant: "acme", write: true })).toEqual([]);
    expectNoToken(run.stdout);
  });

  it("fails when SureCloud lacks a catalogue group, naming it", async () => {
    const run = await cli(["check-config", "--tenants", tenants.path], tokenEnv);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^beta\\s+catalogue\\s+FAIL\\s+1 of 5 catalogue group\\(s\\) not in SureCloud .*${groups.retired.id} \\(Retired \\| Auditor\\)$`,
        "m",
      ),
    );
    expect(run.stdout).toMatch(/^acme\s+catalogue\s+OK\s+all 5 catalogue group\(s\) exist in SureCloud$/m);
    expect(run.stdout).toContain("1 check(s) failed.");
    expectNoToken(run.stdout);
  });

  it("fails on a missing token variable, and does not call that tenant's SureCloud", async () => {
    emulator.resetLog();
    const run = await cli(["check-config", "--json"], {
      TENANTS_FILE: tenants.path,
      SURECLOUD_TOKEN_ACME: tokens.acme,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(checks(report, "beta")).toEqual({ token: "fail", surecloud: "skipped", catalogue: "skipped" });
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        tenant: "beta",
        check: "token",
        detail: "environment variable SURECLOUD_TOKEN_BETA is not set",
      }),
    );
    expect(emulator.requests({ tenant: "beta" })).toEqual([]);
  });

  it("fails when a tenant's SureCloud rejects the token", async () => {
    const run = await cli(["check-config", "--tenant", "acme", "--json"], {
      TENANTS_FILE: tenants.path,
      SURECLOUD_TOKEN_ACME: tokens.beta,
    });
    expect(run.code).toBe(1);
    const surecloud = JSON.parse(run.stdout).checks.find((c: { check: string }) => c.check === "surecloud");
    expect(surecloud.status).toBe("fail");
    expect(surecloud.detail).toContain("SureCloud listGroups answered 401");
    expectNoToken(run.stdout);
  });

  it("fails when SureCloud is unreachable", async () => {
    const port = await closedPort();
    const down = await writeTenantsFile([
      { id: "acme", connection: "acme-entra", baseUrl: `http://127.0.0.1:${port}/acme/api/v1` },
    ]);
    try {
      const run = await cli(["check-config", "--tenants", down.path], tokenEnv);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(
          `^acme\\s+surecloud\\s+FAIL\\s+http://127\\.0\\.0\\.1:${port}/acme/api/v1: SureCloud listGroups could not reach the server: .*ECONNREFUSED`,
          "m",
        ),
      );
      expect(run.stdout).toMatch(/^acme\s+catalogue\s+SKIPPED\s+SureCloud did not answer$/m);
    } finally {
      await down.remove();
    }
  });

  it("--offline checks the file and tokens without calling the unreachable SureCloud or Redis", async () => {
    const port = await closedPort();
    const down = await writeTenantsFile([
      { id: "acme", connection: "acme-entra", baseUrl: `http://127.0.0.1:${port}/acme/api/v1` },
    ]);
    try {
      const run = await cli(
        ["check-config", "--tenants", down.path, "--offline", "--redis-url", `redis://127.0.0.1:${port}`],
        tokenEnv,
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^acme\s+token\s+OK\s+SURECLOUD_TOKEN_ACME is set$/m);
      expect(run.stdout).toMatch(/^acme\s+surecloud\s+SKIPPED\s+--offline: SureCloud was not asked$/m);
      expect(run.stdout).not.toMatch(/workers/);
      const noToken = await cli(["check-config", "--tenants", down.path, "--offline"], {});
      expect(noToken.code).toBe(1);
      expect(noToken.stdout).toMatch(
        /^acme\s+token\s+FAIL\s+environment variable SURECLOUD_TOKEN_ACME is not set$/m,
      );
    } finally {
      await down.remove();
    }
  });

  it("fails on a tenants file that does not validate, naming the field", async () => {
    const bad = await writeTenantsFile();
    await writeFile(bad.path, JSON.stringify({ tenants: [{ id: "Acme", connection: "x" }] }));
    try {
      const run = await cli(["check-config", "--tenants", bad.path, "--json"], {});
      expect(run.code).toBe(1);
      const [check] = JSON.parse(run.stdout).checks;
      expect(check).toMatchObject({ tenant: null, check: "tenants-file", status: "fail" });
      expect(check.detail).toContain('tenant "Acme": id: must be lower-case letters, digits and dashes');
    } finally {
      await bad.remove();
    }
  });

  it("fails when two tenants share one SureCloud or one connection, naming both tenants", async () => {
    const twins = await writeTenantsFile([
      { id: "acme", connection: "acme-entra", baseUrl: emulator.baseUrlFor("acme") },
      { id: "acme-eu", connection: "acme-eu-entra", baseUrl: `${emulator.baseUrlFor("acme")}/` },
      { id: "beta", connection: "ACME-entra", baseUrl: emulator.baseUrlFor("beta") },
    ]);
    try {
      emulator.resetLog();
      const run = await cli(["check-config", "--tenants", twins.path, "--json"], tokenEnv);
      expect(run.code).toBe(1);
      const [check, ...rest] = JSON.parse(run.stdout).checks;
      expect(rest).toEqual([]);
      expect(check).toMatchObject({ tenant: null, check: "tenants-file", status: "fail" });
      expect(check.detail).toContain(
        `tenant "acme-eu": surecloud.baseUrl: tenants "acme" and "acme-eu" share the SureCloud at ${emulator.baseUrlFor("acme")}`,
      );
      expect(check.detail).toContain(
        'tenant "beta": connections.0: connection "ACME-entra" is listed by tenants "acme" and "beta"',
      );
      expect(emulator.requests()).toEqual([]);
    } finally {
      await twins.remove();
    }
  });

  it("needs a tenants file (usage error) and names an unknown --tenant", async () => {
    expect((await cli(["check-config"], {})).code).toBe(2);
    const unknown = await cli(["check-config", "--tenant", "gamma", "--tenants", tenants.path], tokenEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('no tenant "gamma" in the file');
  });

  it("writes nothing to Redis, nor does status: no key of the queue they look at is left behind", async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const run = await cli(["check-config", "--tenant", "acme"], {
        TENANTS_FILE: tenants.path,
        ...tokenEnv,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^-\s+workers\s+INFO/m);
      // status used to leave the queue's metadata hash behind, even for a mistyped queue name.
      expect((await cli(["status"], tokenEnv)).code).toBe(0);
      expect(await redis.keys(`*${tokenEnv.QUEUE_NAME}*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it("runs as the built binary: a table, exit 0 when all is well", async () => {
    const run = await binary(["check-config", "--tenant", "acme"], {
      TENANTS_FILE: tenants.path,
      ...tokenEnv,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^TENANT\s+CHECK\s+RESULT\s+DETAIL$/m);
    expect(run.stdout).toMatch(/^acme\s+token\s+OK\s+SURECLOUD_TOKEN_ACME is set$/m);
    expect(run.stdout).toContain("All checks passed.");
    expectNoToken(run.stdout + run.stderr);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
