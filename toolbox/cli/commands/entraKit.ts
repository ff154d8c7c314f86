// `surecloud-sync entra-kit`: writes, for each tenant's role mapping, one self-contained HTML page the
// operator sends to the customer's Entra administrator (toolbox/entra/kitPage/). Every mapping is
// resolved and every page rendered before the first file is written: a bad mapping writes nothing.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  loadRoleMapping,
  type ResolvedRoleMapping,
  resolveRoleMapping,
} from "../../../shared/roleMapping.js";
import { loadTenantsFile, type TenantsFile } from "../../../shared/tenants.js";
import { MAX_EXPRESSION_LENGTH } from "../../entra/entraExpression.js";
import { kitPageScript } from "../../entra/kitPage/kitBundle.js";
import { makeKitData } from "../../entra/kitPage/kitData.js";
import { renderKitPage } from "../../entra/kitPage/renderKitPage.js";
import { parseCommandArgs, runGuarded, tenantsOption, tenantsPath, UsageError } from "../args.js";
import type { CliCommand } from "../command.js";

export const entraKitCommand: CliCommand = {
  name: "entra-kit",
  help: [
    "Usage: surecloud-sync entra-kit [--mapping <file> ...] --out <dir> [--tenants <file>] [--tenant <id>]",
    "",
    "Writes <dir>/<tenant>-entra-kit.html for each role mapping (each --mapping; without one, each",
    "tenant whose entry names its mapping under roles.mapping): one self-contained page for the",
    "tenant's Entra administrator, with the group catalogue, the app roles to create, the userType",
    "expression and a Copy button, what every role gives, an evaluator for a person's roles (both",
    "directive sources), a checker for the expression saved in Entra, and the steps in Entra. It",
    "opens from a file, makes no network request and holds no secret: send the SCIM Tenant URL and",
    "Secret Token separately, over a secure channel.",
    "",
    "Options:",
    "  --mapping <file>    A role mapping (docs/entra-setup.md, step 5); one per tenant, repeatable.",
    "                      Default: the mappings the tenants file names (roles.mapping)",
    "  --tenants <file>    Tenants file with the catalogues (env TENANTS_FILE)",
    "  --tenant <id>       Only this tenant's page (one of the mappings' tenants)",
    "  --out <dir>         Where to write the pages; created if missing, pages of the same name replaced",
    "",
    "Example:",
    "  surecloud-sync entra-kit --mapping docs/examples/acme-entra-mapping.yaml \\",
    "    --tenants docs/examples/acme-tenants.yaml --out kits",
  ].join("\n"),
  run: (args, io) =>
    runGuarded(io, "entra-kit", async () => {
      const { values } = parseCommandArgs({
        args,
        options: {
          ...tenantsOption,
          mapping: { type: "string", multiple: true },
          tenant: { type: "string" },
          out: { type: "string" },
        },
        strict: true,
        allowPositionals: false,
      });
      if (!values.out) throw new UsageError("--out <dir> is required");
      const path = tenantsPath(values, io.env);
      if (!path) throw new UsageError("give the tenants file: --tenants <file> or TENANTS_FILE");

      const tenants = await loadTenantsFile(path);
      const mappingPaths = values.mapping ?? [];
      const mappings: ResolvedRoleMapping[] = [];
      for (const mappingPath of mappingPaths) {
        mappings.push(resolveRoleMapping(await loadRoleMapping(mappingPath), tenants, mappingPath));
      }
      if (mappingPaths.length === 0) mappings.push(...namedMappings(tenants));
      if (mappings.length === 0) {
        throw new UsageError(
          `give --mapping <file>: no tenant in ${path} names its role mapping (roles.mapping)`,
        );
      }
      const chosen = chooseTenants(mappings, mappingPaths, values.tenant);
      const script = await kitPageScript();
      const generatedOn = new Date().toISOString().slice(0, 10);
      const pages = chosen.map((mapping) => {
        const kit = makeKitData(mapping);
        return { kit, file: join(values.out ?? "", `${kit.tenant.id}-entra-kit.html`) };
      });
      const rendered = pages.map((page) => renderKitPage(page.kit, { script, generatedOn }));
      await mkdir(values.out, { recursive: true });
      for (const [index, page] of pages.entries()) {
        await writeFile(page.file, rendered[index] ?? "", "utf8");
        io.out(
          `Wrote ${page.file}: tenant ${page.kit.tenant.id}, ${page.kit.table.rules.length} app role(s), ` +
            `expression ${page.kit.expression.length} of ${MAX_EXPRESSION_LENGTH} characters.`,
        );
      }
      io.out(
        "Send the SCIM Tenant URL and Secret Token separately, over a secure channel: no page holds them.",
      );
      return 0;
    }),
};

/** The role mappings the tenants file names (roles.mapping), already resolved by loadTenantsFile. */
function namedMappings(tenants: TenantsFile): ResolvedRoleMapping[] {
  return tenants.tenants.flatMap((tenant) =>
    tenant.roles?.table ? [{ tenant, ...tenant.roles.table }] : [],
  );
}

/** The mappings to render: all, or the one for --tenant; one mapping per tenant. */
function chooseTenants(
  mappings: ResolvedRoleMapping[],
  paths: string[],
  tenant: string | undefined,
): ResolvedRoleMapping[] {
  mappings.forEach((mapping, index) => {
    const first = mappings.findIndex((other) => other.tenant.id === mapping.tenant.id);
    if (first !== index) {
      throw new UsageError(
        `${paths[first]} and ${paths[index]} are both for tenant ${mapping.tenant.id}; give one mapping per tenant`,
      );
    }
  });
  if (tenant === undefined) return mappings;
  const found = mappings.filter((mapping) => mapping.tenant.id === tenant);
  if (found.length === 0) {
    const known = mappings.map((mapping) => mapping.tenant.id).join(", ");
    throw new UsageError(`--tenant ${tenant} has no --mapping (the mappings are for: ${known})`);
  }
  return found;
}
