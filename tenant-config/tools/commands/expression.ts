// `surecloud-tenant expression`: prints the Entra userType expression for a tenant's role mapping,
// evaluates it (or an expression copied from Entra) for app roles, or checks a copied one on its own.
import { parseArgs } from "node:util";
import { readConfigText } from "../../../shared/configFile.js";
import { loadRoleMapping, resolveRoleMapping } from "../../../shared/roleMapping.js";
import { loadTenantsFile } from "../../../shared/tenants.js";
import type { CliCommand } from "../../../toolbox/cli/command.js";
import { MAX_EXPRESSION_LENGTH } from "../../../toolbox/entra/entraExpression.js";
import { parseExpression } from "../../../toolbox/entra/expressionEvaluator.js";
import { makeKitData } from "../../../toolbox/entra/kitPage/kitData.js";
import { printCheck, printOneRole, printRoleSet } from "./expressionReport.js";

const options = {
  mapping: { type: "string" },
  tenants: { type: "string" },
  evaluate: { type: "string", multiple: true },
  "no-role": { type: "boolean" },
  expression: { type: "string" },
} as const;

interface ExpressionValues {
  mapping?: string;
  tenants?: string;
  evaluate?: string[];
  "no-role"?: boolean;
  expression?: string;
}

export const expressionCommand: CliCommand = {
  name: "expression",
  help: [
    "Usage: surecloud-tenant expression --mapping <file> [--tenants <file>]",
    "                                 [--evaluate <app role>[,<app role>…] | --no-role] [--expression <file>]",
    "",
    "Prints, on standard output, the attribute-mapping expression for userType that gives each Entra",
    "app role in the mapping file its SureCloud groups. Refuses unknown or ambiguous group names and",
    `an expression longer than Entra's ${MAX_EXPRESSION_LENGTH} characters.`,
    "",
    "Options:",
    "  --mapping <file>     the role mapping (docs/entra-setup.md, step 5)",
    "  --tenants <file>     the tenants file with the catalogue; default $TENANTS_FILE",
    "  --evaluate <roles>   show the userType and groups a user with this app role gets; several roles",
    "                       (repeat it, or a comma list) show what each directive source gives them",
    "  --no-role            the same, for a user with no listed app role (the default)",
    "  --expression <file>  an expression copied from Entra: alone, check it for every mapped role and",
    "                       no role against the mapping; with --evaluate or --no-role, evaluate it",
    "",
    "A role name the mapping has only in another letter case gets a did-you-mean (exit 1): Entra",
    "compares role names exactly. Exit 1 also when the worker would refuse a result.",
    "",
    "Example: surecloud-tenant expression --mapping docs/examples/acme-entra-mapping.yaml \\",
    '           --tenants docs/examples/acme-tenants.yaml --evaluate "SureCloud TPRM admins"',
  ].join("\n"),
  async run(args, io) {
    let values: ExpressionValues;
    try {
      ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
    } catch (error) {
      io.err(`${(error as Error).message}\n\n${this.help}`);
      return 2;
    }
    const tenantsPath = values.tenants ?? io.env.TENANTS_FILE;
    const roles = (values.evaluate ?? []).flatMap((value) => value.split(",")).map((role) => role.trim());
    const problem = usageProblem(values, tenantsPath, roles);
    if (problem || !values.mapping || !tenantsPath) {
      io.err(`${problem}\n\n${this.help}`);
      return 2;
    }
    const kit = makeKitData(
      resolveRoleMapping(
        await loadRoleMapping(values.mapping),
        await loadTenantsFile(tenantsPath),
        values.mapping,
      ),
    );
    const pasted = values.expression ? (await readConfigText(values.expression)).trim() : undefined;
    if (values.evaluate === undefined && !values["no-role"]) {
      if (pasted !== undefined) return printCheck(pasted, kit, io);
      io.out(kit.expression);
      io.err(
        `${kit.expression.length} characters (Entra accepts up to ${MAX_EXPRESSION_LENGTH}); tenant ${kit.tenant.id}.`,
      );
      return 0;
    }
    const tree = parseExpression(pasted ?? kit.expression);
    if (values["no-role"]) return printOneRole(tree, undefined, kit, io);
    return roles.length === 1 ? printOneRole(tree, roles[0], kit, io) : printRoleSet(tree, roles, kit, io);
  },
};

function usageProblem(
  values: ExpressionValues,
  tenantsPath: string | undefined,
  roles: string[],
): string | undefined {
  if (!values.mapping) return "--mapping is required.";
  if (!tenantsPath) return "--tenants is required (or set TENANTS_FILE).";
  if (values.evaluate !== undefined && values["no-role"]) return "Use --evaluate or --no-role, not both.";
  if (roles.some((role) => role === "")) return "--evaluate: a role name is empty (a stray comma?).";
  return undefined;
}
