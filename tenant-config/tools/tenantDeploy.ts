// Runs auth0-deploy-cli's programmatic `deploy` on a prepared input, in one of two modes:
// `preview` shows what would change; `apply` previews, then writes only what differs. Either way a
// call Auth0 refused fails the run, and what deploy-cli cannot compare (is each Action deployed as
// staged, is each stream bound to it) is read back: `apply` deploys what is behind, `preview` lists it.
import { createRequire } from "node:module";
import { ManagementClient } from "auth0";
import { ConfigError } from "../../shared/errors.js";
import { deployStagedActions } from "./actionConvergence.js";
import { type LoggedRefusal, watchRefusals } from "./deployCliRefusals.js";
import {
  deploymentGaps,
  describeAction,
  readAction,
  readStagedState,
  type StagedState,
  streamBindingGaps,
} from "./deployedState.js";
import { DeployIncompleteError } from "./deployIncompleteError.js";
import type { PreparedDeploy } from "./deployInputs.js";

/**
 * preview: deploy-cli's dry run, nothing written.
 * apply:   the dry run, then deploy-cli's handlers compute their changes the same way (dry-run
 *          comparison, AUTH0_DRY_RUN=true) and write only resources that differ, so a tenant that
 *          already matches sees no write at all; deletes stay disabled.
 */
export type DeployMode = "preview" | "apply";

export interface DeployReport {
  /** `<resource type> <field path>` for each field the preview found different; values are never shown. */
  changedFields: string[];
  /** preview: each staged Action Auth0 does not run as staged, each stream not bound to its Action. */
  deployedStateGaps: string[];
  /** apply: each Action deployed after deploy-cli's run because Auth0 ran another version, with why. */
  deployedActions: string[];
}

interface DeployCli {
  deploy(params: { input_file: string; dry_run?: "preview"; config: Record<string, unknown> }): Promise<void>;
}
interface Nconf {
  overrides(values: Record<string, unknown>): unknown;
}
interface DryRunLog {
  getDiffLog(): Record<string, string[]>;
}

// deploy-cli is a development dependency: load it only when a deploy runs.
const require = createRequire(import.meta.url);

export async function runDeployCli(prepared: PreparedDeploy, mode: DeployMode): Promise<DeployReport> {
  const cli = loadDeployCli();
  const fromCli = createRequire(require.resolve("auth0-deploy-cli"));
  const dryRunLog = fromCli("./tools/calculateDryRunChanges") as DryRunLog;
  clearLog(dryRunLog.getDiffLog());
  const staged = await readStagedState(prepared.inputFile, keywordValues(prepared));
  let client: ManagementClient | undefined;
  const tenant = () => {
    client ??= new ManagementClient({ ...prepared.credentials, maxRetries: 3 });
    return client;
  };

  const deployedActions: string[] = [];
  for (const types of passes(prepared, mode)) {
    const refusals = await runPass(cli, fromCli, prepared, mode, types);
    if (refusals.length > 0) throw await refusalError(refusals, prepared, tenant());
    // Before the streams' pass, so a stream is never bound to an Action Auth0 does not run.
    if (mode === "apply" && types.includes("actions")) {
      deployedActions.push(...(await deployStagedActions(tenant(), staged.actions)));
    }
  }
  const streamGaps = await streamBindingGaps(tenant(), staged.streams);
  if (mode === "apply" && streamGaps.length > 0) throw new DeployIncompleteError(streamGaps.join("\n"));
  return {
    changedFields: changedFields(dryRunLog.getDiffLog()),
    deployedStateGaps: mode === "preview" ? [...(await actionGaps(tenant(), staged)), ...streamGaps] : [],
    deployedActions,
  };
}

