// `surecloud-sync send-event`: the offline smoke test. One realistic Auth0 user event for a user of
// a connection goes through the built Action onto the queue, as Auth0 would send it; with --wait,
// the job's outcome is printed. Works for any tenant of any tenants file, with no Auth0.
import { redisEnvOf } from "../../../shared/redisSettings.js";
import type { TenantsFile } from "../../../shared/tenants.js";
import { tenantForConnection } from "../../../shared/tenants.js";
import { loadActionBundle } from "../../smoke/actionBundle.js";
import { type Auth0UserEventType, auth0UserEventTypes } from "../../smoke/auth0UserEvent.js";
import { describeResult, succeeded, waitForJob } from "../../smoke/jobResult.js";
import {
  buildSmokeEvent,
  deliverThroughAction,
  type SmokeUser,
  smokeIdentity,
} from "../../smoke/sendEvent.js";
import {
  loadOptionalTenants,
  parseCommandArgs,
  parsePositiveInt,
  printJson,
  queueOptions,
  queueOptionsHelpAt,
  queueSettings,
  runGuarded,
  tenantsOption,
  UsageError,
  withQueue,
} from "../args.js";
import type { CliCommand, CliIo } from "../command.js";

const DEFAULT_TIMEOUT_SECONDS = 30;

const options = {
  ...queueOptions,
  ...tenantsOption,
  connection: { type: "string" },
  tenant: { type: "string" },
  email: { type: "string" },
  "user-name": { type: "string" },
  "user-id": { type: "string" },
  directive: { type: "string" },
  roles: { type: "string" },
  blocked: { type: "boolean", default: false },
  type: { type: "string" },
  wait: { type: "boolean", default: false },
  timeout: { type: "string" },
  "dry-run": { type: "boolean", default: false },
} as const;

