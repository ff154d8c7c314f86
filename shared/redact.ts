// Keeping secrets out of logs: a deep walk that blanks secret-named fields at any depth, and a
// mask for credentials inside URLs. No dependencies, so the Action can use it too.

/** Field names (any letter case) whose values are never logged, wherever they sit. */
const secretKeys = new Set([
  "token",
  "authorization",
  "secrets",
  "password",
  "clientsecret",
  "client_secret",
  "apikey",
  "api_key",
  "cookie",
  "set-cookie",
]);

export const REDACTED = "[redacted]";

/** A copy of `value` with every secret-named field blanked, at any depth. Cycles are cut. */
export function redactSecrets(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, seen));
  if (value instanceof Error)
    return redactSecrets({ ...value, name: value.name, message: value.message, stack: value.stack }, seen);
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = secretKeys.has(key.toLowerCase()) ? REDACTED : redactSecrets(field, seen);
  }
  return copy;
}

/** `redis://user:secret@host:6379/0?password=x` → credentials replaced by `***`. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (secretKeys.has(key.toLowerCase())) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
