// `surecloud-sync audit`: the changes the worker made to SureCloud, from the audit trail in Redis,
// filtered by tenant, user and time, as a table or JSON lines.

import { workerDefaults } from "../../../worker/defaults.js";
import { formatAuditJsonLines, formatAuditTable } from "../../audit/auditFormat.js";
import { parseInstant } from "../../audit/timeRange.js";
import { auditOf, idsOfPerson } from "../../person/personRecords.js";
import {
  loadOptionalTenants,
  parseCommandArgs,
  parsePositiveInt,
  queueOptions,
  queueOptionsHelp,
  queueSettings,
  runGuarded,
  UsageError,
  withQueue,
} from "../args.js";
import type { CliCommand } from "../command.js";

const options = {
  ...queueOptions,
  tenant: { type: "string" },
  user: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  limit: { type: "string" },
} as const;

const DEFAULT_LIMIT = 1000;

export const auditCommand: CliCommand = {
  name: "audit",
  help: `Usage: surecloud-sync audit [--tenant <id>] [--user <id>] [--since <when>] [--until <when>] [--limit <n>] [--json]

Prints the audit trail: one entry per job that changed SureCloud, with the tenant, the Auth0 and
SureCloud users, the event (id, type, resync or live) that caused it, the directive, the fields and
status written and the memberships added and removed. Oldest first.

Options:
  --tenant <id>       Only this tenant
  --user <who>        Only this person: Auth0 user id, SureCloud user id, email or userName
                      (an email or userName is resolved through the queue's jobs, and through
                      SureCloud when TENANTS_FILE is set)
  --since <when>      From this time: ISO 8601 (2026-11-02T08:00:00Z) or an age (90m, 24h, 7d)
  --until <when>      Up to this time, same forms
  --limit <n>         The newest n matching entries (default ${DEFAULT_LIMIT})
${queueOptionsHelp}
  --json              One JSON object per line

The trail is the Redis stream group-sync:<queue>:audit; the worker keeps AUDIT_RETENTION_DAYS of it
(default ${workerDefaults.AUDIT_RETENTION_DAYS}) and at most AUDIT_MAX_ENTRIES entries (default ${workerDefaults.AUDIT_MAX_ENTRIES}).

Example:
  surecloud-sync audit --tenant acme --since 24h`,
  run: (args, io) =>
    runGuarded(io, "audit", async () => {
      const { values } = parseCommandArgs({ args, options, strict: true, allowPositionals: false });
      const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt("--limit", values.limit);
      const since = values.since === undefined ? undefined : instant(values.since, "--since");
      const until = values.until === undefined ? undefined : instant(values.until, "--until");
      const filter = { tenantId: values.tenant, since, until, limit };
      const tenants = values.user === undefined ? undefined : await loadOptionalTenants({}, io.env);
      const entries = await withQueue(queueSettings(values, io.env), async ({ queue, redis }) => {
        const users =
          values.user === undefined
            ? [undefined]
            : await idsOfPerson({ queue, redis, env: io.env, tenants }, values.user);
        return auditOf(redis, queue.name, users, filter);
      });
      if (values.json) {
        if (entries.length > 0) io.out(formatAuditJsonLines(entries));
      } else if (entries.length === 0) io.out("No audit entries match.");
      else io.out(`${formatAuditTable(entries)}\n\n${entries.length} entries`);
      return 0;
    }),
};

function instant(value: string, flag: string): Date {
  try {
    return parseInstant(value, flag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
