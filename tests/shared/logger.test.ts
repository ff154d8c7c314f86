// What reaches a log line: secret fields are redacted wherever they sit in a logged object, and
// credentials in connection URLs are masked.
import { describe, expect, it } from "vitest";
import { makeLogger, maskUrl } from "../../shared/logger.js";

const SECRET = "s3cr3t-value-that-must-not-appear";

/** A logger writing JSON lines to memory, and a way to read them back. */
function memoryLogger(level = "debug") {
  const lines: string[] = [];
  const logger = makeLogger({ level, name: "test" }, { write: (line: string) => lines.push(line) });
  return {
    logger,
    text: () => lines.join(""),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("makeLogger", () => {
  it("writes JSON lines with a label level, the name and the message", () => {
    const { logger, records } = memoryLogger();
    logger.info({ tenant: "acme" }, "job done");
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({ level: "info", name: "test", msg: "job done", tenant: "acme" });
  });

  it("honours the level", () => {
    const { logger, records } = memoryLogger("warn");
    logger.info("quiet");
    logger.warn("loud");
    expect(records().map((r) => r.msg)).toEqual(["loud"]);
  });

  it.each([
    ["token", { token: SECRET }],
    ["authorization", { authorization: `Bearer ${SECRET}` }],
    ["headers.authorization", { headers: { authorization: `Bearer ${SECRET}`, accept: "application/json" } }],
    ["secrets", { secrets: { REDIS_URL: `redis://:${SECRET}@h:6379` } }],
    ["password", { password: SECRET }],
    ["clientSecret", { clientSecret: SECRET }],
  ])("redacts a top-level %s field", (_label, fields) => {
    const { logger, text } = memoryLogger();
    logger.info(fields, "call");
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain("[redacted]");
  });

  it.each([
    ["token", { tenant: { token: SECRET } }],
    ["authorization", { request: { authorization: `Bearer ${SECRET}` } }],
    ["headers.authorization", { request: { headers: { authorization: `Bearer ${SECRET}` } } }],
    ["secrets", { event: { secrets: { SURECLOUD_TOKEN: SECRET } } }],
    ["password", { redis: { password: SECRET } }],
    ["clientSecret", { auth0: { clientSecret: SECRET } }],
  ])("redacts %s one level down", (_label, fields) => {
    const { logger, text } = memoryLogger();
    logger.warn(fields, "call failed");
    expect(text()).not.toContain(SECRET);
    expect(text()).toContain("[redacted]");
  });

  it("keeps the fields around a redacted one", () => {
    const { logger, records } = memoryLogger();
    logger.info({
      request: { method: "PATCH", headers: { authorization: SECRET, accept: "application/json" } },
    });
    expect(records()[0]?.request).toEqual({
      method: "PATCH",
      headers: { authorization: "[redacted]", accept: "application/json" },
    });
  });

  it.each([
    ["a token inside a tenant's config", { tenant: { surecloud: { token: SECRET } } }],
    ["an authorization header inside an error", { err: { request: { headers: { authorization: SECRET } } } }],
    ["a secret inside an Action event", { action: { event: { secrets: { REDIS_URL: SECRET } } } }],
  ])("redacts %s, deeper nesting", (_label, fields) => {
    const { logger, text } = memoryLogger();
    logger.error(fields, "sync failed");
    expect(text()).not.toContain(SECRET);
  });

  it("does not alter the object the caller logged", () => {
    const { logger } = memoryLogger();
    const fields = { headers: { authorization: SECRET } };
    logger.info(fields);
    expect(fields.headers.authorization).toBe(SECRET);
  });
});

describe("maskUrl", () => {
  it("hides a Redis password and keeps the rest", () => {
    const masked = maskUrl(`redis://default:${SECRET}@redis.internal:6379/2`);
    expect(masked).not.toContain(SECRET);
    expect(masked).toBe("redis://default:***@redis.internal:6379/2");
  });

  it("hides a password given without a user name (the usual Redis form)", () => {
    const masked = maskUrl(`rediss://:${SECRET}@cache.example:6380`);
    expect(masked).not.toContain(SECRET);
    expect(masked).toContain("cache.example:6380");
  });

  it("leaves a URL without credentials as it was", () => {
    expect(maskUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
  });

  it("never echoes an unparseable value, which may itself be a secret", () => {
    const masked = maskUrl(`not a url ${SECRET}`);
    expect(masked).not.toContain(SECRET);
  });
});

describe("Redis errors", () => {
  it("never logs the arguments of the failed command an ioredis error carries (AUTH holds the password)", () => {
    const { logger, text, records } = memoryLogger();
    const error = Object.assign(new Error("WRONGPASS invalid username-password pair"), {
      command: { name: "auth", args: ["default", SECRET] },
    });
    logger.error({ err: error }, "worker error");
    expect(text()).not.toContain(SECRET);
    expect(records()[0]).toMatchObject({ err: { message: error.message, command: { name: "auth" } } });
  });
});
