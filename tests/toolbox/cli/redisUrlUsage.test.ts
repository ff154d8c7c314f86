// A --redis-url (or REDIS_URL) that is not a valid URL is a usage error of every queue command
// (exit 2) that names the option, and nothing printed holds the password — run as operators run it.
import { expect, it } from "vitest";
import { binary } from "./cliHarness.js";

const PASSWORD = "s3cret-Redis-pass-4Kw";

it.each([
  ["a port out of range", `redis://:${PASSWORD}@127.0.0.1:99999`, "redis://***@127.0.0.1:99999"],
  ["an IPv6 host without its ]", `redis://:${PASSWORD}@[::1`, "redis://***@[::1"],
])(
  "with %s, from --redis-url or REDIS_URL, is a usage error without the password",
  async (_, url, masked) => {
    const runs = await Promise.all([
      binary(["status", "--redis-url", url]),
      binary(["failed"], { REDIS_URL: url }),
      binary(["audit", "--redis-url", url]),
    ]);

    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Usage error: --redis-url (or REDIS_URL) is not a valid URL (${masked})`);
      expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
    }
  },
);
