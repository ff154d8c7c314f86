// What every fault test shares: worker settings short enough for a test, a batch of users each
// granted one group, and the end check — every user correct in SureCloud, every job completed,
// nothing applied twice.
import { Queue } from "bullmq";
import { expect } from "vitest";
import { groups } from "../../dev/catalogue.js";
import { REDIS_URL } from "../../dev/localStack.js";
import { jobIdFor } from "../../shared/job.js";
import type { Auth0UserCloudEvent } from "../fixtures/auth0Events.js";
import { makeUserEvent } from "../fixtures/auth0Events.js";
import type { Pipeline } from "../helpers/pipeline.js";

/**
 * A dead worker's jobs are taken again within about 3 s, and retries start at 50 ms; production
 * defaults are 30 s, 30 s and 2 s.
 */
export const fastWorkerEnv = {
  WORKER_LOCK_DURATION_MS: "2000",
  WORKER_STALLED_INTERVAL_MS: "1000",
  RETRY_BASE_DELAY_MS: "50",
  WORKER_CONCURRENCY: "4",
};

const choices = [groups.breachReporter, groups.readOnly, groups.riskManager, groups.vulnAdmin];

export interface BatchUser {
  userId: string;
  email: string;
  groupId: string;
  event: Auth0UserCloudEvent;
}

/** `count` new users of tenant acme, each created with one group from the catalogue. */
export function makeBatch(label: string, count: number, connection = "acme-entra"): BatchUser[] {
  return Array.from({ length: count }, (_, index) => {
    const userId = `samlp|${connection}|${label}-${index}`;
    const email = `${label}-${index}@${connection}.example`;
    const groupId = (choices[index % choices.length] ?? groups.readOnly).id;
    const event = makeUserEvent({ type: "user.created", userId, email, connection, userType: groupId });
    return { userId, email, groupId, event };
  });
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Resolves once the worker has ended at least one attempt of the event's job (BullMQ counts it only
 * after the processor returned or threw), so whatever the worker does on a failure has been done.
 */
export async function waitForEndedAttempt(
  stack: Pipeline,
  eventId: string,
  timeoutMs = 20_000,
  redisUrl = REDIS_URL,
): Promise<void> {
  const queue = new Queue(stack.queueName, { connection: { url: redisUrl } });
  try {
    const deadline = Date.now() + timeoutMs;
    while (((await queue.getJob(jobIdFor("event", eventId)))?.attemptsMade ?? 0) < 1) {
      if (Date.now() > deadline)
        throw new Error(`no attempt of the job for ${eventId} ended in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await queue.close();
  }
}

/**
 * The outcome an operator needs after any fault: each job completed, each user exactly once in
 * SureCloud with exactly its group, created by one request and granted its group by one request.
 */
export async function expectAllSynced(
  stack: Pipeline,
  users: BatchUser[],
  tenant = "acme",
  timeoutMs = 20_000,
): Promise<void> {
  const results = await Promise.all(users.map((user) => stack.result(user.event.id, timeoutMs)));
  expect(results.filter((result) => result.state !== "completed")).toEqual([]);

  const state = stack.emulator.state(tenant);
  for (const user of users) {
    const matches = state.users.filter((stored) => stored.externalId === user.userId);
    expect(matches, user.userId).toHaveLength(1);
    expect(matches[0]?.status).toBe("ACTIVE");
    expect(matches[0]?.groups.map((group) => group.id)).toEqual([user.groupId]);
  }
  // A request the emulator answered with an injected fault changed nothing, so only served ones count.
  const served = (operation: "createUser" | "addMember") =>
    stack.emulator
      .requests({ tenant, operation })
      .filter((request) => request.fault === null && request.status < 300);
  expect(served("createUser")).toHaveLength(users.length);
  expect(stack.emulator.requests({ tenant, operation: "createUser" }).map((r) => r.status)).not.toContain(
    409,
  );
  const grants = served("addMember").map((request) => request.path);
  expect(new Set(grants).size).toBe(grants.length);
  expect(grants).toHaveLength(users.length);
}
