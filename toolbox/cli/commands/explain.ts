// `surecloud-sync explain <userType>`: what a directive value does to a user's SureCloud groups, and
// for a tenant which catalogue groups it names. Exits 1 when the worker would fail the job.
import { describeDirective, resolveDirective } from "../../../shared/directive.js";
import { loadTenantsFile, type Tenant } from "../../../shared/tenants.js";
import { type DirectiveExplanation, explainDirective } from "../../ops/explainDirective.js";
import { explainRoles, type RolesExplanation, type SourceAnswer } from "../../ops/explainRoles.js";
import { parseCommandArgs, printJson, runGuarded, tenantsOption, tenantsPath, UsageError } from "../args.js";
import type { CliCommand, CliIo } from "../command.js";
import { formatTable } from "../table.js";

export const explainCommand: CliCommand = {
  name: "explain",
  help: [
    "Usage: surecloud-sync explain <userType> [options]",
    "       surecloud-sync explain --tenant <id> --role <name> [--role <name> …] [options]",
    "",
    "Says what a directive value (app_metadata.user_type) does to a user's SureCloud groups:",
    'IGNORE keeps them, NONE or "" removes them all, group UUIDs separated by commas make them',
    "exactly those groups. Anything else is invalid: the worker fails the job (invalid-directive)",
    "and this command prints that reason and exits 1. Quote the value: it is one argument.",
    "",
    "With --role, says what a user holding these Entra app roles gets from the tenant's role mapping",
    "(roles.mapping in the tenants file): under directiveSource roles, the union of every mapped role's",
    "groups, which role gave which, and the roles the mapping does not name (with a did-you-mean for",
    "a near miss in letter case or spaces); under userType, what each role alone gives, since Entra's",
    "SingleAppRoleAssignment hands over only one of a user's roles.",
    "",
    "Options:",
    "  --tenant <id>       Also resolve the UUIDs against this tenant's group catalogue; a UUID",
    "                      outside it is what the worker fails with unknown-group (exit 1)",
    "  --tenants <file>    Tenants file (env TENANTS_FILE); needed with --tenant",
    "  --role <name>       An app role the user holds (repeat for several; needs --tenant)",
    "  --json              Print the explanation as JSON",
    "",
    "Examples:",
    '  surecloud-sync explain "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41, 5b4e2a17-df3c-4b82-a6f2-27a119d8c441"',
    "  surecloud-sync explain NONE --tenant acme --tenants tenants.yaml",
    '  surecloud-sync explain --tenant acme --role "SureCloud TPRM admins" --role "SureCloud TPRM users"',
    "                         --tenants tenants.yaml",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "explain", async () => {
      const { values, positionals } = parseCommandArgs({
        args,
        options: {
          ...tenantsOption,
          tenant: { type: "string" },
          role: { type: "string", multiple: true },
          json: { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: true,
      });
      if (values.role) return explainRolesCommand(values.role, positionals, values, io);
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

async function explainRolesCommand(
  roles: string[],
  positionals: string[],
  values: { tenant?: string | undefined; tenants?: string | undefined; json?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  if (positionals.length > 0) throw new UsageError("give either a directive value or --role, not both");
  if (values.tenant === undefined)
    throw new UsageError("--role needs --tenant <id>: roles mean groups of one tenant");
  const tenant = await findTenant(values.tenant, values, io.env);
  const table = tenant.roles?.table;
  if (!table) {
    throw new UsageError(
      `tenant "${tenant.id}" names no role mapping; add roles: { mapping: <file> } to its entry`,
    );
  }
  const explanation = explainRoles(tenant, table, roles);
  if (values.json) printJson(io, explanation);
  else io.out(renderRoles(explanation));
  return 0;
}

function renderRoles(explanation: RolesExplanation): string {
  const { rolesSource: union } = explanation;
  const groupsOf = (answer: SourceAnswer) =>
    answer.groups.length > 0 ? answer.groups.map((group) => group.name).join(", ") : answer.meaning;
  const lines = [
    `Tenant:   ${explanation.tenantId} (directiveSource: ${explanation.directiveSource})`,
    `Roles:    ${explanation.roles.map((role) => JSON.stringify(role)).join(", ") || "(none)"}`,
    "",
    `directiveSource roles: ${groupsOf(union)}${union.usedDefault ? " (no mapped role: the mapping's default)" : ""}`,
  ];
  for (const given of union.contributions)
    lines.push(`  ${JSON.stringify(given.role)} gives ${groupsOf(given)}`);
  if (union.unknownRoles.length > 0) {
    lines.push(
      `  not in the mapping (left out): ${union.unknownRoles.map((role) => JSON.stringify(role)).join(", ")}`,
    );
  }
  for (const miss of union.nearMisses) {
    lines.push(`  ${JSON.stringify(miss.role)}: did you mean ${JSON.stringify(miss.didYouMean)}?`);
  }
  const picks = explanation.userTypeSource;
  lines.push(
    "",
    picks.length > 1
      ? "directiveSource userType: Entra picks ONE of these roles, not predictably, so one of:"
      : "directiveSource userType:",
  );
  for (const pick of picks) {
    lines.push(`  ${pick.role === null ? "(no mapped role)" : JSON.stringify(pick.role)}: ${groupsOf(pick)}`);
  }
  return lines.join("\n");
}

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
