// The built Auth0 Action (dist/actions/group-sync.js, loaded as Auth0 loads it: CommonJS) against a
// real Redis: which deliveries become jobs, what a job holds, and how the Action fails.
import { readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { createServer, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { jobIdFor, syncJobSchema } from "../../shared/job.js";
import { makeUserEvent } from "../fixtures/auth0Events.js";
import { type ActionModule, bundlePath, loadBuiltAction, queuePerTest } from "../helpers/actionBundle.js";

const REDIS_URL = "redis://127.0.0.1:6379";
const GROUP_A = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";
const GROUP_B = "2f9d3c4b-1a7e-4e6f-8b2d-9c0a1e2f3d4c";
/** Auth0 asks that an Action stay under 100 kB; its declared npm dependencies do not count. */
const AUTH0_ACTION_LIMIT_BYTES = 100_000;

let action: ActionModule;
let redis: Redis;

beforeAll(() => {
  action = loadBuiltAction();
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await redis.quit();
});

const perTest = queuePerTest(() => action);

function secrets(extra: Record<string, string> = {}): Record<string, string> {
  return { REDIS_URL, QUEUE_NAME: perTest.name, ...extra };
}

async function jobCount(): Promise<number> {
  const counts = await perTest.queue.getJobCounts();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** What the Action wrote to Auth0's execution log, one parsed JSON line per call. */
function logLines(): Array<Record<string, unknown>> {
  return vi
    .mocked(console.log)
    .mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
}

describe("the built bundle", () => {
  const text = () => readFileSync(bundlePath, "utf8");

  it("is CommonJS that Node loads as such, exporting onExecuteEventStream", () => {
    expect(JSON.parse(readFileSync(join(dirname(bundlePath), "package.json"), "utf8"))).toEqual({
      type: "commonjs",
    });
    expect(text()).toMatch(/module\.exports\s*=/);
    expect(text()).not.toMatch(/^\s*(import|export)\s[^(]/m);
    expect(typeof action.onExecuteEventStream).toBe("function");
  });

  it("stays within Auth0's 100 kB limit for an Action", () => {
    const bytes = statSync(bundlePath).size;
    expect(
      bytes,
      `dist/actions/group-sync.js is ${bytes} bytes; Auth0 allows an Action ${AUTH0_ACTION_LIMIT_BYTES}`,
    ).toBeLessThan(AUTH0_ACTION_LIMIT_BYTES);
  });

  it("requires nothing but bullmq, ioredis and Node built-ins", () => {
    const required = [...text().matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
    const allowed = (name: string | undefined) =>
      name === "bullmq" ||
      name === "ioredis" ||
      name?.startsWith("node:") ||
      builtinModules.includes(name ?? "");
    expect(required).toContain("bullmq");
    expect(required.filter((name) => !allowed(name))).toEqual([]);
    // Only literal requires can be checked, so there must be no computed ones.
    expect(text()).not.toMatch(/require\(\s*[^"'`\s)]/);
  });
});

describe("a user event", () => {
  it("becomes exactly one job holding what the worker needs and nothing else", async () => {
    const message = makeUserEvent({
      type: "user.created",
      connection: "acme-entra",
      userType: `${GROUP_A}, ${GROUP_B}`,
      email: "grace.hopper@acme.example",
      givenName: "Grace",
      familyName: "Hopper",
      updatedAt: "2025-03-04T10:15:30.000Z",
      extra: { last_ip: "203.0.113.7", logins_count: 3, user_metadata: { theme: "dark" } },
    });
    const withSecrets = secrets({ UNRELATED_API_KEY: "sk-live-do-not-leak" });

    await action.onExecuteEventStream({ message, secrets: withSecrets });

    expect(await jobCount()).toBe(1);
    const job = await perTest.queue.getJob(jobIdFor("event", message.id));
    expect(job?.name).toBe("user.created");
    const data = z.strictObject(syncJobSchema.shape).parse(job?.data);
    expect(data).toEqual({
      schema: 1,
      origin: "event",
      event: { id: message.id, type: "user.created", time: message.time },
      connection: "acme-entra",
      version: "2025-03-04T10:15:30.000Z",
      user: {
        userId: message.data.object.user_id,
        userName: "grace.hopper@acme.example",
        email: "grace.hopper@acme.example",
        givenName: "Grace",
        familyName: "Hopper",
        displayName: "Grace Hopper",
        blocked: false,
      },
      directive: { state: "present", raw: `${GROUP_A}, ${GROUP_B}` },
    });
    const stored = JSON.stringify(job?.data);
    for (const leak of [
      "sk-live-do-not-leak",
      REDIS_URL,
      "203.0.113.7",
      "picture",
      "user_metadata",
      "a0tenant",
    ]) {
      expect(stored).not.toContain(leak);
    }
    expect(job?.opts).toMatchObject({
      attempts: 12,
      backoff: { type: "surecloud", delay: 2000, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: false,
    });
    expect(logLines()).toContainEqual(expect.objectContaining({ msg: "job queued", eventId: message.id }));
  });

  it("delivered three times is still one job", async () => {
    const message = makeUserEvent({
      type: "user.updated",
      userType: "IGNORE",
      previous: { given_name: "Ad" },
    });

    await action.onExecuteEventStream({ message, secrets: secrets() });
    await Promise.all([
      action.onExecuteEventStream({ message, secrets: secrets() }),
      action.onExecuteEventStream({ message, secrets: secrets() }),
    ]);

    expect(await jobCount()).toBe(1);
    expect((await perTest.queue.getJob(jobIdFor("event", message.id)))?.data.event.type).toBe("user.updated");
  });

  it("from a connection outside CONNECTIONS is dropped, while listed ones are queued", async () => {
    const config = secrets({ CONNECTIONS: " acme-entra , globex-entra " });
    const outsider = makeUserEvent({ connection: "initech-entra" });
    const listed = makeUserEvent({ connection: "globex-entra", type: "user.deleted" });

    await action.onExecuteEventStream({ message: outsider, secrets: config });
    await action.onExecuteEventStream({ message: listed, secrets: config });

    expect(await jobCount()).toBe(1);
    expect(await perTest.queue.getJob(jobIdFor("event", outsider.id))).toBeUndefined();
    expect((await perTest.queue.getJob(jobIdFor("event", listed.id)))?.data.connection).toBe("globex-entra");
    expect(logLines()).toContainEqual(expect.objectContaining({ eventId: outsider.id }));
  });
});

describe("a delivery the Action can never handle", () => {
  const wrongType = { ...makeUserEvent(), type: "user.login.succeeded" };
  const noUser = { ...makeUserEvent(), data: {} };
  const cases: Array<[string, unknown]> = [
    ["an empty object", {}],
    ["null", null],
    ["a string", "not a cloud event"],
    ["a non-user event type", wrongType],
    ["a user event with no user", noUser],
    ["a user with no connection", makeUserEvent({ withoutContext: true, extra: { identities: [] } })],
    ["a stream test event", makeUserEvent({ purpose: "test" })],
  ];

  it.each(cases)("(%s) is acknowledged, logged and never queued", async (_, message) => {
    await expect(action.onExecuteEventStream({ message, secrets: secrets() })).resolves.toBeUndefined();

    expect(await jobCount()).toBe(0);
    const [line] = logLines();
    expect(line).toMatchObject({ msg: "event acknowledged without a job" });
    expect(JSON.stringify(line)).not.toContain(REDIS_URL);
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id === "string") expect(line?.eventId).toBe(id);
  });
});

describe("configuration and Redis failures", () => {
  it("throws a configuration error naming REDIS_URL when it is missing", async () => {
    await expect(action.onExecuteEventStream({ message: makeUserEvent(), secrets: {} })).rejects.toThrow(
      /REDIS_URL: is missing/,
    );
    await expect(
      action.onExecuteEventStream({
        message: makeUserEvent(),
        secrets: { REDIS_URL: "https://cache.example" },
      }),
    ).rejects.toThrow(/REDIS_URL: must be a redis/);
  });

  it("throws within 5 s when Redis is unreachable, naming the failure without the password", async () => {
    const unreachable = { REDIS_URL: "redis://:s3cret@127.0.0.1:6390", QUEUE_NAME: perTest.name };
    const message = makeUserEvent();

    for (let run = 0; run < 2; run += 1) {
      const started = Date.now();
      const failure = await action.onExecuteEventStream({ message, secrets: unreachable }).then(
        () => new Error("the Action did not throw"),
        (error: Error) => error,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(failure.message).toMatch(/could not be stored/);
      expect(failure.message).toContain(message.id);
      expect(failure.message).toContain("127.0.0.1:6390");
      expect(failure.message).not.toContain("s3cret");
    }
    expect(JSON.stringify(logLines())).not.toContain("s3cret");
  });

  it("throws within 5 s when Redis accepts the connection but never answers", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const run = action.onExecuteEventStream({
        message: makeUserEvent(),
        secrets: { REDIS_URL: `redis://:s3cret@127.0.0.1:${port}`, QUEUE_NAME: perTest.name },
      });

      await expect(run).rejects.toThrow(/could not be stored.*did not answer/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("keeps one Redis connection across calls while the container is warm, and closes it", async () => {
    const clientName = `group-sync-action:${perTest.name}`;
    const connections = async () =>
      String(await redis.client("LIST"))
        .split("\n")
        .filter((line) => line.includes(` name=${clientName} `)).length;

    for (let call = 0; call < 5; call += 1) {
      await action.onExecuteEventStream({ message: makeUserEvent(), secrets: secrets() });
    }

    expect(await jobCount()).toBe(5);
    expect(await connections()).toBe(1);
    await action.closeQueues();
    await vi.waitFor(async () => expect(await connections()).toBe(0), { timeout: 2_000 });
  });
});
