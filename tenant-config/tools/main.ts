#!/usr/bin/env node
// Tenant onboarding: `surecloud-tenant <command> [options]`, run from a checkout after `npm run build`
// (the npm scripts tenant:deploy, tenant:diff, tenant:scim-token and entra:expression do both).
// It reads tenant-config/, .auth0rc.json and dist/actions, so it is not part of the worker image.
import { isEntryPoint } from "../../shared/entryPoint.js";
import type { CliIo } from "../../toolbox/cli/command.js";
import { type CliProgram, runAsProcess, runProgram } from "../../toolbox/cli/program.js";

export const tenantCli: CliProgram = {
  name: "surecloud-tenant",
  // A command's module loads only when it runs: deploy-cli is loaded by the two that use it.
  commands: [
    {
      name: "tenant-diff",
      summary: "Show what tenant-deploy would change in Auth0, without changing anything",
      load: async () => (await import("./commands/tenantDiff.js")).tenantDiffCommand,
    },
    {
      name: "tenant-deploy",
      summary: "Deploy tenant-config/ to Auth0 (connections with SCIM, the Action, its event stream)",
      load: async () => (await import("./commands/tenantDeploy.js")).tenantDeployCommand,
    },
    {
      name: "scim-token",
      summary: "Create a SCIM token for an organisation's connection and print it with the endpoint URL",
      load: async () => (await import("./commands/scimToken.js")).scimTokenCommand,
    },
    {
      name: "expression",
      summary: "Print the Entra userType expression for a role mapping, or evaluate it for an app role",
      load: async () => (await import("./commands/expression.js")).expressionCommand,
    },
  ],
};

export function runTenantCli(argv: string[], io: CliIo): Promise<number> {
  return runProgram(tenantCli, argv, io);
}

if (isEntryPoint(import.meta.url)) await runAsProcess(tenantCli);