export const sendEventCommand: CliCommand = {
  name: "send-event",
  help: `Usage: surecloud-sync send-event (--connection <name> | --tenant <id>) [options]

Sends one realistic Auth0 user event (user.created, user.updated or user.deleted) for a user of
the connection through the built Action (dist/actions/group-sync.js) onto the queue, exactly as
Auth0 would: a smoke test of the worker, its tenants file and SureCloud, without Auth0. With
--wait it waits for the job and prints its outcome: applied and what changed, skipped and why,
or failed and why.

Options:
  --connection <name>   The user's Auth0 connection
  --tenant <id>         Or: the first connection of this tenant (needs the tenants file)
  --email <address>     The user's email; default the user name when it is an address,
                        else smoke.test@<connection>.example
  --user-name <name>    SCIM userName (Auth0 preferred_username); default the email
  --user-id <id>        Auth0 user id; default samlp|<connection>|<user name>
  --directive <value>   The userType to send (app_metadata.user_type); without it the user
                        has no directive, and the tenant's missingDirective applies
  --roles <a,b>         Entra app roles to send (app_metadata.roles), comma-separated
  --blocked             The user is blocked (unassigned or disabled in Entra)
  --type <type>         ${auth0UserEventTypes.join(", ")} (default user.created)
  --wait                Wait for the job and print its outcome; exit 1 unless it applied
  --timeout <seconds>   How long --wait waits (default ${DEFAULT_TIMEOUT_SECONDS})
  --dry-run             Print the event and send nothing
${queueOptionsHelpAt(24)}
  --tenants <file>      Tenants file (env TENANTS_FILE): for --tenant, and to warn when no
                        tenant lists the connection
  --json                Print the result as JSON

Example:
  surecloud-sync send-event --connection globex-entra --email gina@globex.example \\
    --directive 5b4e2a17-df3c-4b82-a6f2-27a119d8c441 --wait`,
  run: (args, io) =>
    runGuarded(io, "send-event", async () => {
      const { values } = parseCommandArgs({ args, options, strict: true, allowPositionals: false });
      const tenants = await loadOptionalTenants(values, io.env);
      const user: SmokeUser = {
        connection: connectionOf(values, tenants),
        email: nonEmpty(values.email, "--email"),
        userName: nonEmpty(values["user-name"], "--user-name"),
        userId: nonEmpty(values["user-id"], "--user-id"),
        directive: values.directive,
        roles: values.roles
          ?.split(",")
          .map((role) => role.trim())
          .filter(Boolean),
        blocked: values.blocked,
        type: eventType(values.type),
      };
      const timeoutMs =
        1000 *
        (values.timeout === undefined
          ? DEFAULT_TIMEOUT_SECONDS
          : parsePositiveInt("--timeout", values.timeout));
      const identity = smokeIdentity(user);
      const message = buildSmokeEvent(user, identity);
      if (values["dry-run"]) {
        printJson(io, message);
        return 0;
      }
      const settings = queueSettings(values, io.env);
      warnUnrouted(io, tenants, user.connection);
      const action = loadActionBundle();
      let delivery: Awaited<ReturnType<typeof deliverThroughAction>>;
      try {
        delivery = await deliverThroughAction(action, message, {
          ...redisEnvOf(settings.redis),
          QUEUE_NAME: settings.queueName,
        });
      } finally {
        await action.closeQueues();
      }
      const result =
        values.wait && delivery.queued
          ? await withQueue(settings, ({ queue }) =>
              waitForJob(queue, delivery.jobId, { timeoutMs, untilRetrying: true }),
            )
          : undefined;
      const summary = result ? describeResult(result) : undefined;
      if (values.json) {
        printJson(io, {
          ...identity,
          connection: user.connection,
          queue: settings.queueName,
          ...delivery,
          result,
          summary,
        });
      } else {
        const directive = user.directive === undefined ? "no directive" : `directive "${user.directive}"`;
        io.out(
          `Sent ${user.type} ${delivery.eventId} for ${identity.auth0UserId} (${identity.email}, ${directive}${user.blocked ? ", blocked" : ""})`,
        );
        if (!delivery.queued) {
          io.out(`The Action stored no job: ${delivery.actionLog.join(" ")}`);
          return 1;
        }
        io.out(`Queued job ${delivery.jobId} on queue ${settings.queueName}`);
        if (summary) io.out(`Outcome: ${summary}`);
        else if (values.wait) {
          io.out(
            `Outcome: none after ${timeoutMs / 1000} s: is a worker consuming queue "${settings.queueName}"?`,
          );
        }
      }
      if (!delivery.queued) return 1;
      return !values.wait || (result && succeeded(result)) ? 0 : 1;
    }),
};

function connectionOf(
  values: { connection?: string | undefined; tenant?: string | undefined },
  tenants: TenantsFile | undefined,
): string {
  if (values.connection !== undefined && values.tenant !== undefined) {
    throw new UsageError("give --connection or --tenant, not both");
  }
  if (values.connection !== undefined) return nonEmpty(values.connection, "--connection") ?? "";
  if (values.tenant === undefined) throw new UsageError("--connection <name> (or --tenant <id>) is required");
  if (!tenants)
    throw new UsageError("--tenant needs the tenants file: pass --tenants <file> or set TENANTS_FILE");
  const tenant = tenants.tenants.find((candidate) => candidate.id === values.tenant);
  if (!tenant) {
    const known = tenants.tenants.map((candidate) => candidate.id).join(", ");
    throw new UsageError(`--tenant: no tenant "${values.tenant}" in the tenants file (known: ${known})`);
  }
  return tenant.connections[0] ?? "";
}

function warnUnrouted(io: CliIo, tenants: TenantsFile | undefined, connection: string): void {
  if (tenants && !tenantForConnection(tenants, connection)) {
    io.err(
      `Warning: no tenant in the tenants file lists connection "${connection}": the worker will skip the job (unknown-connection).`,
    );
  }
}

function eventType(value: string | undefined): Auth0UserEventType {
  if (value === undefined) return "user.created";
  const known = auth0UserEventTypes.find((type) => type === value);
  if (!known) throw new UsageError(`--type must be one of ${auth0UserEventTypes.join(", ")}, not "${value}"`);
  return known;
}

function nonEmpty(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && value.trim() === "") throw new UsageError(`${option} may not be empty`);
  return value;
}
