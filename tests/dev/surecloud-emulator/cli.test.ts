// The standalone emulator's configuration: flags and environment, and a tenants file turned into
// served tenants whose tokens come from the variables the file names.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEmulatorArgs, runEmulatorCli, tenantsFromFile } from "../../../dev/surecloud-emulator/cli.js";
import { ConfigError } from "../../../shared/errors.js";

const dir = await mkdtemp(join(tmpdir(), "surecloud-emulator-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const TENANTS_YAML = `tenants:
  - id: acme
    connection: acme-entra
    surecloud: { baseUrl: "http://127.0.0.1:1/acme/api/v1", tokenEnv: SURECLOUD_TOKEN_ACME }
    groups:
      - { groupId: 8C27F1E1-4D7E-4C85-9D28-3A9E9C9F7E41, name: "Privacy | Breach Reporter", description: "d" }
  - id: beta
    connection: beta-entra
    surecloud: { baseUrl: "http://127.0.0.1:1/beta/api/v1", tokenEnv: SURECLOUD_TOKEN_BETA }
    groups:
      - { groupId: 11111111-1111-4111-8111-111111111111, name: "Beta" }
`;

describe("parseEmulatorArgs", () => {
  it("takes defaults, then environment, then flags", () => {
    expect(parseEmulatorArgs([], {})).toEqual({
      help: false,
      tenantsFile: undefined,
      port: 4010,
      host: "127.0.0.1",
      latencyMs: 0,
      errorRate: 0,
      seed: undefined,
    });
    const env = { TENANTS_FILE: "env.yaml", EMULATOR_PORT: "5000", EMULATOR_ERROR_RATE: "0.2" };
    expect(parseEmulatorArgs(["--port", "0", "--latency-ms", "25"], env)).toMatchObject({
      tenantsFile: "env.yaml",
      port: 0,
      latencyMs: 25,
      errorRate: 0.2,
    });
  });

  it("names the bad flag", () => {
    expect(() => parseEmulatorArgs(["--port", "http"], {})).toThrow(/--port/);
    expect(() => parseEmulatorArgs(["--error-rate", "1.5"], {})).toThrow(/--error-rate/);
    expect(() => parseEmulatorArgs(["--nope"], {})).toThrow(ConfigError);
  });
});

describe("tenants file", () => {
  it("seeds each tenant's groups from its catalogue and its token from tokenEnv, else a dev default", async () => {
    const path = join(dir, "tenants.yaml");
    await writeFile(path, TENANTS_YAML);
    const tenants = await tenantsFromFile(path, { SURECLOUD_TOKEN_ACME: "s3cret" });
    expect(tenants.map((entry) => entry.tenant)).toEqual([
      {
        id: "acme",
        token: "s3cret",
        groups: [
          { id: "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41", name: "Privacy | Breach Reporter", description: "d" },
        ],
      },
      {
        id: "beta",
        token: "dev-token-beta",
        groups: [{ id: "11111111-1111-4111-8111-111111111111", name: "Beta" }],
      },
    ]);
    // The banner names the variable, never a real token.
    expect(tenants[0]?.tokenSource).toBe("token from SURECLOUD_TOKEN_ACME");
    expect(tenants[1]?.tokenSource).toContain("dev-token-beta");
  });

  it("serves the file's tenants and prints where", async () => {
    const path = join(dir, "served.yaml");
    await writeFile(path, TENANTS_YAML);
    const lines: string[] = [];
    const emulator = await runEmulatorCli(
      ["--tenants", path, "--port", "0"],
      { SURECLOUD_TOKEN_ACME: "s3cret" },
      (l) => lines.push(l),
    );
    if (!emulator) throw new Error("emulator did not start");
    try {
      expect(lines[0]).toBe(`surecloud-emulator listening on ${emulator.url}`);
      expect(lines.join("\n")).toContain(emulator.baseUrlFor("beta"));
      expect(lines.join("\n")).not.toContain("s3cret");
      const res = await fetch(`${emulator.baseUrlFor("acme")}/groups`, {
        headers: { authorization: "Bearer s3cret" },
      });
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
      const beta = await fetch(`${emulator.baseUrlFor("beta")}/groups`, {
        headers: { authorization: "Bearer dev-token-beta" },
      });
      expect(beta.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("rejects a bad tenants file with a message naming the field", async () => {
    const path = join(dir, "bad.yaml");
    await writeFile(path, TENANTS_YAML.replace("tokenEnv: SURECLOUD_TOKEN_BETA", "tokenEnv: lower-case"));
    await expect(tenantsFromFile(path, {})).rejects.toThrow(/tenant "beta": surecloud\.tokenEnv/);
  });

  it("prints usage for --help without starting", async () => {
    const lines: string[] = [];
    expect(await runEmulatorCli(["--help"], {}, (l) => lines.push(l))).toBeUndefined();
    expect(lines.join("\n")).toContain("--tenants <file>");
  });
});
