// `surecloud-sync drift --tenant <id>`: the users whose SureCloud memberships, status or profile
// differ from what their Auth0 state says, each with the plan a resync would apply. Reads only.
import { formatDriftReport } from "../../drift/driftFormat.js";
import { buildDriftReport } from "../../drift/driftReport.js";
import { parseCommandArgs, printJson, runGuarded, tenantsOption, UsageError } from "../args.js";
import type { CliCommand } from "../command.js";
import { directiveSourceHelp, directiveSourceOption, withDirectiveSource } from "../directiveSourceOption.js";
import {
  auth0AttributesOf,
  auth0SourceFrom,
  previewDepsFor,
  progressFor,
  requireTenants,
  selectTenants,
} from "../opsContext.js";

const options = {
  ...tenantsOption,
  ...directiveSourceOption,
  tenant: { type: "string" },
  json: { type: "boolean", default: false },
  "fail-on-drift": { type: "boolean", default: false },
} as const;

/** Exit code of --fail-on-drift when something drifted, so a scheduled check can alert. */
const DRIFT_EXIT_CODE = 3;

export const driftCommand: CliCommand = {
  name: "drift",
  help: `Usage: surecloud-sync drift --tenant <id> [--json] [--fail-on-drift] [--tenants <file>]
                            [--directive-source <userType|roles>]

Compares every user of the tenant's Auth0 connection with SureCloud, using the worker's own
planning code (reads only), and lists those out of step: missing, unlinked, status, memberships
(a group added or removed by hand) or profile, with the plan that fixes each. \`resync\` applies it.
With --directive-source roles on a tenant still on userType, it lists every user whose groups the
switch would change, and the app roles the role mapping does not name.

Options:
  --tenant <id>       The tenant organisation (required)
  --fail-on-drift     Exit with ${DRIFT_EXIT_CODE} when any user drifted (for a scheduled check)
  --tenants <file>    Tenants file (env TENANTS_FILE)
  --json              Print the report as JSON
${directiveSourceHelp}

Environment: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, TENANTS_FILE, DIRECTIVE_ATTRIBUTE,
ROLES_ATTRIBUTE, and the tenant's SureCloud token variable.

Examples:
  surecloud-sync drift --tenant acme
  surecloud-sync drift --tenant acme --directive-source roles`,
  run: (args, io) =>
    runGuarded(io, "drift", async () => {
      const { values } = parseCommandArgs({ args, options, strict: true, allowPositionals: false });
      if (!values.tenant) throw new UsageError("pass --tenant <id>");
      const file = withDirectiveSource(
        await requireTenants(values, io.env),
        values.tenant,
        values["directive-source"],
      );
      const [tenant] = selectTenants(file, values.tenant);
      if (!tenant) throw new UsageError(`no tenant "${values.tenant}"`);
      const report = await buildDriftReport({
        tenant,
        source: auth0SourceFrom(io),
        preview: previewDepsFor(file, [tenant], io.env),
        attributes: auth0AttributesOf(io.env),
        progress: progressFor(io),
      });
      if (values.json) printJson(io, report);
      else io.out(formatDriftReport(report));
      return values["fail-on-drift"] && report.drifted.length > 0 ? DRIFT_EXIT_CODE : 0;
    }),
};
