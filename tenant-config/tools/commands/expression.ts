// `surecloud-tenant expression`: prints the Entra userType expression for a tenant's role mapping, or
// evaluates it (or an expression copied from Entra) for one app role, showing the groups that result.
import { parseArgs } from "node:util";
import { readConfigText } from "../../../shared/configFile.js";
import { describeDirective, parseDirective } from "../../../shared/directive.js";
import { PermanentError } from "../../../shared/errors.js";
import { loadRoleMapping, resolveRoleMapping } from "../../../shared/roleMapping.js";
import { loadTenantsFile, type Tenant } from "../../../shared/tenants.js";
import type { CliCommand, CliIo } from "../../../toolbox/cli/command.js";
import { buildExpression, MAX_EXPRESSION_LENGTH } from "../../../toolbox/entra/entraExpression.js";
import { evaluateExpression, parseExpression } from "../../../toolbox/entra/expressionEvaluator.js";

const options = {
  mapping: { type: "string" },
  tenants: { type: "string" },
  evaluate: { type: "string" },
  "no-role": { type: "boolean" },
  expression: { type: "string" },
} as const;

export const expressionCommand: CliCommand = {
  name: "expression",
  help: [
    "Usage: surecloud-tenant expression --mapping <file> [--tenants <file>]",
    "                                 [--evaluate <app role> | --no-role] [--expression <file>]",
    "",
    "Prints, on standard output, the attribute-mapping expression for userType that gives each Entra",
    "app role in the mapping file its SureCloud groups. Refuses unknown or ambiguous group names and",
    `an expression longer than Entra's ${MAX_EXPRESSION_LENGTH} characters.`,
    "",
    "Options:",
    "  --mapping <file>     the role mapping (docs/entra-setup.md, step 5)",
    "  --tenants <file>     the tenants file with the catalogue; default $TENANTS_FILE",
    "  --evaluate <role>    show the userType and groups a user with this one app role gets",
    "  --no-role            the same, for a user with no listed app role (the default)",
    "  --expression <file>  evaluate this expression (e.g. copied from Entra) instead of the generated one",
    "",
    "Example: surecloud-tenant expression --mapping docs/examples/acme-entra-mapping.yaml \\",
    '           --tenants docs/examples/acme-tenants.yaml --evaluate "SureCloud TPRM admins"',
  ].join("\n"),
  async run(args, io) {
    let values: {
      mapping?: string;
      tenants?: string;
      evaluate?: string;
      "no-role"?: boolean;
      expression?: string;
    };
    try {
      ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
    } catch (error) {
      io.err(`${(error as Error).message}\n\n${this.help}`);
      return 2;
    }
    const tenantsPath = values.tenants ?? io.env.TENANTS_FILE;
    const evaluating = values.evaluate !== undefined || values["no-role"] === true;
    const problem = usageProblem(values, tenantsPath, evaluating);
    if (problem || !values.mapping || !tenantsPath) {
      io.err(`${problem}\n\n${this.help}`);
      return 2;
    }
    const mapping = resolveRoleMapping(
      await loadRoleMapping(values.mapping),
      await loadTenantsFile(tenantsPath),
      values.mapping,
    );
    const expression = values.expression
      ? (await readConfigText(values.expression)).trim()
      : buildExpression(mapping);
    if (!evaluating) {
      io.out(expression);
      io.err(
        `${expression.length} characters (Entra accepts up to ${MAX_EXPRESSION_LENGTH}); tenant ${mapping.tenant.id}.`,
      );
      return 0;
    }
    return printEvaluation(expression, values["no-role"] ? undefined : values.evaluate, mapping.tenant, io);
  },
};

function usageProblem(
  values: { mapping?: string; evaluate?: string; "no-role"?: boolean; expression?: string },
  tenantsPath: string | undefined,
  evaluating: boolean,
): string | undefined {
  if (!values.mapping) return "--mapping is required.";
  if (!tenantsPath) return "--tenants is required (or set TENANTS_FILE).";
  if (values.evaluate !== undefined && values["no-role"]) return "Use --evaluate or --no-role, not both.";
  if (values.expression && !evaluating) return "--expression needs --evaluate <role> or --no-role.";
  return undefined;
}

/** Prints what a user with `role` gets; exit code 1 when the worker would refuse the value. */
function printEvaluation(expression: string, role: string | undefined, tenant: Tenant, io: CliIo): number {
  const { userType, matchedRole } = evaluateExpression(parseExpression(expression), role);
  io.out(
    `App role:  ${role === undefined ? "(none)" : role}${matchedRole ? "" : "  (no IIF matches: the default applies)"}`,
  );
  io.out(`userType:  ${userType}`);
  if (userType === "") {
    io.out(
      "Effect:    Entra sends no value for an empty result; SureCloud would see no directive. Use NONE.",
    );
    return 1;
  }
  let directive: ReturnType<typeof parseDirective>;
  try {
    directive = parseDirective(userType);
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    io.out(`Effect:    the worker would refuse this user (${error.reason}): ${error.message}`);
    return 1;
  }
  if (directive.kind !== "exact") {
    io.out(`Effect:    ${describeDirective(directive)}`);
    return 0;
  }
  io.out(`Effect:    exactly these ${directive.groupIds.length} group(s); any other membership is removed:`);
  let unknown = 0;
  for (const groupId of directive.groupIds) {
    const group = tenant.groups.find((candidate) => candidate.groupId === groupId);
    if (!group) unknown += 1;
    io.out(`           ${groupId}  ${group ? group.name : `NOT in tenant ${tenant.id}'s catalogue`}`);
  }
  if (unknown > 0) io.out("The worker would refuse this user (unknown-group) and change nothing.");
  return unknown > 0 ? 1 : 0;
}
