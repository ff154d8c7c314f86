// A bad configuration stops the worker at start-up, before it touches the queue, with a message
// that names the bad field — run exactly as operators run it: `node dist/worker/main.js`.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
let dir: string;

const goodTenant = {
  id: "acme",
  connection: "acme-entra",
  surecloud: { baseUrl: "http://127.0.0.1:9/acme/api/v1", tokenEnv: "SURECLOUD_TOKEN_ACME" },
  groups: [{ groupId: "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41", name: "Privacy | Breach Reporter" }],
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "worker-startup-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tenantsFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** `output` is everything the worker printed, stdout (its JSON log lines) and stderr alike. */
function startWorker(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "dist/worker/main.js")], {
      env: { PATH: process.env.PATH, HTTP_PORT: "0", REDIS_URL: "redis://127.0.0.1:6379", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the worker did not stop on a bad configuration"));
    }, 10_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, output });
    });
  });
}

describe("the worker refuses a bad configuration at start-up", () => {
  it("without TENANTS_FILE", async () => {
    const { code, stderr } = await startWorker({});
    expect(code).toBe(78);
    expect(stderr).toMatch(/TENANTS_FILE: is required/);
  });

  it("with a WORKER_CONCURRENCY that is not a number", async () => {
    const file = await tenantsFile("ok.json", { tenants: [goodTenant] });
    const { code, stderr } = await startWorker({
      TENANTS_FILE: file,
      WORKER_CONCURRENCY: "lots",
      SURECLOUD_TOKEN_ACME: "t",
    });
    expect(code).toBe(78);
    expect(stderr).toMatch(/WORKER_CONCURRENCY/);
  });

  it("with a tenants file that cannot be read", async () => {
    const { code, stderr } = await startWorker({ TENANTS_FILE: join(dir, "missing.yaml") });
    expect(code).toBe(78);
    expect(stderr).toMatch(/TENANTS_FILE: cannot read .*missing\.yaml: ENOENT/);
  });

  it("with a tenants file whose field is wrong, naming the field's path", async () => {
    const file = await tenantsFile("bad-url.json", {
      tenants: [{ ...goodTenant, surecloud: { ...goodTenant.surecloud, baseUrl: "acme.surecloud.example" } }],
    });
    const { code, stderr } = await startWorker({ TENANTS_FILE: file, SURECLOUD_TOKEN_ACME: "t" });
    expect(code).toBe(78);
    expect(stderr).toMatch(/tenant "acme": surecloud\.baseUrl: must be an http\(s\) URL/);
  });

  it("with a catalogue group that is not a UUID", async () => {
    const file = await tenantsFile(
      "bad-group.yaml",
      `tenants:\n  - id: acme\n    connection: acme-entra\n    surecloud: { baseUrl: "http://127.0.0.1:9/api/v1", tokenEnv: SURECLOUD_TOKEN_ACME }\n    groups:\n      - { groupId: "Read Only", name: "Read Only" }\n`,
    );
    const { code, stderr } = await startWorker({ TENANTS_FILE: file, SURECLOUD_TOKEN_ACME: "t" });
    expect(code).toBe(78);
    expect(stderr).toMatch(/tenant "acme": groups\.0\.groupId: must be a UUID/);
  });

  it("with two tenants on one SureCloud, naming both", async () => {
    const file = await tenantsFile("shared-surecloud.json", {
      tenants: [
        goodTenant,
        {
          ...goodTenant,
          id: "acme-eu",
          connection: "acme-eu-entra",
          surecloud: { ...goodTenant.surecloud, baseUrl: "HTTP://127.0.0.1:9/acme/api/v1/" },
        },
      ],
    });
    const { code, stderr } = await startWorker({ TENANTS_FILE: file, SURECLOUD_TOKEN_ACME: "t" });
    expect(code).toBe(78);
    expect(stderr).toMatch(
      /tenant "acme-eu": surecloud\.baseUrl: tenants "acme" and "acme-eu" share the SureCloud/,
    );
  });

  it("when a tenant's token variable is not set, naming the variable and the tenant", async () => {
    const file = await tenantsFile("no-token.json", { tenants: [goodTenant] });
    const { code, stderr } = await startWorker({ TENANTS_FILE: file });
    expect(code).toBe(78);
    expect(stderr).toMatch(
      /tenant "acme": surecloud\.tokenEnv: environment variable SURECLOUD_TOKEN_ACME is not set/,
    );
  });
});

// ioredis parses REDIS_URL with `new URL`, whose TypeError once killed the worker with exit 1 and
// printed the whole URL, password included (`input: 'redis://:PW@…'`).
describe("the worker refuses a REDIS_URL that is not a valid URL, never printing its password", () => {
  const password = "s3cret-Redis-pass-9Qx";
  const withValidTenants = async (redisUrl: string) => {
    const file = await tenantsFile("for-redis-url.json", { tenants: [goodTenant] });
    return startWorker({ TENANTS_FILE: file, SURECLOUD_TOKEN_ACME: "t", REDIS_URL: redisUrl });
  };

  it.each([
    ["a port out of range", `redis://:${password}@127.0.0.1:99999`, "redis://***@127.0.0.1:99999"],
    ["an IPv6 host without its ]", `redis://:${password}@[::1`, "redis://***@[::1"],
  ])("with %s: exit 78, naming REDIS_URL, the password masked", async (_, redisUrl, masked) => {
    const { code, stderr, output } = await withValidTenants(redisUrl);
    expect(code).toBe(78);
    expect(stderr).toContain(`REDIS_URL: is not a valid URL (${masked})`);
    expect(output).not.toContain(password);
    expect(output).not.toMatch(/TypeError|Invalid URL/);
  });

  it("with a broken %-escape in the password: exit 78, naming REDIS_URL", async () => {
    const { code, stderr, output } = await withValidTenants(`redis://:${password}%zz@127.0.0.1:6379`);
    expect(code).toBe(78);
    expect(stderr).toMatch(/REDIS_URL: has a user name or password with a broken %-escape/);
    expect(output).not.toContain(password);
  });
});
