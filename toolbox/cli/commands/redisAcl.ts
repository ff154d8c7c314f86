// `surecloud-sync redis-acl`: prints the Redis `ACL SETUSER` line for the Action's own Redis user,
// limited to one queue's BullMQ keys and the commands the Action sends. Prints; never connects.
import { workerDefaults } from "../../../worker/defaults.js";
import {
  type AclPassword,
  actionAclLine,
  actionCommands,
  PASSWORD_PLACEHOLDER,
} from "../../ops/actionAcl.js";
import { parseCommandArgs, queueNameSetting, runGuarded, UsageError } from "../args.js";
import type { CliCommand } from "../command.js";

const DEFAULT_USER = "surecloud-action";

export const redisAclCommand: CliCommand = {
  name: "redis-acl",
  help: [
    "Usage: surecloud-sync redis-acl [options]",
    "",
    "Prints the Redis command that creates (or resets) the Action's own Redis user: it may touch",
    "only the queue's BullMQ keys (bull:<queue>:*), run only the commands the Action sends",
    `(${actionCommands.join(", ")}), and use no pub/sub channel. The worker's`,
    "keys (group-sync:<queue>:*) and other queues stay out of its reach. The password is printed",
    "only as its SHA-256. Feed the line to redis-cli as an administrator, then put the user and",
    "password in the Action's REDIS_URL secret (redis://surecloud-action:<password>@host:port).",
    "Redis keeps the user in memory only: run ACL SAVE (aclfile) or CONFIG REWRITE afterwards.",
    "",
    "Options:",
    `  --user <name>          Redis user name (default ${DEFAULT_USER})`,
    `  --queue <name>         Queue name (env QUEUE_NAME; default ${workerDefaults.QUEUE_NAME})`,
    "  --password-env <VAR>   Environment variable holding the user's password; without it the",
    `                         line carries the placeholder ${PASSWORD_PLACEHOLDER}, which Redis refuses`,
    "                         until replaced by the password's SHA-256 (printf %s PW | sha256sum)",
    "  --select               Also grant SELECT: needed when the Action's REDIS_URL names a database",
    "                         (redis://…/2); without it Redis refuses the SELECT and ioredis, which",
    "                         only reports that, queues the jobs in database 0, out of the worker's sight",
    "",
    "Example:",
    "  surecloud-sync redis-acl --password-env ACTION_REDIS_PASSWORD \\",
    '    | REDISCLI_AUTH="$REDIS_ADMIN_PASSWORD" redis-cli --user admin -h redis.internal --tls',
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "redis-acl", async () => {
      const { values } = parseCommandArgs({
        args,
        options: {
          user: { type: "string", default: DEFAULT_USER },
          queue: { type: "string" },
          "password-env": { type: "string" },
          select: { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: false,
      });
      if (!/^[A-Za-z0-9_.-]+$/.test(values.user)) {
        throw new UsageError("--user may hold letters, digits, '_', '.', '-' only");
      }
      const queueName = queueNameSetting(values, io.env);
      const password = passwordFrom(values["password-env"], io.env);
      io.out(actionAclLine({ user: values.user, queueName, password, select: values.select }));
      if (password.kind === "placeholder") {
        io.err(`Replace ${PASSWORD_PLACEHOLDER} before running the line, or pass --password-env <VAR>.`);
      }
      return 0;
    }),
};

function passwordFrom(variable: string | undefined, env: NodeJS.ProcessEnv): AclPassword {
  if (variable === undefined) return { kind: "placeholder" };
  const value = env[variable];
  if (!value) throw new UsageError(`--password-env ${variable}: the variable is not set or is empty`);
  return { kind: "secret", value };
}
