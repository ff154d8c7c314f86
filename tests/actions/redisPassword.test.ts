// What the built Action throws never carries the Redis password, however Auth0 (or anyone) prints it:
// JSON.stringify of the error or its cause, util.inspect at any depth, the stack. ioredis errors keep
// the failed command, and for HELLO/AUTH its arguments are the password.
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makePrivateRedis, type PrivateRedis } from "../faults/privateRedis.js";
import { makeUserEvent } from "../fixtures/auth0Events.js";
import { type ActionModule, loadBuiltAction } from "../helpers/actionBundle.js";

const secret = () => randomBytes(18).toString("base64url");
const RIGHT_PASSWORD = secret();
const WRONG_PASSWORD = secret();
/** Characters a URL must percent-encode, so that the raw and the decoded form differ. */
const ODD_PASSWORD = `${secret()}@/:#%?`;

let redis: PrivateRedis;
let action: ActionModule;

beforeAll(async () => {
  redis = await makePrivateRedis({ password: RIGHT_PASSWORD });
  action = loadBuiltAction();
});
afterAll(async () => {
  await action?.closeQueues();
  await redis?.destroy();
});

/** Every way the error might be printed, at any depth. */
function everyPrinting(error: Error): string {
  return [
    error.message,
    error.stack,
    JSON.stringify(error),
    JSON.stringify(error.cause),
    String(error.cause),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect(error.cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ].join("\n");
}

/** No run of 8 characters of the password appears, in its raw or its percent-encoded form. */
function expectNoPartOf(password: string, text: string): void {
  for (const form of new Set([password, encodeURIComponent(password)])) {
    for (let start = 0; start + 8 <= form.length; start += 1) {
      expect(text, `holds "${form.slice(start, start + 8)}" of the password`).not.toContain(
        form.slice(start, start + 8),
      );
    }
  }
}

async function thrownBy(redisUrl: string): Promise<Error> {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const run = action.onExecuteEventStream({
      message: makeUserEvent(),
      secrets: { REDIS_URL: redisUrl, QUEUE_NAME: "password-test" },
    });
    return await run.then(
      () => new Error("the Action did not throw"),
      (error: Error) => error,
    );
  } finally {
    vi.restoreAllMocks();
  }
}

describe("when Redis refuses the password", () => {
  const urls: Array<[string, () => string, string]> = [
    ["as redis://:PW@", () => `redis://:${WRONG_PASSWORD}@127.0.0.1:${redis.port}`, WRONG_PASSWORD],
    [
      "as redis://default:PW@",
      () => `redis://default:${WRONG_PASSWORD}@127.0.0.1:${redis.port}`,
      WRONG_PASSWORD,
    ],
    [
      "percent-encoded",
      () => `redis://:${encodeURIComponent(ODD_PASSWORD)}@127.0.0.1:${redis.port}`,
      ODD_PASSWORD,
    ],
    ["as ?password=", () => `redis://127.0.0.1:${redis.port}/?password=${WRONG_PASSWORD}`, WRONG_PASSWORD],
  ];

  it.each(urls)(
    "(%s) the thrown error names the refusal and holds no part of the password",
    async (_, url, password) => {
      const error = await thrownBy(url());

      expect(error.name).toBe("RetryableError");
      expect(error.message).toMatch(/could not be stored in queue "password-test" at redis:\/\/.*WRONGPASS/);
      expect(error.cause).toMatchObject({ name: "ReplyError", message: expect.stringMatching(/^WRONGPASS/) });
      const printed = everyPrinting(error);
      expectNoPartOf(password, printed);
      expectNoPartOf(RIGHT_PASSWORD, printed);
    },
  );
});

describe("a REDIS_URL that is not a valid URL", () => {
  it.each([
    ["a port out of range", (pw: string) => `redis://:${pw}@127.0.0.1:99999`, /127\.0\.0\.1:99999/],
    ["an IPv6 host without its ]", (pw: string) => `redis://:${pw}@[::1`, /\[::1/],
  ])(
    "(%s) is a configuration error naming REDIS_URL and the host, not the password",
    async (_, url, host) => {
      const error = await thrownBy(url(WRONG_PASSWORD));

      expect(error.name).toBe("ConfigError");
      expect(error.message).toMatch(/REDIS_URL: is not a valid URL/);
      expect(error.message).toMatch(host);
      expectNoPartOf(WRONG_PASSWORD, everyPrinting(error));
    },
  );
});
