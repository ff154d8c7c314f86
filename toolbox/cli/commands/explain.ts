// `surecloud-sync explain <userType>`: what a directive value does to a user's SureCloud groups, and
// for a tenant which catalogue groups it names. Exits 1 when the worker would fail the job.
import { describeDirective, resolveDirective } from "../../../shared/directive.js";
import { loadTenantsFile, type Tenant } from "../../../shared/tenants.js";
import { type DirectiveExplanation, explainDirective } from "../../ops/explainDirective.js";
import { parseCommandArgs, printJson, runGuarded, tenantsOption, tenantsPath, UsageError } from "../args.js";
import type { CliCommand } from "../command.js";
import { formatTable } from "../table.js";

export const explainCommand: CliCommand = {
  name: "explain",
  help: [
    "Usage: surecloud-sync explain <userType> [options]",
    "",
    "Says what a directive value (app_metadata.user_type) does to a user's SureCloud groups:",
    'IGNORE keeps them, NONE or "" removes them all, group UUIDs separated by commas make them',
    "exactly those groups. Anything else is invalid: the worker fails the job (invalid-directive)",
    "and this command prints that reason and exits 1. Quote the value: it is one argument.",
    "",
    "Options:",
    "  --tenant <id>       Also resolve the UUIDs against this tenant's group catalogue; a UUID",
    "                      outside it is what the worker fails with unknown-group (exit 1)",
    "  --tenants <file>    Tenants file (env TENANTS_FILE); needed with --tenant",
    "  --json              Print the explanation as JSON",
    "",
    "Examples:",
    '  surecloud-sync explain "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41, 5b4e2a17-df3c-4b82-a6f2-27a119d8c441"',
    "  surecloud-sync explain NONE --tenant acme --tenants tenants.yaml",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "explain", async () => {
      const { values, positionals } = parseCommandArgs({
        args,
        options: { ...tenantsOption, tenant: { type: "string" }, json: { type: "boolean", default: false } },
        strict: true,
        allowPositionals: true,
      });
      if (positionals.length !== 1) {
        throw new UsageError(
          positionals.length === 0
            ? 'give the directive value to explain ("" for an empty one)'
            : `give the directive as one argument (quote it); got ${positionals.length}`,
        );
      }
      const tenant =
        values.tenant === undefined ? undefined : await findTenant(values.tenant, values, io.env);
      const explanation = explainDirective(positionals[0] ?? "", tenant);
      if (values.json) printJson(io, explanation);
      else io.out(renderExplanation(explanation));
      return explanation.failure ? 1 : 0;
    }),
};

async function findTenant(
  id: string,
  values: { tenants?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<Tenant> {
  const path = tenantsPath(values, env);
  if (!path) throw new UsageError("--tenant needs the tenants file: --tenants <file> or TENANTS_FILE");
  const file = await loadTenantsFile(path);
  const tenant = file.tenants.find((candidate) => candidate.id === id);
  if (!tenant) {
    const known = file.tenants.map((candidate) => candidate.id).join(", ");
    throw new Error(`no tenant "${id}" in ${path} (tenants: ${known})`);
  }
  return tenant;
}

function renderExplanation(explanation: DirectiveExplanation): string {
  const lines = [`Value:    ${JSON.stringify(explanation.input)}`];
  if (explanation.meaning) lines.push(`Meaning:  ${explanation.meaning}`);
  const { tenant, failure } = explanation;
  if (tenant && tenant.groups.length > 0) {
    lines.push(
      "",
      `Tenant ${tenant.id}:`,
      formatTable(
        ["GROUP ID", "NAME", "IN CATALOGUE"],
        tenant.groups.map((group) => [group.groupId, group.name ?? "-", group.inCatalogue ? "yes" : "NO"]),
      ),
    );
  }
  if (failure) {
    lines.push("", `Fails:    the worker fails the job with ${failure.reason}: ${failure.message}`);
    lines.push("          and changes nothing for the user.");
    return lines.join("\n");
  }
  lines.push("", "Not applied while the user is blocked: a blocked user's groups stay as they are.");
  if (tenant) {
    const absent = describeDirective(resolveDirective({ state: "absent" }, tenant.missingDirective));
    lines.push(
      `When the attribute is absent, tenant ${tenant.id} (missingDirective: ${tenant.missingDirective}) does: ${absent}.`,
    );
    if (tenant.groups.length > 0) {
      lines.push("The worker also checks that SureCloud still has these groups (see check-config).");
    }
  }
  return lines.join("\n");
}
