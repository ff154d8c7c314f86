// The mapping file an operator writes with a customer: which Entra app role means which SureCloud
// groups (by name or groupId, from the tenant's catalogue), which roles mean IGNORE, and the default.
// Resolving it against the catalogue refuses anything the worker would later refuse.
import { z } from "zod";
import { loadConfigFile, parseConfigText } from "./configFile.js";
import { ConfigError } from "./errors.js";
import { reportRepeats } from "./repeats.js";
import type { CatalogueGroup, Tenant, TenantsFile } from "./tenants.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra string literals cannot safely carry these; a role named with one must be renamed. */
const unsafeRoleCharacters = /["\\\r\n]/;

const roleNameRule = "must not contain a double quote, backslash or line break";
const roleNameSchema = z
  .string()
  .min(1, "must not be empty")
  .refine((name) => !unsafeRoleCharacters.test(name), roleNameRule);

/** Group names or groupIds; an empty list means "no groups" (sent as NONE). */
const groupReferencesSchema = z.array(z.string().trim().min(1, "must not be empty"));

const directiveWordSchema = z
  .string()
  .transform((word) => word.trim().toUpperCase())
  .pipe(z.enum(["IGNORE", "NONE"]));

export const roleMappingSchema = z
  .object({
    /** The tenant's id in the tenants file; its catalogue is the only source of groups. */
    tenant: z.string().min(1),
    /** App role name -> the SureCloud groups its users get, exactly. */
    roles: z.record(z.string().min(1), groupReferencesSchema).default({}),
    /** App roles whose users' groups SureCloud must leave alone (service accounts, break-glass). */
    ignore: z.array(roleNameSchema).default([]),
    /** Users with none of these roles: IGNORE, NONE, or a list of groups. */
    default: z.union([directiveWordSchema, groupReferencesSchema], {
      error: "must be IGNORE, NONE or a list of groups",
    }),
  })
  .strict()
  .superRefine((mapping, ctx) => {
    for (const role of Object.keys(mapping.roles)) {
      // A record key's own refinement is reported only as "Invalid key"; say what is wrong instead.
      if (unsafeRoleCharacters.test(role)) {
        ctx.addIssue({ code: "custom", path: ["roles", role], message: roleNameRule });
      }
    }
    mapping.ignore.forEach((role, index) => {
      if (role in mapping.roles) {
        ctx.addIssue({
          code: "custom",
          path: ["ignore", index],
          message: `"${role}" is also listed under roles`,
        });
      }
    });
    reportRepeats(ctx, mapping.ignore, (index) => ["ignore", index]);
    if (Object.keys(mapping.roles).length === 0 && mapping.ignore.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["roles"],
        message: "must name at least one app role (or list one under ignore)",
      });
    }
  });
export type RoleMapping = z.infer<typeof roleMappingSchema>;

/** One app role and the userType value its users get. */
export interface RoleRule {
  role: string;
  userType: string;
}

export interface ResolvedRoleMapping {
  tenant: Tenant;
  /** IGNORE roles first, then the mapped roles in file order. */
  rules: RoleRule[];
  /** For users with no listed role. */
  defaultUserType: string;
}

export function parseRoleMapping(text: string, origin: string): RoleMapping {
  return parseConfigText(roleMappingSchema, text, origin);
}

export async function loadRoleMapping(path: string): Promise<RoleMapping> {
  return loadConfigFile(roleMappingSchema, path);
}

/** Turns group names and ids into catalogue groupIds; throws one ConfigError listing every problem. */
export function resolveRoleMapping(
  mapping: RoleMapping,
  tenants: TenantsFile,
  origin = "mapping file",
): ResolvedRoleMapping {
  const tenant = tenants.tenants.find((candidate) => candidate.id === mapping.tenant);
  if (!tenant) {
    const known = tenants.tenants.map((candidate) => candidate.id).join(", ");
    throw new ConfigError(
      `${origin}: tenant "${mapping.tenant}" is not in the tenants file (it has: ${known})`,
    );
  }
  const problems: string[] = [];
  const userTypeOf = (references: string[], where: string): string => {
    const ids: string[] = [];
    for (const reference of references) {
      const found = findGroup(tenant, reference);
      if (typeof found === "string") problems.push(`${where}: ${found}`);
      else if (!ids.includes(found.groupId)) ids.push(found.groupId);
    }
    return ids.length === 0 ? "NONE" : ids.join(",");
  };
  const rules: RoleRule[] = [
    ...mapping.ignore.map((role) => ({ role, userType: "IGNORE" })),
    ...Object.entries(mapping.roles).map(([role, groups]) => ({
      role,
      userType: userTypeOf(groups, `role "${role}"`),
    })),
  ];
  const defaultUserType =
    typeof mapping.default === "string" ? mapping.default : userTypeOf(mapping.default, "default");
  if (problems.length > 0) throw new ConfigError(`${origin}: ${problems.join("; ")}`);
  return { tenant, rules, defaultUserType };
}

/** A catalogue group by groupId or name (exact, else any letter case); a string explains a refusal. */
export function findGroup(tenant: Tenant, reference: string): CatalogueGroup | string {
  if (uuidPattern.test(reference)) {
    const byId = tenant.groups.find((group) => group.groupId === reference.toLowerCase());
    return byId ?? `groupId ${reference} is not in tenant ${tenant.id}'s catalogue`;
  }
  const exact = tenant.groups.filter((group) => group.name === reference);
  const matches = exact.length > 0 ? exact : tenant.groups.filter((group) => sameName(group.name, reference));
  if (matches.length === 1) return matches[0] as CatalogueGroup;
  if (matches.length > 1) {
    const listed = matches.map((group) => `${group.groupId} "${group.name}"`).join(", ");
    return `group "${reference}" is ambiguous in tenant ${tenant.id}'s catalogue (${listed}); use the groupId`;
  }
  const known = tenant.groups.map((group) => `"${group.name}"`).join(", ");
  return `group "${reference}" is not in tenant ${tenant.id}'s catalogue (it has: ${known})`;
}

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: "accent" }) === 0;
}
