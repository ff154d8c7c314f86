// A network failure on the way to Auth0, said as one: the SDKs report `fetch failed` or `the
// interceptors did not return an alternative response`, naming neither Auth0 nor the host.
import { ConfigError } from "../../../shared/errors.js";

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

/** The deepest system error (ENOTFOUND, ECONNREFUSED, a certificate…) under a failed fetch, if any. */
function networkCause(error: unknown): string | undefined {
  let fetchFailed = false;
  let systemError: string | undefined;
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current.message === "fetch failed") fetchFailed = true;
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)$/.test(code)) {
      systemError = current.message;
    }
    current = current.cause;
  }
  if (systemError !== undefined) return systemError;
  return fetchFailed ? "fetch failed (no answer from the host)" : undefined;
}
