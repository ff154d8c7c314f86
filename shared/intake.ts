// The worker's intake as its callers see it: where Auth0's webhook destination posts, and the rule
// for its bearer token (INTAKE_TOKEN). The worker that serves it and the tenant deploy that points
// Auth0 at it both read this file, so a deploy never hands Auth0 a path or token the worker refuses.

/** The intake's one route; a deploy's INTAKE_URL ends with it. */
export const INTAKE_PATH = "/events";

/** 32 characters of a random base64url string carry 192 bits: no guessing. */
export const MIN_INTAKE_TOKEN_CHARS = 32;

/** RFC 6750's b64token, what may follow `Bearer ` in an Authorization header. */
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Why a token cannot be used, else undefined. Never quotes the token. */
export function intakeTokenProblem(token: string): string | undefined {
  if (token.length < MIN_INTAKE_TOKEN_CHARS) return `must be at least ${MIN_INTAKE_TOKEN_CHARS} characters`;
  if (!b64token.test(token)) {
    return "may hold only letters, digits and - . _ ~ + / (then = padding): no spaces or line breaks";
  }
  return undefined;
}
