// Poison deliveries through the built Action, against the shared Redis: values that once made the
// Action throw (and so made Auth0 retry, dead-letter, and count towards disabling the stream).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parseDirective } from "../../shared/directive.js";
import { jobIdFor } from "../../shared/job.js";
import { parseJob } from "../../worker/sync/syncUser.js";
import { makeUserEvent } from "../fixtures/auth0Events.js";
import { type ActionModule, loadBuiltAction, queuePerTest } from "../helpers/actionBundle.js";

let action: ActionModule;
beforeAll(() => {
  action = loadBuiltAction();
});
const perTest = queuePerTest(() => action);
const secrets = () => ({ REDIS_URL: "redis://127.0.0.1:6379", QUEUE_NAME: perTest.name });

/** A value nested `depth` levels: `{"a":{"a":…"IGNORE"…}}` or `[[…"IGNORE"…]]`. */
function nested(depth: number, as: "object" | "array"): unknown {
  let value: unknown = "IGNORE";
  for (let level = 0; level < depth; level += 1) value = as === "object" ? { a: value } : [value];
  return value;
}

function printed(): Array<Record<string, unknown>> {
  return vi.mocked(console.log).mock.calls.map((call) => JSON.parse(String(call[0])));
}

describe("a user_type nested 4,100 levels deep (~8 KB of JSON)", () => {
  it.each(["object", "array"] as const)(
    "as %ss is queued, never thrown, as a short job the worker fails as invalid-directive",
    async (as) => {
      const message = makeUserEvent({ extra: { app_metadata: { user_type: nested(4_100, as) } } });

      await expect(action.onExecuteEventStream({ message, secrets: secrets() })).resolves.toBeUndefined();

      const job = parseJob((await perTest.queue.getJob(jobIdFor("event", message.id)))?.data);
      expect(job.directive.state).toBe("present");
      const raw = job.directive.state === "present" ? job.directive.raw : "";
      expect(raw.length).toBeLessThanOrEqual(256);
      expect(raw.startsWith(as === "object" ? '{"a":{"a":' : "[[[")).toBe(true);
      expect(() => parseDirective(raw)).toThrow(expect.objectContaining({ reason: "invalid-directive" }));
    },
  );

  it("anywhere else in the user or its previous_object changes nothing", async () => {
    const message = makeUserEvent({
      type: "user.updated",
      userType: "IGNORE",
      previous: { app_metadata: { user_type: nested(20_000, "array") } },
      extra: { user_metadata: nested(20_000, "object") },
    });

    await action.onExecuteEventStream({ message, secrets: secrets() });

    const job = parseJob((await perTest.queue.getJob(jobIdFor("event", message.id)))?.data);
    expect(job.directive).toEqual({ state: "present", raw: "IGNORE" });
  });
});

it("a delivery whose reading fails in a way nobody foresaw is acknowledged with the reason, not thrown", async () => {
  const message = makeUserEvent();
  Object.defineProperty(message.data, "object", {
    enumerable: true,
    get() {
      throw new Error("unreadable user");
    },
  });

  await expect(action.onExecuteEventStream({ message, secrets: secrets() })).resolves.toBeUndefined();

  expect(await perTest.queue.count()).toBe(0);
  expect(printed()).toEqual([
    expect.objectContaining({
      msg: "event acknowledged without a job",
      eventId: message.id,
      reason: "cannot be mapped to a job: unreadable user",
    }),
  ]);
});
