// Tenant organisations as data (tenant-config/organisations.yaml), rendered into the enterprise
// connections deploy-cli creates: one entry in, one connection with inbound SCIM out.
import { z } from "zod";
import { loadConfigFile, parseConfigText } from "../../shared/configFile.js";
import { reportRepeats } from "../../shared/repeats.js";
import type { ScimConfiguration } from "./scimMapping.js";

/** Enterprise connection strategies Auth0 offers inbound SCIM on. */
export const scimStrategies = ["waad", "samlp", "oidc", "okta"] as const;

/** Auth0's rule for connection names: letters and digits, single dashes between them. */
const connectionNamePattern = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;

export const organisationSchema = z
  .object({
    /** Auth0 connection name; the tenants file's `connection` for the same organisation. */
    connection: z
      .string()
      .max(128)
      .regex(connectionNamePattern, "must be letters and digits with single dashes"),
    /** Shown on Auth0's login button. */
    displayName: z.string().min(1).optional(),
    /** Default waad (Microsoft Entra ID). */
    strategy: z.enum(scimStrategies).default("waad"),
    /** The connection's options, passed to Auth0 as written. */
    options: z.record(z.string(), z.unknown()).default({}),
    /** Names of the Auth0 applications that may use the connection. */
    enabledClients: z.array(z.string().min(1)).optional(),
    /** Which SCIM attribute identifies a user; default from scim-mapping.yaml. */
    scimUserIdAttribute: z.string().min(1).optional(),
  })
  .strict();
export type Organisation = z.infer<typeof organisationSchema>;

export const organisationsFileSchema = z
  .object({ organisations: z.array(organisationSchema).min(1, "must list at least one organisation") })
  .strict()
  .superRefine((file, ctx) => {
    reportRepeats(
      ctx,
      file.organisations.map((organisation) => organisation.connection),
      (index) => ["organisations", index, "connection"],
      (connection) => connection.toLowerCase(),
    );
  });

/** Messages name an organisation by its connection: `organisation "acme-entra": strategy: …`. */
const organisationEntries = { list: "organisations", noun: "organisation", idKey: "connection" };

export function parseOrganisations(text: string, origin: string): Organisation[] {
  return parseConfigText(organisationsFileSchema, text, origin, { entries: organisationEntries })
    .organisations;
}

export async function loadOrganisations(path: string): Promise<Organisation[]> {
  return (await loadConfigFile(organisationsFileSchema, path, { entries: organisationEntries }))
    .organisations;
}

/** A connection as deploy-cli's YAML format describes it. */
export interface DeployCliConnection {
  name: string;
  strategy: string;
  display_name?: string;
  options: Record<string, unknown>;
  enabled_clients?: string[];
  scim_configuration: ScimConfiguration;
}

/** The connections deploy-cli should create or keep, one per organisation, each with inbound SCIM. */
export function connectionsFor(
  organisations: Organisation[],
  scim: ScimConfiguration,
): DeployCliConnection[] {
  return organisations.map((organisation) => ({
    name: organisation.connection,
    strategy: organisation.strategy,
    ...(organisation.displayName ? { display_name: organisation.displayName } : {}),
    // SCIM owns the profile: a login must not overwrite it (Auth0's "sync user profile at each login").
    options: { set_user_root_attributes: "on_first_login", ...organisation.options },
    ...(organisation.enabledClients ? { enabled_clients: organisation.enabledClients } : {}),
    scim_configuration: {
      user_id_attribute: organisation.scimUserIdAttribute ?? scim.user_id_attribute,
      mapping: scim.mapping,
    },
  }));
}
