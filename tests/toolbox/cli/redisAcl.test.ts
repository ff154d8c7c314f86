// `surecloud-sync redis-acl` on a Redis of the test's own (requirepass): the printed line, fed to
// redis-cli as an operator would, makes a user as which the built Action queues its jobs, and which
// can touch nothing else: not the worker's state (group-sync:<queue>:*), not another queue.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { actionCommands } from "../../../toolbox/ops/actionAcl.js";
import { auditStreamKey } from "../../../worker/audit/auditTrail.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import { makePrivateRedis, type PrivateRedis } from "../../faults/privateRedis.js";
import { makeUserEvent } from "../../fixtures/auth0Events.js";
import { type ActionModule, loadBuiltAction } from "../../helpers/actionBundle.js";
import { cli } from "./cliHarness.js";

const ADMIN_PASSWORD = randomBytes(16).toString("hex");
const ACTION_PASSWORD = randomBytes(16).toString("hex");
const queueName = `acl-${randomUUID()}`;
const otherQueue = `acl-other-${randomUUID()}`;

let redis: PrivateRedis;
let admin: Redis;
let action: ActionModule;

beforeAll(async () => {
  redis = await makePrivateRedis({ password: ADMIN_PASSWORD });
  admin = new Redis(redis.url);
  action = loadBuiltAction();
});
afterAll(async () => {
  await action?.closeQueues();
  admin?.disconnect();
  await redis?.destroy();
});

/** Feeds a line to redis-cli on stdin as the administrator, as docs/operator.md shows. */
function redisCli(line: string): string {
  const run = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(redis.port)], {
    input: `${line}\n`,
    env: { PATH: process.env.PATH, REDISCLI_AUTH: ADMIN_PASSWORD },
    encoding: "utf8",
  });
  return `${run.stdout}${run.stderr}`.trim();
}

/**
 * What the Action meets in production, each reaching another branch of BullMQ's add script: a new
 * event, a redelivery, a paused queue, a queue with a concurrency cap. Returns the errors thrown.
 */
async function deliverAll(redisUrl: string, queue: string): Promise<{ thrown: string[]; queue: Queue }> {
  const secrets = { REDIS_URL: redisUrl, QUEUE_NAME: queue };
  const handle = new Queue(queue, { connection: admin.duplicate() });
  const thrown: string[] = [];
  const deliver = (message: unknown) =>
    action
      .onExecuteEventStream({ message, secrets })
      .catch((error: Error) => void thrown.push(error.message));
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const first = makeUserEvent();
    await deliver(first);
    await deliver(first);
    await handle.pause();
    await deliver(makeUserEvent({ type: "user.updated", userType: "NONE" }));
    await handle.resume();
    await admin.hset(`bull:${queue}:meta`, "concurrency", "1");
    await deliver(makeUserEvent({ type: "user.deleted" }));
  } finally {
    vi.restoreAllMocks();
  }
  return { thrown, queue: handle };
}

