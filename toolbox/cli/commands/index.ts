// Every operations-CLI command, in the order `--help` lists them. Add a command here and nowhere else.
// A command's module loads only when it runs: start-up stays fast, and one command's dependencies
// (the Auth0 SDK) never stand in another's way.
import type { CommandEntry } from "../program.js";

export const commands: CommandEntry[] = [
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
    name: "user",
    summary: "One person at a glance: SureCloud account and groups, last jobs and outcomes, audit trail",
    load: async () => (await import("./user.js")).userCommand,
  },
  {
    name: "send-event",
    summary: "Smoke test: send one Auth0 user event through the built Action; --wait prints the outcome",
    load: async () => (await import("./sendEvent.js")).sendEventCommand,
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
    name: "entra-kit",
    summary: "Write the self-contained HTML page for a tenant's Entra administrator (no secrets in it)",
    load: async () => (await import("./entraKit.js")).entraKitCommand,
  },
  {
    name: "redis-acl",
    summary: "Print the Redis ACL SETUSER line for the Action's own, least-privileged Redis user",
    load: async () => (await import("./redisAcl.js")).redisAclCommand,
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
  {
    name: "stream-status",
    summary: "The Auth0 event stream: enabled or disabled, its destination, its failed deliveries",
    load: async () => (await import("./streamStatus.js")).streamStatusCommand,
  },
  {
    name: "redeliver",
    summary: "Ask Auth0 to redeliver the stream's failed events (a time range, types, or one event)",
    load: async () => (await import("./redeliver.js")).redeliverCommand,
  },
];
