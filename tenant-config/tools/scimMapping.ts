// The inbound-SCIM configuration every organisation's connection gets (tenant-config/scim-mapping.yaml),
// checked for the entries this project depends on before anything reaches Auth0.
import { z } from "zod";
import { loadConfigFile, parseConfigText } from "../../shared/configFile.js";
import { DEFAULT_DIRECTIVE_ATTRIBUTE, DEFAULT_ROLES_ATTRIBUTE } from "../../shared/eventToJob.js";
import { reportRepeats } from "../../shared/repeats.js";

/** The SCIM attribute Entra fills with the group directive. */
export const DIRECTIVE_SCIM_ATTRIBUTE = "userType";

/** The custom SCIM attribute Entra fills with the user's app roles (AssertiveAppRoleAssignmentsComplex). */
export const ROLES_SCIM_ATTRIBUTE = "roles";

const mappingItemSchema = z.object({ scim: z.string().min(1), auth0: z.string().min(1) }).strict();

/** deploy-cli's `scim_configuration` of a connection. */
export const scimConfigurationSchema = z
  .object({
    user_id_attribute: z.string().min(1),
    mapping: z.array(mappingItemSchema).min(1, "must map at least one attribute"),
  })
  .strict()
  .superRefine((config, ctx) => {
    const directive = config.mapping.find((item) => item.scim === DIRECTIVE_SCIM_ATTRIBUTE);
    if (directive?.auth0 !== DEFAULT_DIRECTIVE_ATTRIBUTE) {
      ctx.addIssue({
        code: "custom",
        path: ["mapping"],
        message: `must map ${DIRECTIVE_SCIM_ATTRIBUTE} to ${DEFAULT_DIRECTIVE_ATTRIBUTE}, where the worker reads the group directive`,
      });
    }
    const roles = config.mapping.find((item) => item.scim === ROLES_SCIM_ATTRIBUTE);
    if (roles?.auth0 !== DEFAULT_ROLES_ATTRIBUTE) {
      ctx.addIssue({
        code: "custom",
        path: ["mapping"],
        message: `must map ${ROLES_SCIM_ATTRIBUTE} to ${DEFAULT_ROLES_ATTRIBUTE}, where the worker reads the app roles of tenants with directiveSource: roles`,
      });
    }
    config.mapping.forEach((item, index) => {
      // Entra sends manager as a reference Auth0 cannot store; the failed update stalls Entra's cycles.
      if (/(^|:)manager$/i.test(item.scim)) {
        ctx.addIssue({
          code: "custom",
          path: ["mapping", index, "scim"],
          message: `must not map "${item.scim}": Entra's manager reference breaks its incremental cycles`,
        });
      }
    });
    for (const side of ["scim", "auth0"] as const) {
      reportRepeats(
        ctx,
        config.mapping.map((item) => item[side]),
        (index) => ["mapping", index, side],
      );
    }
  });
export type ScimConfiguration = z.infer<typeof scimConfigurationSchema>;

export function parseScimConfiguration(text: string, origin: string): ScimConfiguration {
  return parseConfigText(scimConfigurationSchema, text, origin);
}

export async function loadScimConfiguration(path: string): Promise<ScimConfiguration> {
  return loadConfigFile(scimConfigurationSchema, path);
}
