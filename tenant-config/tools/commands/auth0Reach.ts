// A network failure on the way to Auth0, said as one: the SDKs report `fetch failed` or `the
// interceptors did not return an alternative response`, naming neither Auth0 nor the host.
import { ConfigError } from "../../../shared/errors.js";
import { networkCause } from "../../../shared/networkCause.js";

/** Runs `work`; a failure to reach `domain` becomes ConfigError `cannot reach Auth0 at <domain>: <cause>`. */
export async function reachingAuth0<T>(domain: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const cause = networkCause(error);
    if (cause === undefined) throw error;
    throw new ConfigError(`cannot reach Auth0 at ${domain}: ${cause}`, { cause: error });
  }
}
