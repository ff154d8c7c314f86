// `npm run stack -- --tenants <file>`: the local stack (dev/localStack.ts) from any tenants file,
// for trying a tenant offline: the SureCloud emulator serving every tenant of the file at its own
// base URL, seeded with the tenant's catalogue; a worker on a copy of the file pointed at it; and
// the commands to send an event and read the state. Ctrl-C stops it and removes its Redis keys.
import { isEntryPoint } from "../shared/entryPoint.js";
import { ConfigError } from "../shared/errors.js";
import { loadTenantsFile, type TenantsFile } from "../shared/tenants.js";
import { workerDefaults } from "../worker/defaults.js";
import { freePort } from "./freePort.js";
import { type LocalStack, startLocalStack, tokenOf } from "./localStack.js";
import { parseFlags } from "./surecloud-emulator/cli.js";

export const STACK_USAGE = `Usage: npm run stack -- --tenants <file> [options]
   or: node dist/dev/stack.js --tenants <file> [options]

Starts the SureCloud emulator (each tenant of the file at its own base URL, holding exactly the
tenant's catalogue groups) and one worker on a copy of the file whose baseUrls point at the
emulator, with every token variable set; prints how to send an event and read the state. Ctrl-C
stops it and removes the queue and what the worker kept in Redis.

Options:
  --tenants <file>       any tenants file (YAML/JSON) [TENANTS_FILE]
  --queue <name>         queue to use; default local-stack
  --redis-url <url>      [REDIS_URL]; default ${workerDefaults.REDIS_URL}
  --emulator-port <n>    the emulator's port, 0 = any free one; default 4010
  --http-port <n>        the worker's /healthz and /metrics port; default any free one
  --quiet                do not echo the worker's log lines`;

export interface StackArgs {
  help: boolean;
  tenantsFile: string;
  queueName: string;
  redisUrl: string;
  emulatorPort: number;
  httpPort: number | undefined;
  quiet: boolean;
}

export function parseStackArgs(argv: string[], env: NodeJS.ProcessEnv): StackArgs {
  const values = parseFlags(
    argv,
    {
      tenants: { type: "string" },
      queue: { type: "string" },
      "redis-url": { type: "string" },
      "emulator-port": { type: "string" },
      "http-port": { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean" },
    },
    "arguments",
  );
  const text = (name: string) => values[name] as string | undefined;
  const tenantsFile = text("tenants") || env.TENANTS_FILE || "";
  if (!values.help && !tenantsFile) throw new ConfigError("--tenants <file> (or TENANTS_FILE) is required");
  return {
    help: values.help === true,
    tenantsFile,
    queueName: text("queue") || "local-stack",
    redisUrl: text("redis-url") || env.REDIS_URL || workerDefaults.REDIS_URL,
    emulatorPort: port("--emulator-port", text("emulator-port")) ?? 4010,
    httpPort: port("--http-port", text("http-port")),
    quiet: values.quiet === true,
  };
}

function port(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65_535)
    throw new ConfigError(`${flag}: "${raw}" must be a port, 0..65535`);
  return value;
}

/** What the operator reads once the stack is up: what runs where, and what to type next. */
export function describeStack(
  stack: LocalStack,
  file: TenantsFile,
  args: StackArgs,
  httpPort: number,
): string {
  const { emulator } = stack;
  const first = file.tenants[0];
  const group = first?.groups[0];
  const exports = [
    `REDIS_URL=${args.redisUrl}`,
    `QUEUE_NAME=${stack.queueName}`,
    `TENANTS_FILE=${stack.tenantsFile}`,
    ...file.tenants.map((tenant) => `${tenant.surecloud.tokenEnv}=${tokenOf(tenant.id)}`),
  ];
  const email = `smoke.test@${first?.id ?? "tenant"}.example`;
  return [
    "Local stack up. Ctrl-C stops it and removes what it wrote to Redis.",
    `  Redis     ${args.redisUrl}, queue ${stack.queueName}`,
    `  Emulator  ${emulator.url} (admin API ${emulator.url}/_emulator/, docs/local-stack.md)`,
    ...file.tenants.map(
      (tenant) =>
        `    ${tenant.id}: ${emulator.baseUrlFor(tenant.id)}, connection(s) ${tenant.connections.join(", ")}, ${tenant.groups.length} catalogue group(s)`,
    ),
    `  Worker    http://127.0.0.1:${httpPort}/healthz, on ${stack.tenantsFile}`,
    `            (${args.tenantsFile} with each baseUrl pointed at the emulator)`,
    "",
    "In another shell, from the repository root:",
    `  export ${exports.join(" ")}`,
    `  node dist/toolbox/cli/main.js send-event --tenant ${first?.id} --email ${email} --directive ${group?.groupId} --wait`,
    `  node dist/dev/surecloud-emulator/main.js state --url ${emulator.url}`,
    `  node dist/toolbox/cli/main.js user ${email}`,
    "Local stack ready.",
  ].join("\n");
}

async function main(): Promise<void> {
  const args = parseStackArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(STACK_USAGE);
    return;
  }
  const file = await loadTenantsFile(args.tenantsFile);
  const httpPort = args.httpPort || (await freePort());
  const stack = await startLocalStack({
    tenantsFile: args.tenantsFile,
    queueName: args.queueName,
    redisUrl: args.redisUrl,
    emulatorPort: args.emulatorPort,
    workerEnv: { HTTP_PORT: String(httpPort) },
    ...(args.quiet ? {} : { onWorkerLine: (line: string) => console.log(`worker | ${line}`) }),
  });
  console.log(describeStack(stack, file, args, httpPort));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the local stack`);
    stack.stop().then(
      () => {
        console.log(`Local stack stopped; queue ${stack.queueName} and its keys removed from Redis.`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Local stack did not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`stack: ${error instanceof ConfigError ? error.message : (error as Error).stack}`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  });
}
