// The mapping file an operator writes with a customer: which Entra app role means which SureCloud
// groups (by name or groupId, from the tenant's catalogue), which roles mean IGNORE, and the default.
// Resolving it against the catalogue refuses anything the worker would later refuse.
import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { loadConfigFile, parseConfigText } from "./configFile.js";
import type { Directive } from "./directive.js";
import { ConfigError } from "./errors.js";
import { reportRepeats } from "./repeats.js";
import { directiveWord, type RoleRule, type RoleTable } from "./roleDirective.js";
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

export interface ResolvedRoleMapping extends RoleTable {
  tenant: Tenant;
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
  const directiveOf = (references: string[], where: string): Directive => {
    const groupIds: string[] = [];
    for (const reference of references) {
      const found = findGroup(tenant, reference);
      if (typeof found === "string") problems.push(`${where}: ${found}`);
      else if (!groupIds.includes(found.groupId)) groupIds.push(found.groupId);
    }
    return groupIds.length === 0 ? { kind: "clear" } : { kind: "exact", groupIds };
  };
  const rule = (role: string, directive: Directive): RoleRule => ({
    role,
    userType: directiveWord(directive),
    directive,
  });
  const rules: RoleRule[] = [
    ...mapping.ignore.map((role) => rule(role, { kind: "ignore" })),
    ...Object.entries(mapping.roles).map(([role, groups]) =>
      rule(role, directiveOf(groups, `role "${role}"`)),
    ),
  ];
  const defaultDirective: Directive =
    mapping.default === "IGNORE"
      ? { kind: "ignore" }
      : mapping.default === "NONE"
        ? { kind: "clear" }
        : directiveOf(mapping.default, "default");
  if (problems.length > 0) throw new ConfigError(`${origin}: ${problems.join("; ")}`);
  return { tenant, rules, defaultUserType: directiveWord(defaultDirective), defaultDirective };
}

/**
 * For each tenant whose entry names a role mapping (`roles.mapping`, relative to the tenants file):
 * reads it, checks it is that tenant's, and resolves it against the catalogue into `roles.table`.
 * A bad mapping stops start-up (or a reload) with a ConfigError naming the tenant and the file.
 */
export async function loadRoleTables(file: TenantsFile, tenantsPath: string): Promise<TenantsFile> {
  for (const [index, tenant] of file.tenants.entries()) {
    if (!tenant.roles) continue;
    const mappingPath = roleMappingPath(tenantsPath, tenant.roles.mapping);
    try {
      const mapping = await loadRoleMapping(mappingPath);
      if (mapping.tenant !== tenant.id) {
        throw new ConfigError(
          `${mappingPath}: is the mapping of tenant "${mapping.tenant}", not "${tenant.id}"`,
        );
      }
      const { tenant: _resolvedFor, ...table } = resolveRoleMapping(mapping, file, mappingPath);
      tenant.roles.table = table;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(
        `${tenantsPath}: tenants.${index}.roles.mapping (tenant "${tenant.id}"): ${error.message}`,
      );
    }
  }
  return file;
}

/** Where a tenant's role mapping file is: its path as written, from the tenants file's folder. */
export function roleMappingPath(tenantsPath: string, mapping: string): string {
  return resolvePath(dirname(tenantsPath), mapping);
}

/** Every file a tenants file's load reads: itself, then each role mapping it names. */
export function tenantsFileSources(tenantsPath: string, file: TenantsFile): string[] {
  const mappings = file.tenants.flatMap((tenant) =>
    tenant.roles ? [roleMappingPath(tenantsPath, tenant.roles.mapping)] : [],
  );
  return [tenantsPath, ...new Set(mappings)];
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
