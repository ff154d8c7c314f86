// Keeping secrets out of logs and errors: a deep walk that blanks secret-named fields at any depth,
// a mask for credentials inside URLs, and error copies that carry no secret. No dependencies, so the
// Action can use it too.

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
    if (secretKeys.has(key.toLowerCase())) copy[key] = REDACTED;
    else if (key === "command" && isRedisCommand(field)) copy[key] = { name: field.name, args: REDACTED };
    else copy[key] = redactSecrets(field, seen);
  }
  return copy;
}

/**
 * ioredis errors carry the failed command with its arguments; for AUTH or HELLO those hold the
 * Redis password under no secret-sounding name, so a command's arguments are never logged.
 */
function isRedisCommand(value: unknown): value is { name: unknown; args: unknown } {
  return typeof value === "object" && value !== null && "name" in value && "args" in value;
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

/** `text` with every occurrence of each secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((scrubbed, secret) => (secret ? scrubbed.split(secret).join("***") : scrubbed), text);
}

/**
 * A copy of an error that is safe to throw on or log at any depth: its name, code and message with
 * the secrets scrubbed, and nothing else. An ioredis error keeps the failed command, and for HELLO or
 * AUTH its arguments hold the password (`cause.command.args`), which JSON.stringify and util.inspect print.
 */
export function detachedError(error: unknown, secrets: readonly string[]): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(scrubSecrets(source.message, secrets));
  copy.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") Object.assign(copy, { code });
  return copy;
}
