// The Management API credentials the onboarding commands use, from the environment. The client
// secret is read, passed to Auth0 and never printed.
import { ConfigError } from "./errors.js";

export interface Auth0Credentials {
  /** The tenant's Auth0 domain, e.g. `example.eu.auth0.com` (no scheme). */
  domain: string;
  clientId: string;
  clientSecret: string;
}

export const credentialVariables = ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"] as const;

const hostnamePattern =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The names of the credential variables that are unset or empty. */
export function missingCredentials(env: NodeJS.ProcessEnv): string[] {
  return credentialVariables.filter((name) => !env[name]?.trim());
}

/** Reads the credentials; throws ConfigError naming each missing or malformed variable. */
export function readAuth0Credentials(env: NodeJS.ProcessEnv): Auth0Credentials {
  const missing = missingCredentials(env);
  if (missing.length > 0) throw new ConfigError(`Set ${missing.join(", ")} (the Management API credentials)`);
  const domain = (env.AUTH0_DOMAIN as string).trim();
  if (!hostnamePattern.test(domain)) {
    throw new ConfigError(`AUTH0_DOMAIN must be a host name such as example.eu.auth0.com, without https://`);
  }
  return {
    domain,
    clientId: (env.AUTH0_CLIENT_ID as string).trim(),
    clientSecret: env.AUTH0_CLIENT_SECRET as string,
  };
}
