// The tenants file an operator writes: accepted in YAML and JSON with documented defaults, and
// refused at start-up with a message that names the bad field.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../shared/errors.js";
import { parseTenantsFile, tenantForConnection, tenantToken } from "../../shared/tenants.js";

const BREACH = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";
const AUDIT = "1f0e4b8a-93c2-4d51-a7e6-0b2c9d8e7f60";

const yamlFile = `
tenants:
  - id: acme
    connection: acme-entra            # Auth0 connection name
    surecloud:
      baseUrl: https://acme.surecloud.example/api/v1/
      tokenEnv: SURECLOUD_TOKEN_ACME
    groups:
      - { groupId: ${BREACH.toUpperCase()}, name: "Privacy | Breach Reporter", description: "Reports breaches" }
      - { groupId: ${AUDIT}, name: "Audit | Viewer" }
  - id: globex
    connection: globex-entra
    surecloud:
      baseUrl: http://globex.surecloud.example/api/v1
      tokenEnv: SURECLOUD_TOKEN_GLOBEX
      timeoutMs: 2500
      requestsPerSecond: 5
    groups:
      - { groupId: ${AUDIT}, name: "Audit | Viewer" }
    missingDirective: clear
`;

/** A minimal valid tenant, as a plain object to mutate and serialise as JSON. */
function tenant(id: string, connection = `${id}-entra`) {
  return {
    id,
    connection,
    surecloud: {
      baseUrl: `https://${id}.surecloud.example/api/v1`,
      tokenEnv: `SURECLOUD_TOKEN_${id.toUpperCase()}`,
    },
    groups: [{ groupId: BREACH, name: "Privacy | Breach Reporter" }],
  };
}

function json(...tenants: unknown[]): string {
  return JSON.stringify({ tenants }, null, 2);
}

