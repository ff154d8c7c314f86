// The built Action under 3,000 seeded hostile deliveries, against the shared Redis: it never throws
// while Redis is up (a throw makes Auth0 retry, dead-letter and in the end disable the stream), says
// for each delivery whether it queued a job, and every job it queues is one the worker can parse.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { jobIdFor } from "../../shared/job.js";
import { parseJob } from "../../worker/sync/syncUser.js";
import { type ActionModule, loadBuiltAction } from "../helpers/actionBundle.js";
import { type FuzzMessage, makeFuzzMessages, PROTO_SENTINEL } from "./fuzzMessages.js";

const SEED = 20_251_129;
const MESSAGES = 3_000;
const queueName = `test-fuzz-${randomUUID()}`;
const secrets = { REDIS_URL: "redis://127.0.0.1:6379", QUEUE_NAME: queueName };

let action: ActionModule;
let queue: Queue;

beforeAll(() => {
  action = loadBuiltAction();
  queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: 6379 } });
});

afterAll(async () => {
  await action.closeQueues();
  await queue.obliterate({ force: true });
  await queue.close();
});

it("generates the same messages for the same seed", () => {
  // A shallow outline: the messages nest too deep for JSON.stringify.
  const outline = (messages: FuzzMessage[]) =>
    messages.map(({ message, expectedRaw }) => [
      Object.entries(message as object).map(
        ([key, value]) => `${key}:${typeof value}:${String(value).length}`,
      ),
      expectedRaw,
    ]);
  expect(outline(makeFuzzMessages(SEED, 200))).toEqual(outline(makeFuzzMessages(SEED, 200)));
});

it(`acknowledges or queues each of ${MESSAGES} hostile deliveries, never throws, and queues only jobs the worker parses`, async () => {
  const messages = makeFuzzMessages(SEED, MESSAGES);
  const printed: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void printed.push(String(line)));
  const thrown: string[] = [];
  const started = Date.now();
  for (const [index, { message }] of messages.entries()) {
    await action.onExecuteEventStream({ message, secrets }).catch((error: Error) => {
      thrown.push(`#${index}: ${error.name}: ${error.message.slice(0, 200)}`);
    });
  }
  const elapsedMs = Date.now() - started;
  vi.restoreAllMocks();

  expect(thrown).toEqual([]);
  const lines = printed.map((line) => JSON.parse(line) as { msg: string; eventId?: string });
  const queued = lines.filter((line) => line.msg === "job queued");
  const acknowledged = lines.filter((line) => line.msg === "event acknowledged without a job");
  // One outcome line per delivery, and nothing else.
  expect(queued.length + acknowledged.length).toBe(MESSAGES);
  expect(lines.length).toBe(MESSAGES);

  const jobs = await queue.getJobs(["wait", "prioritized", "delayed"], 0, -1);
  expect(jobs.length).toBe(queued.length);
  for (const job of jobs) {
    const data = parseJob(job.data);
    expect(job.name).toBe(data.event.type);
    expect(job.id).toBe(jobIdFor("event", data.event.id));
    // A user_type that is itself an object may show its own `__proto__` key in the raw text, but no
    // field may take a value that only a `__proto__` key held, as an inherited property would.
    const { directive, ...fields } = data;
    expect(JSON.stringify(fields), `job ${job.id}`).not.toContain(PROTO_SENTINEL);
    expect(directive).not.toEqual({ state: "present", raw: PROTO_SENTINEL });
    // A non-string directive is kept short; a string one is kept whole, whatever its length.
    if (data.directive.state === "present" && data.directive.raw.startsWith("[")) {
      expect(data.directive.raw.length).toBeLessThanOrEqual(256);
    }
  }
  // A user_type string reaches the job exactly as Auth0 sent it: no trimming, folding or normalising.
  const byEventId = new Map(jobs.map((job) => [parseJob(job.data).event.id, parseJob(job.data)]));
  let checkedRaw = 0;
  for (const { message, expectedRaw } of messages) {
    const job = byEventId.get((message as { id: string }).id);
    if (expectedRaw === undefined || !job) continue;
    expect(job.directive).toEqual({ state: "present", raw: expectedRaw });
    checkedRaw += 1;
  }
  expect(Object.prototype).not.toHaveProperty("user_type");

  console.info(
    `fuzz: ${MESSAGES} deliveries, ${queued.length} queued, ${acknowledged.length} acknowledged, ` +
      `${thrown.length} thrown, ${checkedRaw} user_type strings checked verbatim, ${elapsedMs} ms`,
  );
  // Enough of each kind that the run means something.
  expect(queued.length).toBeGreaterThan(MESSAGES / 10);
  expect(acknowledged.length).toBeGreaterThan(MESSAGES / 10);
  expect(checkedRaw).toBeGreaterThan(50);
}, 60_000);
