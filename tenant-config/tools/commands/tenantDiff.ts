// `surecloud-tenant tenant-diff`: what `tenant-deploy` would change, read from the live tenant; writes nothing.
import type { CliCommand } from "../../../toolbox/cli/command.js";
import { runTenantDeploy } from "./tenantDeploy.js";

export const tenantDiffCommand: CliCommand = {
  name: "tenant-diff",
  help: [
    "Usage: surecloud-tenant tenant-diff [--organisations <file>]",
    "",
    "Reads the live tenant's connections, Actions and event streams and prints deploy-cli's preview:",
    "each resource to create or update, and each field of an existing resource that differs. Secret",
    "values are never printed; a changed secret shows as a change to the Action's secrets. It also",
    "lists an Action whose deployed version is not the staged one (never deployed, or deployed before",
    "its last change) and a stream not bound to its Action: deploy-cli's own comparison misses both.",
    "",
    "Run from the repository root after `npm run build` (npm run tenant:diff does both).",
    "",
    "Options:",
    "  --organisations <file>  the organisations file; default tenant-config/organisations.yaml",
    "",
    "Environment: as for tenant-deploy; a missing variable stops it, by name, before any call.",
    "",
    "Example: npm run tenant:diff",
  ].join("\n"),
  run: (args, io) => runTenantDeploy(args, io, "preview"),
};
