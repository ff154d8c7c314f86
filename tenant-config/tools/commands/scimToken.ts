// `surecloud-tenant scim-token`: creates a SCIM token for one organisation's connection and prints it,
// with the SCIM endpoint URL, once, for the operator to send to the customer's Entra administrator.
import { parseArgs } from "node:util";
import { readAuth0Credentials } from "../../../shared/auth0Credentials.js";
import type { CliCommand } from "../../../toolbox/cli/command.js";
import { createScimToken, MIN_TOKEN_LIFETIME_SECONDS } from "../scimToken.js";
import { reachingAuth0 } from "./auth0Reach.js";

export const scimTokenCommand: CliCommand = {
  name: "scim-token",
  help: [
    "Usage: surecloud-tenant scim-token --connection <name> [--lifetime <seconds>]",
    "",
    "Creates a token through the Auth0 Management API and prints the SCIM endpoint URL (with",
    "?aadOptscim062020, for Entra's Tenant URL) and the token (Entra's Secret Token). The token is",
    "shown only this once: send both to the customer's administrator over a secure channel.",
    "",
    "Options:",
    "  --connection <name>   the organisation's Auth0 connection (tenant-config/organisations.yaml)",
    `  --lifetime <seconds>  token lifetime, at least ${MIN_TOKEN_LIFETIME_SECONDS}; default: never expires`,
    "",
    "Environment: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (a Management API application",
    "with read:connections, read:scim_config and create:scim_token).",
    "",
    "Example: surecloud-tenant scim-token --connection acme-entra",
  ].join("\n"),
  async run(args, io) {
    let values: { connection?: string; lifetime?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { connection: { type: "string" }, lifetime: { type: "string" } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      io.err(`${(error as Error).message}\n\n${this.help}`);
      return 2;
    }
    if (!values.connection) {
      io.err(`--connection is required.\n\n${this.help}`);
      return 2;
    }
    const lifetimeSeconds = values.lifetime === undefined ? undefined : Number(values.lifetime);
    if (lifetimeSeconds !== undefined && !Number.isInteger(lifetimeSeconds)) {
      io.err(`--lifetime must be a whole number of seconds, not "${values.lifetime}".`);
      return 2;
    }
    const credentials = readAuth0Credentials(io.env);
    const created = await reachingAuth0(credentials.domain, () =>
      createScimToken(credentials, {
        connection: values.connection as string,
        ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
      }),
    );
    io.out(
      [
        `Connection:     ${values.connection} (${created.connectionId})`,
        `Tenant URL:     ${created.endpointUrl}`,
        `Secret Token:   ${created.token}`,
        `Token id:       ${created.tokenId}`,
        `Expires:        ${created.validUntil ?? "never"}`,
        "",
        "This token is shown once; Auth0 keeps only its hash. Send the Tenant URL and the Secret Token",
        "to the customer's Entra administrator over a secure channel (docs/entra-setup.md, step 2).",
      ].join("\n"),
    );
    return 0;
  },
};
