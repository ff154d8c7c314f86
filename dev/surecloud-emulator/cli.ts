// Command-line configuration of the standalone emulator: flags and environment, the tenants file
// turned into emulator tenants (groups from each catalogue, token from the env var it names).
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { ConfigError } from "../../shared/errors.js";
import { loadTenantsFile, type Tenant } from "../../shared/tenants.js";
import type { TenantOption } from "./core.js";
import { type Emulator, startEmulator } from "./server.js";

export const USAGE = `Usage: node dist/dev/surecloud-emulator/main.js [options]

Serves each tenant's SureCloud API at http://<host>:<port>/<tenantId>/api/v1 and an admin
surface at /_emulator/ (docs/local-stack.md). To print a running emulator's users and groups:
  node dist/dev/surecloud-emulator/main.js state --url http://127.0.0.1:4010 [--tenant <id>] [--json]

Options (environment variable in brackets):
  --tenants <file>     the worker's tenants file (YAML/JSON) [TENANTS_FILE]; default: one
                       built-in tenant "acme" with two groups
  --port <n>           TCP port, 0 = any free one [EMULATOR_PORT]; default 4010
  --host <addr>        interface to listen on [EMULATOR_HOST]; default 127.0.0.1
  --latency-ms <n>     added to every API request [EMULATOR_LATENCY_MS]; default 0
  --error-rate <0..1>  share of API requests answered 500 [EMULATOR_ERROR_RATE]; default 0
  --seed <n>           seed for --error-rate, for repeatable runs [EMULATOR_SEED]; default random
  --help               this text

Each tenant's token is read from the variable its tokenEnv names; when that is unset the
emulator accepts dev-token-<tenantId> and says so.`;

export interface EmulatorCliConfig {
  help: boolean;
  tenantsFile: string | undefined;
  port: number;
  host: string;
  latencyMs: number;
  errorRate: number;
  seed: number | undefined;
}

interface NumberRule {
  valid: (n: number) => boolean;
  /** Completes "must be …" in the error message. */
  expected: string;
}

const PORT: NumberRule = {
  valid: (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
  expected: "an integer 0..65535",
};
const LATENCY: NumberRule = {
  valid: (n) => Number.isInteger(n) && n >= 0 && n <= 60_000,
  expected: "0..60000 ms",
};
const RATE: NumberRule = { valid: (n) => n >= 0 && n <= 1, expected: "a share from 0 to 1" };
const SEED: NumberRule = { valid: (n) => Number.isInteger(n), expected: "an integer" };

function numberSetting(name: string, raw: string | undefined, fallback: number, rule: NumberRule): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !rule.valid(value)) {
    throw new ConfigError(`${name}: "${raw}" must be ${rule.expected}`);
  }
  return value;
}

/** The dev commands' flags (emulator, its `state`, the local stack); a bad one is a ConfigError naming it. */
export function parseFlags(
  argv: string[],
  options: ParseArgsOptionsConfig,
  origin: string,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    throw new ConfigError(`${origin}: ${(error as Error).message}`);
  }
}

/** Flags win over environment variables. Throws ConfigError naming the bad flag. */
export function parseEmulatorArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorCliConfig {
  const values = parseFlags(
    argv,
    {
      tenants: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "latency-ms": { type: "string" },
      "error-rate": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean" },
    },
    "arguments",
  );
  const text = (flag: string, envName: string) => (values[flag] as string | undefined) ?? env[envName];
  const seedRaw = text("seed", "EMULATOR_SEED");
  return {
    help: values.help === true,
    tenantsFile: text("tenants", "TENANTS_FILE") || undefined,
    port: numberSetting("--port", text("port", "EMULATOR_PORT"), 4010, PORT),
    host: text("host", "EMULATOR_HOST") || "127.0.0.1",
    latencyMs: numberSetting("--latency-ms", text("latency-ms", "EMULATOR_LATENCY_MS"), 0, LATENCY),
    errorRate: numberSetting("--error-rate", text("error-rate", "EMULATOR_ERROR_RATE"), 0, RATE),
    seed: seedRaw ? numberSetting("--seed", seedRaw, 0, SEED) : undefined,
  };
}

export interface CliTenant {
  tenant: TenantOption;
  /** Where the token came from, for the start-up banner (never the token itself when it is real). */
  tokenSource: string;
}

const BUILT_IN_TENANT: TenantOption = {
  id: "acme",
  token: "dev-token-acme",
  groups: [
    { id: "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41", name: "Privacy | Breach Reporter" },
    { id: "3f6d2a9b-1c4e-4f0a-8b7d-5e2c9a1d4b60", name: "Risk | Assessor" },
  ],
};

/** Each tenant of the file, its groups from the catalogue and its token from `tokenEnv`. */
export async function tenantsFromFile(
  path: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<CliTenant[]> {
  if (path === undefined)
    return [{ tenant: BUILT_IN_TENANT, tokenSource: "built-in tenant; token dev-token-acme" }];
  const file = await loadTenantsFile(path);
  return file.tenants.map((tenant) => {
    const fromEnv = env[tenant.surecloud.tokenEnv];
    const token = fromEnv && fromEnv.trim() !== "" ? fromEnv : `dev-token-${tenant.id}`;
    const tokenSource =
      token === fromEnv
        ? `token from ${tenant.surecloud.tokenEnv}`
        : `${tenant.surecloud.tokenEnv} unset; token ${token}`;
    return { tenant: { id: tenant.id, token, groups: catalogueGroupsOf(tenant) }, tokenSource };
  });
}

/** The groups SureCloud holds for a tenant of a tenants file: exactly its catalogue. */
export function catalogueGroupsOf(tenant: Tenant): TenantOption["groups"] {
  return tenant.groups.map((group) => ({
    id: group.groupId,
    name: group.name,
    ...(group.description === undefined ? {} : { description: group.description }),
  }));
}

/** Starts the emulator as the flags say and prints where each tenant is served. */
export async function runEmulatorCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<Emulator | undefined> {
  const config = parseEmulatorArgs(argv, env);
  if (config.help) {
    out(USAGE);
    return undefined;
  }
  const tenants = await tenantsFromFile(config.tenantsFile, env);
  const emulator = await startEmulator({
    port: config.port,
    host: config.host,
    tenants: tenants.map((entry) => entry.tenant),
    faults: {
      latencyMs: config.latencyMs,
      errorRate: config.errorRate,
      ...(config.seed === undefined ? {} : { seed: config.seed }),
    },
  });
  out(`surecloud-emulator listening on ${emulator.url}`);
  for (const { tenant, tokenSource } of tenants) {
    out(`  tenant ${tenant.id}: ${emulator.baseUrlFor(tenant.id)} (${tokenSource})`);
  }
  out(`  admin: ${emulator.url}/_emulator/`);
  if (config.latencyMs > 0 || config.errorRate > 0) {
    out(`  faults: latency ${config.latencyMs} ms, error rate ${config.errorRate}`);
  }
  return emulator;
}
