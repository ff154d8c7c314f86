// Every operations-CLI command, in the order `--help` lists them. Add a command here and nowhere else.
// A command's module loads only when it runs: start-up stays fast, and one command's dependencies
// (deploy-cli, the Auth0 SDK) never stand in another's way.
import type { CliCommand } from "../command.js";

export interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load: () => Promise<CliCommand>;
}

export const commands: CommandEntry[] = [
  {
    name: "tenant-diff",
    summary: "Show what tenant-deploy would change in Auth0, without changing anything",
    load: async () => (await import("./tenantDiff.js")).tenantDiffCommand,
  },
  {
    name: "tenant-deploy",
    summary: "Deploy tenant-config/ to Auth0 (connections with SCIM, the Action, its event stream)",
    load: async () => (await import("./tenantDeploy.js")).tenantDeployCommand,
  },
  {
    name: "scim-token",
    summary: "Create a SCIM token for an organisation's connection and print it with the endpoint URL",
    load: async () => (await import("./scimToken.js")).scimTokenCommand,
  },
  {
    name: "expression",
    summary: "Print the Entra userType expression for a role mapping, or evaluate it for an app role",
    load: async () => (await import("./expression.js")).expressionCommand,
  },
  {
    name: "status",
    summary: "Queue depths, jobs finished in the last minute and hour, failed jobs by reason",
    load: async () => (await import("./status.js")).statusCommand,
  },
  {
    name: "failed",
    summary: "List failed jobs with reason, user, tenant and event",
    load: async () => (await import("./failed.js")).failedCommand,
  },
  {
    name: "retry",
    summary: "Retry one failed job by id, or every failed job matching --reason/--tenant",
    load: async () => (await import("./retry.js")).retryCommand,
  },
  {
    name: "explain",
    summary: "Explain what a group directive (SCIM userType) value does",
    load: async () => (await import("./explain.js")).explainCommand,
  },
  {
    name: "check-config",
    summary: "Check the tenants file, token variables and each tenant's SureCloud",
    load: async () => (await import("./checkConfig.js")).checkConfigCommand,
  },
  {
    name: "resync",
    summary: "Queue a sync of every Auth0 user of a tenant (or all); --dry-run prints the plans instead",
    load: async () => (await import("./resync.js")).resyncCommand,
  },
  {
    name: "plan",
    summary: "Show, without writing, what the worker would change in SureCloud for one Auth0 user",
    load: async () => (await import("./plan.js")).planCommand,
  },
  {
    name: "drift",
    summary: "Report users whose SureCloud access differs from their Auth0 state, with the fixing plan",
    load: async () => (await import("./drift.js")).driftCommand,
  },
  {
    name: "audit",
    summary: "List the changes the worker made to SureCloud, with the Auth0 event that caused each",
    load: async () => (await import("./audit.js")).auditCommand,
  },
];
