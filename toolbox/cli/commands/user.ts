// `surecloud-sync user <email | userName | Auth0 user id>`: one person at a glance, without Auth0:
// the SureCloud account (status, groups by name), the last jobs and their outcomes, the audit trail.

import { formatPerson } from "../../person/personFormat.js";
import { JOBS_SCANNED_PER_STATE } from "../../person/personJobs.js";
import { auditOf } from "../../person/personRecords.js";
import { resolvePerson } from "../../person/resolvePerson.js";
import {
  loadOptionalTenants,
  parseCommandArgs,
  parsePositiveInt,
  printJson,
  queueOptions,
  queueOptionsHelp,
  queueSettings,
  runGuarded,
  tenantsOption,
  UsageError,
  withQueue,
} from "../args.js";
import type { CliCommand } from "../command.js";
import { selectTenants } from "../opsContext.js";

const DEFAULT_LIMIT = 10;

export const userCommand: CliCommand = {
  name: "user",
  help: `Usage: surecloud-sync user <email | userName | Auth0 user id> [--tenant <id>] [--json]

One person at a glance, without Auth0: their SureCloud account in each tenant that has one
(status, and groups by their catalogue names), their last jobs with each outcome (applied and
what changed, skipped and why, failed and why, still waiting), and the audit trail of what the
worker changed for them.

An email or userName is resolved to the Auth0 user id through the jobs on the queue (the newest
${JOBS_SCANNED_PER_STATE} of each state) and SureCloud's own look-up; SureCloud is read with each
tenant's token (the variable its tokenEnv names), read-only, through the worker's adapter.

Options:
  --tenant <id>       Read only this tenant's SureCloud
  --limit <n>         Show the newest n jobs and audit entries (default ${DEFAULT_LIMIT})
${queueOptionsHelp}
  --tenants <file>    Tenants file (env TENANTS_FILE); without it SureCloud is not read
  --json              Print everything as JSON

Exit codes: 0 when the person has an account, a job or an audit entry; 1 when nothing was found.

Example:
  surecloud-sync user gina@globex.example --tenant globex`,
  run: (args, io) =>
    runGuarded(io, "user", async () => {
      const { values, positionals } = parseCommandArgs({
        args,
        options: { ...queueOptions, ...tenantsOption, tenant: { type: "string" }, limit: { type: "string" } },
        strict: true,
        allowPositionals: true,
      });
      const [query, ...extra] = positionals;
      if (!query?.trim() || extra.length > 0) {
        throw new UsageError("give one email, userName or Auth0 user id (quote an id: it holds '|')");
      }
      const limit = values.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt("--limit", values.limit);
      const tenants = await loadOptionalTenants(values, io.env);
      if (values.tenant !== undefined && !tenants) {
        throw new UsageError("--tenant needs the tenants file: pass --tenants <file> or set TENANTS_FILE");
      }
      const only = tenants && values.tenant !== undefined ? selectTenants(tenants, values.tenant) : undefined;
      const { person, audit } = await withQueue(queueSettings(values, io.env), async ({ queue, redis }) => {
        const found = await resolvePerson({ queue, redis, env: io.env, tenants, only }, query.trim());
        const ids = [...found.auth0UserIds, ...found.accounts.map((account) => account.user.id)];
        const entries = await auditOf(redis, queue.name, ids, { tenantId: values.tenant, limit });
        return { person: found, audit: entries };
      });
      const found = person.accounts.length > 0 || person.jobs.length > 0 || audit.length > 0;
      if (values.json) printJson(io, { ...person, jobs: person.jobs.slice(0, limit), audit });
      else if (!found) {
        io.out(`Nothing found for ${query}: no SureCloud account, no recent job and no audit entry.`);
        for (const note of person.notes) io.out(`Note: ${note}`);
      } else io.out(formatPerson(person, audit, limit));
      return found ? 0 : 1;
    }),
};
