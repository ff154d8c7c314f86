// `--directive-source userType|roles` of `plan` and `drift`: plans a tenant as if its directive came
// from the other source, so an operator sees what switching a tenant would change for every user
// before editing the tenants file. The role mapping must already be named in the tenant's entry.
import type { Tenant, TenantsFile } from "../../shared/tenants.js";
import { UsageError } from "./args.js";

export const directiveSourceOption = { "directive-source": { type: "string" } } as const;

export const directiveSourceHelp =
  "  --directive-source <userType|roles>\n" +
  "                      Plan as if the tenant's directive came from this source (default: the\n" +
  "                      tenants file's); roles needs the tenant's roles.mapping. Shows what a\n" +
  "                      switch would change before it is made";

/** The tenants file with one tenant's directive source switched; the file itself when none is given. */
export function withDirectiveSource(
  file: TenantsFile,
  tenantId: string | undefined,
  source: string | undefined,
): TenantsFile {
  if (source === undefined || tenantId === undefined) return file;
  if (source !== "userType" && source !== "roles") {
    throw new UsageError(`--directive-source: must be userType or roles, not "${source}"`);
  }
  const chosen: Tenant["directiveSource"] = source;
  const tenants = file.tenants.map((tenant) => {
    if (tenant.id !== tenantId) return tenant;
    if (source === "roles" && !tenant.roles?.table) {
      throw new UsageError(
        `--directive-source roles: tenant "${tenant.id}" names no role mapping; add roles: { mapping: <file> } to its entry`,
      );
    }
    return { ...tenant, directiveSource: chosen };
  });
  return { ...file, tenants };
}
