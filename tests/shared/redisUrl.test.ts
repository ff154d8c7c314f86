// Redis URLs checked before ioredis sees them, and errors that carry no Redis password.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { detachedError, scrubSecrets } from "../../shared/redact.js";
import { redisUrlProblem, redisUrlSecrets } from "../../shared/redisUrl.js";

const PW = "pA55-w0rd-for-tests";

describe("redisUrlProblem", () => {
  it.each([
    "redis://127.0.0.1:6379",
    `redis://:${PW}@redis.internal:6379/2`,
    `rediss://surecloud-action:${encodeURIComponent(`${PW}@/#`)}@cache.example:6380`,
    "REDIS://localhost",
    "redis://[::1]:6379/",
  ])("accepts %s", (url) => {
    expect(redisUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["https://cache.example", /^must be a redis:\/\/ or rediss:\/\/ URL$/],
    [`redis://:${PW}@127.0.0.1:99999`, /^is not a valid URL \(redis:\/\/\*\*\*@127\.0\.0\.1:99999\): check/],
    [`redis://:${PW}@[::1`, /^is not a valid URL \(redis:\/\/\*\*\*@\[::1\)/],
    [`redis://:${PW}@h@ost:99999/${PW}?password=${PW}`, /^is not a valid URL \(redis:\/\/\*\*\*@ost:99999\)/],
    ["redis://[::1:6379", /^is not a valid URL \(redis:\/\/\[::1:6379\)/],
    [`redis://:${PW}%zz@127.0.0.1`, /^has a user name or password with a broken %-escape/],
    ["redis://127.0.0.1:6379/queue", /^may end only in a database number/],
  ])("refuses %s, naming why and never the password", (url, why) => {
    const problem = redisUrlProblem(url) ?? "";
    expect(problem).toMatch(why);
    expect(problem).not.toContain(PW);
  });
});

describe("redisUrlSecrets", () => {
  it("finds the password as written, decoded, and in ?password=", () => {
    const odd = `${PW}@/%`;
    expect(redisUrlSecrets(`redis://u:${encodeURIComponent(odd)}@h:6379`)).toEqual([
      encodeURIComponent(odd),
      odd,
    ]);
    expect(redisUrlSecrets(`redis://h:6379/?password=${PW}`)).toEqual([PW]);
    expect(redisUrlSecrets("redis://h:6379")).toEqual([]);
    expect(redisUrlSecrets(`redis://:${PW}@h:99999`)).toEqual([PW]);
  });
});

describe("detachedError", () => {
  it("keeps the name, code and message, scrubbed, and drops the command an ioredis error carries", () => {
    const ioredisError = Object.assign(new Error(`WRONGPASS for ${PW}`), {
      name: "ReplyError",
      code: "WRONGPASS",
      command: { name: "hello", args: ["3", "AUTH", "default", PW] },
    });

    const copy = detachedError(ioredisError, [PW]);

    expect(copy).toMatchObject({ name: "ReplyError", code: "WRONGPASS", message: "WRONGPASS for ***" });
    for (const printed of [
      JSON.stringify(copy),
      inspect(copy, { depth: Number.POSITIVE_INFINITY }),
      copy.stack,
    ]) {
      expect(printed).not.toContain(PW);
    }
    expect(scrubSecrets(`a ${PW} b ${PW}`, [PW, ""])).toBe("a *** b ***");
  });
});
