// `surecloud-tenant tenant-deploy`: deploys tenant-config/ to Auth0 with auth0-deploy-cli, writing only
// what differs. Shares its runner with `tenant-diff`, which previews the same deploy.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliCommand, CliIo } from "../../../toolbox/cli/command.js";
import { defaultPaths, prepareDeploy } from "../deployInputs.js";
import { type DeployMode, runDeployCli } from "../tenantDeploy.js";
import { reachingAuth0 } from "./auth0Reach.js";

const environmentHelp = [
  "Run from the repository root after `npm run build` (npm run tenant:deploy does both).",
  "",
  "Options:",
  "  --organisations <file>  the organisations file; default tenant-config/organisations.yaml",
  "",
  "Environment: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (the deploy-cli application),",
  "the Action's secrets as ACTION_<NAME>: ACTION_REDIS_URL (or ACTION_REDIS_CLUSTER_NODES, or",
  "ACTION_REDIS_SENTINELS with ACTION_REDIS_SENTINEL_NAME), ACTION_QUEUE_NAME (default",
  "surecloud-group-sync) and the optional ones in docs/operator.md; and every ##KEYWORD## that",
  "tenant-config/organisations.yaml names. A missing one stops the command, by name, before any call.",
  "",
  "EVENT_STREAM_DESTINATION=webhook deploys the event stream to the worker's intake instead of the",
  "Action: it then reads INTAKE_URL (https://…/events) and INTAKE_TOKEN (the worker's, 32+ characters)",
  "instead of the ACTION_ variables. Default: action.",
];

export const tenantDeployCommand: CliCommand = {
  name: "tenant-deploy",
  help: [
    "Usage: surecloud-tenant tenant-deploy [--organisations <file>]",
    "",
    "Shows deploy-cli's preview, then creates or updates only the resources that differ: one",
    "connection per organisation, the Event Stream Action (deployed) and its event stream. Nothing",
    "else in the tenant is changed, and nothing is deleted. It then reads the Action back and deploys",
    "it if Auth0 runs another version (a deploy that was interrupted), before binding the stream.",
    "A call Auth0 refuses fails the command, naming the resource, even where deploy-cli carries on.",
    "",
    ...environmentHelp,
    "",
    "Example: npm run tenant:deploy",
  ].join("\n"),
  run: (args, io) => runTenantDeploy(args, io, "apply"),
};

/** Prepares, checks and runs one deploy-cli deploy in the given mode. */
export async function runTenantDeploy(args: string[], io: CliIo, mode: DeployMode): Promise<number> {
  let organisations: string | undefined;
  try {
    ({
      values: { organisations },
    } = parseArgs({
      args,
      options: { organisations: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const paths = defaultPaths();
  if (organisations) paths.organisationsFile = resolve(organisations);
  const prepared = await prepareDeploy(paths, io.env);
  const report = await reachingAuth0(prepared.credentials.domain, () => runDeployCli(prepared, mode));
  const connections = prepared.connectionNames.join(", ");
  if (mode === "apply") {
    for (const action of report.deployedActions) io.out(`Deployed, as Auth0 ran another version: ${action}.`);
    io.out(`Tenant deploy finished. Organisation connections: ${connections}.`);
    return 0;
  }
  io.out(
    report.changedFields.length === 0
      ? "No field of an existing resource differs."
      : ["Fields that differ (values not shown):", ...report.changedFields.map((field) => `  ${field}`)].join(
          "\n",
        ),
  );
  if (report.deployedStateGaps.length > 0) {
    io.out(
      [
        "What Auth0 runs is not what tenant-config stages:",
        ...report.deployedStateGaps.map((gap) => `  ${gap}`),
      ].join("\n"),
    );
  }
  io.out(
    [
      `Organisation connections: ${connections}.`,
      "Rows marked DELETE * are resources this project does not own; a deploy never deletes them.",
    ].join("\n"),
  );
  return 0;
}