/** Parses expecting a ConfigError; returns its message. */
function configError(text: string): string {
  let caught: unknown;
  try {
    parseTenantsFile(text, "tenants.yaml");
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const message = (caught as Error).message;
  expect(message.startsWith("tenants.yaml: ")).toBe(true);
  return message;
}

describe("parseTenantsFile: valid files", () => {
  it("reads the YAML form of DESIGN.md", () => {
    const file = parseTenantsFile(yamlFile);
    expect(file.tenants.map((t) => t.id)).toEqual(["acme", "globex"]);
    const acme = file.tenants[0];
    expect(acme?.connections).toEqual(["acme-entra"]);
    expect(acme?.surecloud.tokenEnv).toBe("SURECLOUD_TOKEN_ACME");
    expect(acme?.groups).toEqual([
      { groupId: BREACH, name: "Privacy | Breach Reporter", description: "Reports breaches" },
      { groupId: AUDIT, name: "Audit | Viewer" },
    ]);
  });

  it("reads the same content as JSON", () => {
    const file = parseTenantsFile(json(tenant("acme")));
    expect(file.tenants[0]?.surecloud.baseUrl).toBe("https://acme.surecloud.example/api/v1");
    expect(file.tenants[0]?.groups[0]?.groupId).toBe(BREACH);
  });

  it("applies the documented defaults", () => {
    const acme = parseTenantsFile(yamlFile).tenants[0];
    expect(acme?.missingDirective).toBe("ignore");
    expect(acme?.surecloud.timeoutMs).toBe(10_000);
    expect(acme?.surecloud.requestsPerSecond).toBe(20);
  });

  it("keeps explicit settings over the defaults", () => {
    const globex = parseTenantsFile(yamlFile).tenants[1];
    expect(globex?.missingDirective).toBe("clear");
    expect(globex?.surecloud.timeoutMs).toBe(2500);
    expect(globex?.surecloud.requestsPerSecond).toBe(5);
  });

  it("lower-cases group ids so they match parsed directives", () => {
    const acme = parseTenantsFile(yamlFile).tenants[0];
    expect(acme?.groups[0]?.groupId).toBe(BREACH);
  });

  it("drops a trailing slash from baseUrl so paths join cleanly", () => {
    expect(parseTenantsFile(yamlFile).tenants[0]?.surecloud.baseUrl).toBe(
      "https://acme.surecloud.example/api/v1",
    );
  });
});

describe("parseTenantsFile: errors name the field path", () => {
  it.each([
    ["a baseUrl that is not a URL", (t: ReturnType<typeof tenant>) => (t.surecloud.baseUrl = "acme.example")],
    [
      "a baseUrl with another scheme",
      (t: ReturnType<typeof tenant>) => (t.surecloud.baseUrl = "ftp://acme.example"),
    ],
  ])("rejects %s", (_label, spoil) => {
    const bad = tenant("acme");
    spoil(bad);
    expect(configError(json(bad))).toContain('tenant "acme": surecloud.baseUrl: must be an http(s) URL');
  });

  it.each(["surecloud-token", "1TOKEN", "", "TOKEN NAME"])("rejects tokenEnv %j", (tokenEnv) => {
    const bad = tenant("acme");
    bad.surecloud.tokenEnv = tokenEnv;
    expect(configError(json(bad))).toContain('tenant "acme": surecloud.tokenEnv');
  });

  it("rejects a group id that is not a UUID, naming the group", () => {
    const bad = tenant("acme");
    bad.groups.push({ groupId: "Privacy | Breach Reporter", name: "Oops" });
    expect(configError(json(bad))).toContain('tenant "acme": groups.1.groupId: must be a UUID');
  });

  it("rejects a repeated group id, also when it differs only in case", () => {
    const bad = tenant("acme");
    bad.groups.push({ groupId: BREACH.toUpperCase(), name: "Duplicate" });
    const message = configError(json(tenant("globex"), bad));
    expect(message).toContain('tenant "acme": groups.1.groupId: repeats');
    expect(message).toContain(BREACH);
  });

  it("rejects a tenant with no groups", () => {
    const bad = tenant("acme");
    bad.groups = [];
    expect(configError(json(bad))).toContain('tenant "acme": groups: must list at least one group');
  });

  it("rejects a repeated tenant id", () => {
    const message = configError(json(tenant("acme"), tenant("acme", "other-entra")));
    expect(message).toContain('tenant "acme" (#2): id: repeats "acme"');
    expect(message).toContain("acme");
  });

  it("rejects a connection two tenants list, naming both tenants", () => {
    const message = configError(json(tenant("acme"), tenant("globex", "acme-entra")));
    expect(message).toContain(
      'tenant "globex": connections.0: connection "acme-entra" is listed by tenants "acme" and "globex"',
    );
  });

  it("rejects a connection listed in another tenant's connections, whatever its letter case", () => {
    const globex = {
      ...tenant("globex"),
      connection: undefined,
      connections: ["globex-entra", "ACME-Entra"],
    };
    expect(configError(json(tenant("acme"), globex))).toContain(
      'tenant "globex": connections.1: connection "ACME-Entra" is listed by tenants "acme" and "globex"',
    );
  });

  it("rejects the same connection twice in one tenant", () => {
    const acme = { ...tenant("acme"), connection: undefined, connections: ["acme-entra", "acme-entra"] };
    expect(configError(json(acme))).toContain(
      'tenant "acme": connections.1: connection "acme-entra" is listed by tenant "acme" twice',
    );
  });

  it("rejects both connection and connections in one tenant", () => {
    const both = { ...tenant("acme"), connections: ["acme-eu-entra"] };
    expect(configError(json(both))).toContain(
      'tenant "acme": connection: give connection or connections, not both',
    );
  });

  it.each([
    [
      "neither connection nor connections",
      { connection: undefined },
      /tenant "acme": connections: is required/,
    ],
    ["an empty connections list", { connection: undefined, connections: [] }, /at least one connection/],
    [
      "an empty connection name",
      { connection: "" },
      /tenant "acme": connections\.0: must be a connection name/,
    ],
  ])("rejects %s", (_label, change, expected) => {
    expect(configError(json({ ...tenant("acme"), ...change }))).toMatch(expected);
  });

  it.each([
    ["the same", "https://acme.surecloud.example/api/v1"],
    ["with another letter case in scheme and host", "HTTPS://ACME.SureCloud.example/api/v1"],
    ["with a trailing slash and the default port", "https://acme.surecloud.example:443/api/v1/"],
  ])("rejects two tenants on one SureCloud (base URL %s), naming both", (_label, baseUrl) => {
    const eu = tenant("acme-eu");
    eu.surecloud.baseUrl = baseUrl;
    expect(configError(json(tenant("acme"), eu))).toContain(
      'tenant "acme-eu": surecloud.baseUrl: tenants "acme" and "acme-eu" share the SureCloud at',
    );
  });

  it("accepts two tenants on one host whose API paths differ", () => {
    const [eu, us] = [tenant("eu"), tenant("us")];
    eu.surecloud.baseUrl = "https://surecloud.example/eu/api/v1";
    us.surecloud.baseUrl = "https://surecloud.example/us/api/v1";
    expect(parseTenantsFile(json(eu, us)).tenants.map((t) => t.id)).toEqual(["eu", "us"]);
  });

  it("rejects a tenant id that cannot be used in keys and metrics", () => {
    expect(configError(json(tenant("Acme Corp")))).toContain(
      'tenant "Acme Corp": id: must be lower-case letters, digits and dashes',
    );
  });

  it("rejects an unknown missingDirective policy", () => {
    expect(configError(json({ ...tenant("acme"), missingDirective: "keep" }))).toContain(
      'tenant "acme": missingDirective: must be one of ignore, clear, not text "keep"',
    );
  });

  it("rejects an empty tenants list", () => {
    expect(configError(json())).toMatch(/tenants: .*at least one tenant/);
  });

  it("rejects a file with no tenants key", () => {
    expect(configError("other: 1\n")).toContain("tenants");
  });

  it("rejects text that is neither YAML nor JSON", () => {
    expect(configError("tenants:\n  - id: acme\n   connection: [unclosed\n")).toMatch(
      /not valid YAML or JSON/,
    );
    expect(configError('{"tenants": [')).toMatch(/not valid YAML or JSON/);
  });

  it("reports every bad field, not only the first", () => {
    const bad = tenant("acme");
    bad.surecloud.baseUrl = "nope";
    bad.surecloud.tokenEnv = "nope";
    const message = configError(json(bad));
    expect(message).toContain('tenant "acme": surecloud.baseUrl');
    expect(message).toContain('tenant "acme": surecloud.tokenEnv');
  });
});

describe("tenantForConnection", () => {
  const file = parseTenantsFile(yamlFile);

  it("routes a connection name to its tenant", () => {
    expect(tenantForConnection(file, "acme-entra")?.id).toBe("acme");
    expect(tenantForConnection(file, "globex-entra")?.id).toBe("globex");
  });

  it("routes every connection a tenant lists to that one tenant", () => {
    const twoDirectories = parseTenantsFile(
      yamlFile.replace("connection: acme-entra ", "connections: [acme-entra, acme-eu-entra]"),
    );
    expect(twoDirectories.tenants[0]?.connections).toEqual(["acme-entra", "acme-eu-entra"]);
    expect(tenantForConnection(twoDirectories, "acme-entra")?.id).toBe("acme");
    expect(tenantForConnection(twoDirectories, "acme-eu-entra")?.id).toBe("acme");
    expect(tenantForConnection(twoDirectories, "globex-entra")?.id).toBe("globex");
  });

  it("finds no tenant for an unknown connection", () => {
    expect(tenantForConnection(file, "initech-entra")).toBeUndefined();
    expect(tenantForConnection(file, "")).toBeUndefined();
  });
});

describe("tenantToken", () => {
  const acme = parseTenantsFile(yamlFile).tenants[0];
  if (!acme) throw new Error("fixture has no first tenant");

  it("reads the environment variable named by tokenEnv", () => {
    const env = { SURECLOUD_TOKEN_ACME: "tok-acme", SURECLOUD_TOKEN_GLOBEX: "tok-globex" };
    expect(tenantToken(acme, env)).toBe("tok-acme");
  });

  it("is undefined when the variable is missing or blank", () => {
    expect(tenantToken(acme, {})).toBeUndefined();
    expect(tenantToken(acme, { SURECLOUD_TOKEN_ACME: "  " })).toBeUndefined();
  });

  it("reads process.env by default", () => {
    const saved = process.env.SURECLOUD_TOKEN_ACME;
    process.env.SURECLOUD_TOKEN_ACME = "tok-from-process";
    try {
      expect(tenantToken(acme)).toBe("tok-from-process");
    } finally {
      if (saved === undefined) delete process.env.SURECLOUD_TOKEN_ACME;
      else process.env.SURECLOUD_TOKEN_ACME = saved;
    }
  });
});
