// Bearer authentication for the intake: Auth0's webhook destination sends `Authorization: Bearer
// <token>`. Both sides are hashed before timingSafeEqual, so the comparison takes the same time
// whatever the token sent, and neither the expected token nor its length leaks through timing.
import { createHash, timingSafeEqual } from "node:crypto";

export type BearerResult = "ok" | "missing" | "wrong";

/** Checks an Authorization header against the token; the scheme's letter case does not matter. */
export type BearerCheck = (authorization: string | undefined) => BearerResult;

export function makeBearerCheck(token: string): BearerCheck {
  const expected = digest(token);
  return (authorization) => {
    const sent = /^Bearer +(\S+) *$/i.exec(authorization ?? "")?.[1];
    if (sent === undefined) return "missing";
    return timingSafeEqual(digest(sent), expected) ? "ok" : "wrong";
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