const printLine = (args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  cli(["redis-acl", "--queue", queueName, ...args], env);

describe("the printed line", () => {
  it("limits the user to the queue's BullMQ keys and the Action's commands, the password only hashed", async () => {
    const run = await printLine(["--password-env", "ACTION_REDIS_PASSWORD"], {
      ACTION_REDIS_PASSWORD: ACTION_PASSWORD,
    });

    expect(run.code).toBe(0);
    const hash = createHash("sha256").update(ACTION_PASSWORD).digest("hex");
    expect(run.stdout).toBe(
      `ACL SETUSER surecloud-action reset on #${hash} resetchannels ~bull:${queueName}:* -@all ` +
        "+eval +evalsha +info +client|setname +exists +hget +hmget +hmset +hset +incr +llen +lpush +xadd +zadd",
    );
    expect(run.stdout + run.stderr).not.toContain(ACTION_PASSWORD);
  });

  it("without --password-env carries a placeholder that Redis refuses, so no user is made", async () => {
    const run = await printLine(["--user", "placeholder-user"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(" #<sha256-of-the-password> ");
    expect(run.stderr).toMatch(/Replace #<sha256-of-the-password>/);
    expect(redisCli(run.stdout)).toMatch(/ERR .*ACL SETUSER/);
    expect(await admin.call("ACL", "GETUSER", "placeholder-user")).toBeNull();
  });

  it("refuses an unset password variable and a user name Redis could misread (exit 2)", async () => {
    expect((await printLine(["--password-env", "NOT_SET_ANYWHERE"])).stderr).toMatch(
      /Usage error: --password-env NOT_SET_ANYWHERE: the variable is not set/,
    );
    const badUser = await printLine(["--user", "two words"]);
    expect(badUser.code).toBe(2);
    expect((await printLine(["--queue", "a:b"])).code).toBe(2);
  });
});

describe("the user the line makes", () => {
  let user: Redis;
  const actionUrl = () => `redis://surecloud-action:${ACTION_PASSWORD}@127.0.0.1:${redis.port}`;
  const prefix = syncStatePrefix(queueName);
  const workerKeys = [`${prefix}:version:acme:samlp|acme-entra|1`, `${prefix}:lock:acme:samlp|acme-entra|1`];

  beforeAll(async () => {
    const printed = await printLine(["--password-env", "PW"], { PW: ACTION_PASSWORD });
    expect(redisCli(printed.stdout)).toBe("OK");
    await admin.call("ACL", "LOG", "RESET");
    // What a running worker keeps beside the queue.
    await admin.set(workerKeys[0] as string, '{"ms":1,"eventId":"evt_1"}');
    await admin.set(workerKeys[1] as string, "owner");
    await admin.xadd(auditStreamKey(queueName), "*", "entry", "{}");
    await admin.hset(`bull:${otherQueue}:meta`, "opts.maxLenEvents", "10000");
    user = new Redis(actionUrl());
  });
  afterAll(() => user?.disconnect());

  it("is all the built Action needs: new, repeated, paused and capped deliveries queue, nothing refused", async () => {
    const { thrown, queue } = await deliverAll(actionUrl(), queueName);

    expect(thrown).toEqual([]);
    expect(await queue.count()).toBe(3);
    // Redis logged no refusal for this user, CLIENT SETNAME included.
    expect(await admin.call("ACL", "LOG")).toEqual([]);
    await queue.close();
  });

  it("needs every command it is granted: without any one, a delivery fails or Redis logs a refusal", async () => {
    const { stdout: line } = await printLine(["--password-env", "PW"], { PW: ACTION_PASSWORD });
    for (const command of actionCommands) {
      const name = `without-${command.replace("|", "-")}`;
      const probeQueue = `acl-probe-${randomUUID()}`;
      const rule = line.replace(`~bull:${queueName}:*`, `~bull:${probeQueue}:*`).replace(` +${command}`, "");
      await admin.call("ACL", ...rule.split(" ").slice(1).with(1, name));
      await admin.call("ACL", "LOG", "RESET");

      const url = `redis://${name}:${ACTION_PASSWORD}@127.0.0.1:${redis.port}`;
      const { thrown, queue } = await deliverAll(url, probeQueue);
      await queue.close();

      const refused = JSON.stringify(await admin.call("ACL", "LOG"));
      expect(thrown.length > 0 || refused.includes(`"${command}"`), `${command} is not needed`).toBe(true);
    }
  });

  it("with --select, queues in the database its URL names", async () => {
    const printed = await printLine(["--user", "action-db2", "--select", "--password-env", "PW"], {
      PW: ACTION_PASSWORD,
    });
    expect(printed.stdout.endsWith(" +zadd +select")).toBe(true);
    expect(redisCli(printed.stdout)).toBe("OK");
    await admin.call("ACL", "LOG", "RESET");
    const message = makeUserEvent();

    vi.spyOn(console, "log").mockImplementation(() => undefined);
    await action.onExecuteEventStream({
      message,
      secrets: {
        REDIS_URL: `redis://action-db2:${ACTION_PASSWORD}@127.0.0.1:${redis.port}/2`,
        QUEUE_NAME: queueName,
      },
    });
    vi.restoreAllMocks();

    const db2 = new Queue(queueName, { connection: { port: redis.port, password: ADMIN_PASSWORD, db: 2 } });
    expect(await db2.getJob(`event-${message.id}`)).toBeDefined();
    await db2.close();
    expect(await admin.call("ACL", "LOG")).toEqual([]);
  });

  it("cannot read or write the worker's audit trail, versions or locks", async () => {
    for (const key of workerKeys) {
      await expect(user.exists(key)).rejects.toThrow(/NOPERM/);
      await expect(user.hget(key, "ms")).rejects.toThrow(/NOPERM/);
      await expect(user.get(key)).rejects.toThrow(/NOPERM/);
      await expect(user.eval("return redis.call('exists', KEYS[1])", 1, key)).rejects.toThrow(/NOPERM/);
    }
    await expect(user.xadd(auditStreamKey(queueName), "*", "entry", "forged")).rejects.toThrow(/NOPERM/);
    await expect(user.xrange(auditStreamKey(queueName), "-", "+")).rejects.toThrow(/NOPERM/);
  });

  it("cannot touch another queue, list keys, read whole jobs or use pub/sub", async () => {
    await expect(user.hget(`bull:${otherQueue}:meta`, "opts.maxLenEvents")).rejects.toThrow(/NOPERM/);
    await expect(user.llen(`bull:${otherQueue}:wait`)).rejects.toThrow(/NOPERM/);
    const other = new Queue(otherQueue, { connection: user.duplicate() });
    await expect(other.add("user.created", {}, { jobId: "forged" })).rejects.toThrow(/NOPERM/);
    await other.close();
    await expect(user.keys("*")).rejects.toThrow(/NOPERM/);
    await expect(user.hgetall(`bull:${queueName}:meta`)).rejects.toThrow(/NOPERM/);
    await expect(user.publish(`bull:${queueName}:events`, "x")).rejects.toThrow(/NOPERM/);
  });
});
