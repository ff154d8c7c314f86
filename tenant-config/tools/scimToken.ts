// Creating a connection's SCIM token through the Management API (deploy-cli does not manage tokens),
// and the SCIM endpoint URL Entra's "Tenant URL" field takes.
import { ManagementClient } from "auth0";
import type { Auth0Credentials } from "../../shared/auth0Credentials.js";
import { ConfigError } from "../../shared/errors.js";

/** Without it Entra sends `active` as the string "False" and PATCH ops Auth0 does not expect. */
export const ENTRA_SCIM_FLAG = "aadOptscim062020";

/** Auth0 refuses shorter token lifetimes. */
export const MIN_TOKEN_LIFETIME_SECONDS = 900;

export interface ScimTokenRequest {
  connection: string;
  /** Seconds until the token expires; omitted, it never does. */
  lifetimeSeconds?: number;
}

export interface CreatedScimToken {
  connectionId: string;
  /** For Entra's "Tenant URL" field, flag included. */
  endpointUrl: string;
  tokenId: string;
  /** Shown once; Auth0 keeps only a hash of it. */
  token: string;
  validUntil: string | undefined;
}

/** The SCIM endpoint of a connection, as Entra should call it. */
export function scimEndpointUrl(domain: string, connectionId: string): string {
  return `https://${domain}/scim/v2/connections/${encodeURIComponent(connectionId)}/?${ENTRA_SCIM_FLAG}`;
}

/**
 * Finds the connection by name, checks inbound SCIM is on (the tenant deploy turns it on), and
 * creates one token. Throws ConfigError for what an operator must fix.
 */
export async function createScimToken(
  credentials: Auth0Credentials,
  request: ScimTokenRequest,
): Promise<CreatedScimToken> {
  if (request.lifetimeSeconds !== undefined && request.lifetimeSeconds < MIN_TOKEN_LIFETIME_SECONDS) {
    throw new ConfigError(`the token lifetime must be at least ${MIN_TOKEN_LIFETIME_SECONDS} seconds`);
  }
  const client = new ManagementClient({
    domain: credentials.domain,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    maxRetries: 2,
  });
  const page = await client.connections.list({
    name: request.connection,
    take: 1,
    fields: "id,name,strategy",
  });
  const connection = page.data.find((candidate) => candidate.name === request.connection);
  if (!connection?.id) {
    throw new ConfigError(
      `no connection named "${request.connection}" in ${credentials.domain}; run npm run tenant:deploy first`,
    );
  }
  try {
    await client.connections.scimConfiguration.get(connection.id);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      throw new ConfigError(
        `connection "${request.connection}" has no inbound SCIM; run npm run tenant:deploy first`,
      );
    }
    throw error;
  }
  const created = await client.connections.scimConfiguration.tokens.create(
    connection.id,
    request.lifetimeSeconds === undefined ? {} : { token_lifetime: request.lifetimeSeconds },
  );
  if (!created.token || !created.token_id) throw new Error("Auth0 created a SCIM token but returned none");
  return {
    connectionId: connection.id,
    endpointUrl: scimEndpointUrl(credentials.domain, connection.id),
    tokenId: created.token_id,
    token: created.token,
    validUntil: created.valid_until,
  };
}
