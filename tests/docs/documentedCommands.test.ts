// Every command of the operator's guide (docs/operator.md: code blocks, tables and commands in the
// prose) and of the README's command tables and shell blocks runs as written against the local
// parts: the SureCloud emulator, the local Redis on a private queue, and an Auth0 that cannot be
// reached (commands that need it must say so, naming Auth0 and the host, or are run with --help:
// see RULES in commandRunner.ts). A failure names the doc, the line and the command.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys } from "../../dev/deleteKeys.js";
import { tokenOf } from "../../dev/localStack.js";
import { type Emulator, startEmulator } from "../../dev/surecloud-emulator/server.js";
import { parseTenantsFile } from "../../shared/tenants.js";
import { syncStatePrefix } from "../../worker/redisKeys.js";
import {
  checkDocCommand,
  expectationOf,
  GLOBEX_GROUP_ID,
  makeWorkspace,
  UNREACHABLE_AUTH0,
  type Workspace,
} from "./commandRunner.js";
import { type DocCommand, extractCommands, extractFromText } from "./docCommands.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const queueName = `test-docs-${randomUUID()}`;
// The local stack's tokens, so the `export` line it prints (pasted into later commands) agrees.
const tokens = { acme: tokenOf("acme"), globex: tokenOf("globex") };

const commands: DocCommand[] = [
  ...extractCommands(root, "docs/operator.md", { prose: true }),
  ...extractCommands(root, "README.md"),
];

let emulator: Emulator;
let workspace: Workspace;
/** One run per distinct command: the same one documented twice is checked once. */
const results = new Map<string, Promise<string | undefined>>();

beforeAll(async () => {
  const examples = join(root, "docs", "examples");
  const exampleTenants = readFileSync(join(examples, "acme-tenants.yaml"), "utf8");
  const catalogue = parseTenantsFile(exampleTenants).tenants[0]?.groups ?? [];
  emulator = await startEmulator({
    tenants: [
      {
        id: "acme",
        token: tokens.acme,
        groups: catalogue.map((group) => ({ id: group.groupId, name: group.name })),
      },
      { id: "globex", token: tokens.globex, groups: [{ id: GLOBEX_GROUP_ID, name: "Risk | Viewer" }] },
    ],
  });
  // The reader's tenants file: the example's tenant on this emulator, and the new tenant `globex`.
  const acme = exampleTenants.replace("https://acme.surecloud.example/api/v1", emulator.baseUrlFor("acme"));
  const tenants = [
    acme.trimEnd(),
    "  - id: globex",
    "    connection: globex-entra",
    `    surecloud: { baseUrl: ${emulator.baseUrlFor("globex")}, tokenEnv: SURECLOUD_TOKEN_GLOBEX }`,
    `    groups: [{ groupId: ${GLOBEX_GROUP_ID}, name: "Risk | Viewer" }]`,
    "",
  ].join("\n");
  const mapping = join(examples, "acme-entra-mapping.yaml");
  const expression = execFileSync(process.execPath, [
    join(root, "dist/tenant-config/tools/main.js"),
    "expression",
    "--mapping",
    mapping,
    "--tenants",
    join(examples, "acme-tenants.yaml"),
  ]).toString();
  workspace = await makeWorkspace(
    root,
    {
      "tenants.yaml": tenants,
      "tenants.new.yaml": tenants,
      "acme-entra-mapping.yaml": readFileSync(mapping, "utf8"),
      "from-entra.txt": expression,
    },
    {
      HOME: process.env.HOME,
      REDIS_URL,
      QUEUE_NAME: queueName,
      TENANTS_FILE: "tenants.yaml",
      SURECLOUD_TOKEN_ACME: tokens.acme,
      SURECLOUD_TOKEN_GLOBEX: tokens.globex,
      AUTH0_DOMAIN: UNREACHABLE_AUTH0,
      AUTH0_CLIENT_ID: "docs-test-client",
      AUTH0_CLIENT_SECRET: "docs-test-secret",
      ACTION_REDIS_URL: "rediss://surecloud-action:docs-test-secret@redis.example.com:6380",
      ACME_ENTRA_CLIENT_ID: "docs-test-entra-client",
      ACME_ENTRA_CLIENT_SECRET: "docs-test-entra-secret",
    },
  );
});

afterAll(async () => {
  await workspace?.remove();
  await emulator?.close();
  const redis = new Redis(REDIS_URL);
  try {
    await deleteKeys(redis, `bull:${queueName}:`);
    await deleteKeys(redis, `${syncStatePrefix(queueName)}:`);
  } finally {
    redis.disconnect();
  }
});

describe("the documented commands are found", () => {
  it("takes commands from operator.md's blocks and prose and from the README's tables and blocks", () => {
    const at = (doc: string, where: DocCommand["where"]) =>
      commands.filter((command) => command.doc === doc && command.where === where);
    expect(at("docs/operator.md", "block").length).toBeGreaterThanOrEqual(10);
    expect(at("docs/operator.md", "prose").length).toBeGreaterThanOrEqual(5);
    expect(at("README.md", "table").map((command) => command.command)).toContain("npm run tenant:diff");
    expect(commands.map((command) => command.command)).toContain(
      "node dist/toolbox/cli/main.js check-config --tenants tenants.yaml",
    );
  });

  it("reports a broken command with its doc, line and command", async () => {
    const [broken] = extractFromText(
      "# Example\n\n```sh\nnode dist/toolbox/cli/main.js no-such-command --tenants tenants.yaml\n```\n",
      "docs/example.md",
    );
    expect(broken).toBeDefined();
    const problem = await checkDocCommand(workspace, broken as DocCommand);
    expect(problem).toMatch(
      /^docs\/example\.md:4: `node dist\/toolbox\/cli\/main\.js no-such-command --tenants tenants\.yaml` exited 2/,
    );
  });
});

describe.each(["docs/operator.md", "README.md"])("%s", (doc) => {
  const mine = commands.filter((command) => command.doc === doc);
  it.each(mine.map((command) => [`${command.doc}:${command.line} ${command.command}`, command] as const))(
    "%s",
    async (_name, command) => {
      const key = [...command.setup, command.command].join("\n");
      if (!results.has(key)) results.set(key, checkDocCommand(workspace, command));
      const problem = await results.get(key);
      expect(problem, `${expectationOf(command.command).kind}`).toBeUndefined();
    },
    180_000,
  );
});

describe("help texts cite only files that exist", () => {
  it.each([
    ["the emulator", "dist/dev/surecloud-emulator/main.js"],
    ["surecloud-sync", "dist/toolbox/cli/main.js"],
    ["surecloud-tenant", "dist/tenant-config/tools/main.js"],
  ])("%s --help", (_name, binary) => {
    const help = execFileSync(process.execPath, [join(root, binary), "--help"]).toString();
    const cited = [...help.matchAll(/[\w./-]*[\w-]+\.md\b/g)].map((match) => match[0]);
    const missing = cited.filter(
      (path) => !existsSync(join(root, path)) && !existsSync(join(root, "docs", path)),
    );
    expect(missing, `${binary} --help cites files not in the repository`).toEqual([]);
  });
});
