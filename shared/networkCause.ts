// What a failed HTTP call really met on the network. Node's fetch (and the SDKs on it) report
// `fetch failed` or `the interceptors did not return an alternative response`, naming no host; the
// system error beneath (getaddrinfo ENOTFOUND <host>, connect ECONNREFUSED <ip:port>, a certificate
// problem) says what to fix.

/** The deepest system error under a failed fetch, `fetch failed (…)` when none is given, else undefined. */
export function networkCause(error: unknown): string | undefined {
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