/** One deploy-cli run over the given resource types: the refusals it logged and carried on from. */
async function runPass(
  cli: DeployCli,
  fromCli: NodeJS.Require,
  prepared: PreparedDeploy,
  mode: DeployMode,
  types: string[],
): Promise<LoggedRefusal[]> {
  const watch = watchRefusals(fromCli);
  try {
    // deploy-cli keeps its settings in a process-wide nconf: clear the last run's, or its apply flag leaks.
    (fromCli("nconf") as Nconf).overrides({});
    await cli.deploy({
      input_file: prepared.inputFile,
      // Only so deploy-cli does not end a preview with "Import Successful"; the config below decides.
      ...(mode === "preview" ? { dry_run: "preview" as const } : {}),
      config: {
        ...prepared.config,
        AUTH0_INCLUDED_ONLY: types,
        AUTH0_DRY_RUN: true,
        AUTH0_DRY_RUN_APPLY: mode === "apply",
        AUTH0_DRY_RUN_INTERACTIVE: false,
      },
    });
  } catch (error) {
    // deploy-cli's own error names the resource; what it logged before stopping is kept with it.
    const logged = await watch.stop();
    if (logged.length === 0) throw error;
    throw new DeployIncompleteError(
      [
        (error as Error).message,
        "Before that, deploy-cli logged:",
        ...logged.map((refusal) => `  - ${refusal.message}`),
      ].join("\n"),
      { cause: error },
    );
  }
  return watch.stop();
}

/** Each staged Action the tenant has whose deployed version is not the staged one, described. */
async function actionGaps(client: ManagementClient, staged: StagedState): Promise<string[]> {
  const gaps: string[] = [];
  for (const action of staged.actions) {
    const live = await readAction(client, action.name);
    const behind = live ? deploymentGaps(action, live) : [];
    if (live && behind.length > 0) gaps.push(describeAction(live, behind));
  }
  return gaps;
}

/** The failure for refusals deploy-cli only logged: each connection by name, with what it asked for. */
async function refusalError(
  refusals: LoggedRefusal[],
  prepared: PreparedDeploy,
  client: ManagementClient,
): Promise<DeployIncompleteError> {
  const lines: string[] = [];
  for (const refusal of refusals) {
    const id = refusal.connectionId;
    const name = id ? await connectionName(client, id) : undefined;
    const asked = name ? prepared.enabledClients[name] : undefined;
    const subject = !id
      ? ""
      : `connection "${name ?? "?"}" (${id})${asked?.length ? `, enabledClients ${asked.join(", ")}` : ""}: `;
    lines.push(`  - ${subject}${refusal.message}`);
  }
  return new DeployIncompleteError(
    [
      "Auth0 refused calls that deploy-cli logged and carried on from; the tenant is not as tenant-config says:",
      ...lines,
      "Fix each (an enabledClients name the tenant has no application for, a scope the deploy application",
      "lacks: docs/operator.md lists them) and deploy again.",
    ].join("\n"),
  );
}

async function connectionName(client: ManagementClient, id: string): Promise<string | undefined> {
  try {
    return (await client.connections.get(id)).name;
  } catch {
    // Only the message's detail is lost: the refusal itself is reported with the connection's id.
    return undefined;
  }
}

/** The keyword values deploy-cli fills into the staged input. */
function keywordValues(prepared: PreparedDeploy): Record<string, unknown> {
  return (prepared.config.AUTH0_KEYWORD_REPLACE_MAPPINGS ?? {}) as Record<string, unknown>;
}

function loadDeployCli(): DeployCli {
  try {
    return require("auth0-deploy-cli") as DeployCli;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    throw new ConfigError("auth0-deploy-cli is not installed: run the tenant commands from a full `npm ci`");
  }
}

/**
 * The resource types of each deploy-cli run. Applying takes two: deploy-cli 8.44's event-stream
 * handler resolves its Action from the list it read during the preview, before the Action existed,
 * so a first deploy would fail to bind the stream. Streams therefore go in a second run.
 */
function passes(prepared: PreparedDeploy, mode: DeployMode): string[][] {
  const types = prepared.config.AUTH0_INCLUDED_ONLY as string[];
  if (mode === "preview" || !types.includes("eventStreams")) return [types];
  const first = types.filter((type) => type !== "eventStreams");
  return first.length > 0 ? [first, ["eventStreams"]] : [["eventStreams"]];
}

/** Turns deploy-cli's diff messages into field paths, leaving out the values they quote. */
export function changedFields(log: Record<string, string[]>): string[] {
  const fields: string[] = [];
  for (const [type, messages] of Object.entries(log)) {
    for (const message of messages) {
      const path = /\[(.*?)\](?=: | found|$)/.exec(message)?.[1];
      if (path !== undefined) fields.push(`${type} ${path}`);
    }
  }
  return [...new Set(fields)];
}

function clearLog(log: Record<string, string[]>): void {
  for (const key of Object.keys(log)) delete log[key];
}
