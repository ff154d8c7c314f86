// Checking a Redis URL before ioredis sees it. ioredis parses it with `new URL`, whose TypeError
// carries the whole URL, password included (`input: 'redis://:PW@…'`), and kills a process that
// did not expect it. No dependencies, so the Action can use it.

/**
 * Why ioredis could not use this URL, or undefined when it can. The reason never quotes the
 * password: an unparseable URL is shown only from its last `@` on (host and port).
 */
export function redisUrlProblem(url: string): string | undefined {
  if (!/^rediss?:\/\//i.test(url)) return "must be a redis:// or rediss:// URL";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return (
      `is not a valid URL (${hostPartOf(url)}): check the host and the port (1-65535), and ` +
      "percent-encode any of @ : / ? # [ ] % in the user name or password"
    );
  }
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    return "has a user name or password with a broken %-escape (write a literal % as %25)";
  }
  if (parsed.pathname !== "" && parsed.pathname !== "/" && !/^\/\d+$/.test(parsed.pathname)) {
    return "may end only in a database number (/0, /1, ...) after the host and port";
  }
  return undefined;
}

/**
 * The forms in which a URL's password could appear in an error: as written, percent-decoded, and
 * from the `?password=` parameter ioredis also reads. Empty when there is none.
 */
export function redisUrlSecrets(url: string): string[] {
  const found = new Set<string>();
  try {
    const parsed = new URL(url);
    for (const value of [parsed.password, safeDecode(parsed.password), parsed.searchParams.get("password")]) {
      if (value) found.add(value);
    }
  } catch {
    // Unparseable: what lies between the first ":" after the scheme and the last "@".
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:@]*:(.*)@/is.exec(url)?.[1];
    if (password) found.add(password).add(safeDecode(password));
  }
  return [...found];
}

/** `redis://***@host:port` for a URL `new URL` refuses; only what follows the last `@`. */
function hostPartOf(url: string): string {
  const scheme = /^rediss?:\/\//i.exec(url)?.[0] ?? "";
  const at = url.lastIndexOf("@");
  const rest = url.slice(at < 0 ? scheme.length : at + 1).split(/[/?#]/)[0] ?? "";
  return `${scheme}${at < 0 ? "" : "***@"}${rest}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
