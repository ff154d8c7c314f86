// `surecloud-sync check-config`: checks the tenants file, the token variables and every tenant's
// SureCloud (it answers, and holds the catalogue groups), and whether the running workers run the
// file. Exits 0 only when all is well.
import { type ConfigReport, checkConfig } from "../../ops/checkConfig.js";
import {
  parseCommandArgs,
  printJson,
  queueOptions,
  queueOptionsHelp,
  queueSettings,
  runGuarded,
  tenantsOption,
  tenantsPath,
  UsageError,
} from "../args.js";
import type { CliCommand } from "../command.js";
import { formatTable } from "../table.js";

export const checkConfigCommand: CliCommand = {
  name: "check-config",
  help: [
    "Usage: surecloud-sync check-config [options]",
    "",
    "Checks, for every tenant of the tenants file:",
    "  token      the environment variable named by surecloud.tokenEnv is set",
    "  surecloud  SureCloud answers listGroups with that token (read-only)",
    "  catalogue  SureCloud holds every group of the catalogue (missing: fail; SureCloud groups",
    "             outside the catalogue, or named differently: info)",
    "and, when ACTION_REDIS_URL, ACTION_REDIS_CLUSTER_NODES or ACTION_REDIS_SENTINELS (the deploy's",
    "values for the Action's Redis secrets) is set:",
    "  action-redis  the settings are ones the Action can use (else: fail), and use TLS unless every",
    "                host is loopback (else: warn; Auth0 reaches Redis across the internet)",
    "and, for each worker of the queue that has reported to Redis in the last 30 s:",
    "  workers    it runs this file: the fingerprint of the file it loaded is this file's (else:",
    "             warn, with the reason when the worker rejected the file); Redis not reachable or",
    "             no worker running: info",
    "Exits 0 only when no check fails, 1 otherwise; a warning does not fail the run.",
    "Tokens and passwords are never printed.",
    "",
    "Options:",
    "  --tenants <file>    Tenants file (env TENANTS_FILE)",
    "  --tenant <id>       Check only this tenant",
    "  --offline           Check the file and the token variables only: no call to SureCloud or Redis",
    "                      (a config repository's CI, or before the network is open)",
    queueOptionsHelp,
    "  --json              Print the report as JSON",
    "",
    "Example:",
    "  surecloud-sync check-config --tenants /etc/group-sync/tenants.yaml",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "check-config", async () => {
      const { values } = parseCommandArgs({
        args,
        options: {
          ...tenantsOption,
          ...queueOptions,
          tenant: { type: "string" },
          offline: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
      });
      const path = tenantsPath(values, io.env);
      if (!path) throw new UsageError("name the tenants file: --tenants <file> or TENANTS_FILE");
      const report = await checkConfig({
        tenantsFile: path,
        env: io.env,
        tenantId: values.tenant,
        workers: values.offline ? undefined : queueSettings(values, io.env),
        offline: values.offline === true,
      });
      if (values.json) printJson(io, report);
      else io.out(renderReport(report));
      return report.ok ? 0 : 1;
    }),
};

function renderReport(report: ConfigReport): string {
  const failures = report.checks.filter((check) => check.status === "fail").length;
  const warnings = report.checks.filter((check) => check.status === "warn").length;
  const passed = warnings > 0 ? `All checks passed, with ${warnings} warning(s).` : "All checks passed.";
  return [
    `Tenants file ${report.tenantsFile}${report.fingerprint ? ` (fingerprint ${report.fingerprint})` : ""}`,
    "",
    formatTable(
      ["TENANT", "CHECK", "RESULT", "DETAIL"],
      report.checks.map((check) => [
        check.tenant ?? "-",
        check.check,
        check.status.toUpperCase(),
        check.detail,
      ]),
    ),
    "",
    report.ok ? passed : `${failures} check(s) failed.`,
  ].join("\n");
}
