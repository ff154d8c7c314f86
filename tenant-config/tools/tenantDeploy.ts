// Runs auth0-deploy-cli's programmatic `deploy` on a prepared input, in one of two modes:
// `preview` shows what would change; `apply` previews, then writes only what differs.
import { createRequire } from "node:module";
import { ConfigError } from "../../shared/errors.js";
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

  for (const types of passes(prepared, mode)) {
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
  }
  return { changedFields: changedFields(dryRunLog.getDiffLog()) };
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
