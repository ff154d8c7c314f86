// `surecloud-sync plan <auth0-user-id>`: what the worker would do for one user now, computed by
// the worker's own planning code against SureCloud with every write refused.
import { connectionOf } from "../../../shared/eventToJob.js";
import { tenantForConnection } from "../../../shared/tenants.js";
import { formatPreviewDetail } from "../../resync/planFormat.js";
import { previewJob } from "../../resync/preview.js";
import { resyncJobFor } from "../../resync/resyncJob.js";
import { parseCommandArgs, printJson, runGuarded, tenantsOption, UsageError } from "../args.js";
import type { CliCommand } from "../command.js";
import { directiveSourceHelp, directiveSourceOption, withDirectiveSource } from "../directiveSourceOption.js";
import { auth0AttributesOf, auth0SourceFrom, previewDepsFor, requireTenants } from "../opsContext.js";

const options = {
  ...tenantsOption,
  ...directiveSourceOption,
  json: { type: "boolean", default: false },
} as const;

export const planCommand: CliCommand = {
  name: "plan",
  help: `Usage: surecloud-sync plan <auth0-user-id> [--json] [--tenants <file>] [--directive-source <source>]

Reads the user's current state from Auth0, routes it to its tenant by connection, and plans the
sync with the worker's own code against SureCloud (reads only): create / link / fields / status /
groups to add and remove, or the failure the worker would hit (conflict, invalid-directive, …).
For a tenant whose directive comes from app roles, it says which role gave which groups and which
of the user's roles the mapping does not name.

Options:
  --tenants <file>    Tenants file (env TENANTS_FILE)
${directiveSourceHelp}
  --json              Print the plan as JSON

Environment: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, TENANTS_FILE, DIRECTIVE_ATTRIBUTE,
ROLES_ATTRIBUTE, and the SureCloud token variable of the user's tenant.

Examples:
  surecloud-sync plan "samlp|acme-entra|5f0c2b9e"
  surecloud-sync plan "samlp|acme-entra|5f0c2b9e" --directive-source roles`,
  run: (args, io) =>
    runGuarded(io, "plan", async () => {
      const { values, positionals } = parseCommandArgs({
        args,
        options,
        strict: true,
        allowPositionals: true,
      });
      const [userId, ...extra] = positionals;
      if (!userId || extra.length > 0) throw new UsageError("pass exactly one Auth0 user id");
      const loaded = await requireTenants(values, io.env);
      const user = await auth0SourceFrom(io).getUser(userId);
      if (!user) {
        io.err(`Error: Auth0 has no user "${userId}".`);
        return 1;
      }
      const connection = connectionOf(user) ?? "";
      const { job } = resyncJobFor(user, connection, auth0AttributesOf(io.env), "plan");
      const owner = tenantForConnection(loaded, connection);
      const file = withDirectiveSource(loaded, owner?.id, values["directive-source"]);
      // Only the user's own tenant gets a SureCloud client, so other tenants' tokens are not needed.
      const tenant = tenantForConnection(file, connection);
      const preview = await previewJob(job, previewDepsFor(file, tenant ? [tenant] : [], io.env));
      if (values.json) printJson(io, preview);
      else io.out(formatPreviewDetail(preview));
      return preview.outcome === "failed" ? 1 : 0;
    }),
};
