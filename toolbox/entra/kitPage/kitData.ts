// What the Entra administrator's kit page knows about one tenant: its group catalogue, its role
// mapping resolved to directives, and the generated userType expression. Nothing else goes in the
// page: no SCIM URL, no token, no SureCloud address, no Auth0 connection name.
import type { MissingDirectivePolicy } from "../../../shared/directive.js";
import type { RoleMatch } from "../../../shared/entraRoles.js";
import type { RoleTable } from "../../../shared/roleDirective.js";
import type { ResolvedRoleMapping } from "../../../shared/roleMapping.js";
import type { CatalogueGroup, Tenant } from "../../../shared/tenants.js";
import { buildExpression } from "../entraExpression.js";

/** The catalogue part of a tenant, as explainDirective reads it, and where its directive comes from. */
export interface KitTenant {
  id: string;
  missingDirective: MissingDirectivePolicy;
  groups: CatalogueGroup[];
  directiveSource: Tenant["directiveSource"];
  /** With the `roles` source: which field of each role Entra sends the mapping's names match. */
  matchBy: RoleMatch | undefined;
}

export interface KitData {
  tenant: KitTenant;
  table: RoleTable;
  /** The generated userType expression, exactly as the Copy button puts it on the clipboard. */
  expression: string;
}

export function makeKitData(mapping: ResolvedRoleMapping): KitData {
  const { tenant, rules, defaultUserType, defaultDirective } = mapping;
  return {
    tenant: {
      id: tenant.id,
      missingDirective: tenant.missingDirective,
      directiveSource: tenant.directiveSource,
      matchBy: tenant.roles?.matchBy,
      groups: tenant.groups.map(({ groupId, name, description }) =>
        description === undefined ? { groupId, name } : { groupId, name, description },
      ),
    },
    table: { rules, defaultUserType, defaultDirective },
    expression: buildExpression(mapping),
  };
}
