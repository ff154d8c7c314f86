// SureCloud calls and rounds per job through the real pipeline (the built Action, a worker process,
// the emulator), read from the emulator's request log: a new joiner creates first, an unchanged user
// reads its remembered SureCloud user and groups at once, and a remembered id that went stale falls
// back to the look-ups of rule 3 and still ends right.
//
// A round is a set of requests whose time spans overlap in the log (roundsOf): the requests a job
// sends together. With latency L on every request, requests sent one after another are L apart, so
// rounds separate clearly; no assertion reads an absolute duration.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groups } from "../../dev/catalogue.js";
import { type LoggedRequest, roundsOf } from "../../dev/surecloud-emulator/requestLog.js";
import { makeUserEvent, newEventId, type UserEventOptions } from "../fixtures/auth0Events.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";

const LATENCY_MS = 150;
const { readOnly, riskManager } = groups;
const twoGroups = `${readOnly.id},${riskManager.id}`;

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
  pipeline.emulator.setFaults({ latencyMs: LATENCY_MS });
  // The worker caches SureCloud's group listing for 60 s: a first job lists the groups, so the jobs
  // measured below (all within the minute) count only their own calls, as a busy worker's jobs do.
  const warmUp = await deliver({ ...person("warm-up"), userType: twoGroups });
  expect(warmUp.state).toBe("completed");
  expect(requests().map((request) => request.operation)).toContain("listGroups");
});
afterAll(async () => {
  if (!pipeline) return;
  // Also deletes the worker's versions, locks and audit trail beside the queue.
  await pipeline.stop();
});
beforeEach(() => {
  pipeline.emulator.resetLog();
});

/** An Auth0 user of the acme connection; its email (and so its userName) is its own. */
const person = (name: string) => ({ userId: `samlp|acme-entra|${name}`, email: `${name}@acme.example` });

let clock = Date.parse("2026-11-03T09:00:00.000Z");
/** Strictly increasing event times, so ordering never depends on the wall clock. */
function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

async function deliver(options: UserEventOptions) {
  const time = nextTime();
  const message = makeUserEvent({ id: newEventId(), time, updatedAt: time, ...options });
  await pipeline.send(message);
  return pipeline.result(message.id);
}

const requests = (): LoggedRequest[] => pipeline.emulator.requests({ tenant: "acme" });

/** The log since the last reset as rounds of operations, each round sorted: what a job's calls cost. */
function rounds(): string[][] {
  return roundsOf(requests()).map((round) => round.map((request) => String(request.operation)).sort());
}

/** One line per request, for a failure message: round, operation, status, query. */
function logLines(): string {
  return roundsOf(requests())
    .flatMap((round, index) =>
      round.map(
        (request) =>
          `round ${index + 1}: ${request.method} ${request.path}?${request.query} ${request.status}`,
      ),
    )
    .join("\n");
}

/** The look-ups (findUsers) in a log, as [key, value], in the order they were made. */
function lookedUp(log: LoggedRequest[]): string[][] {
  return log
    .filter((request) => request.operation === "findUsers")
    .flatMap((request) => [...new URLSearchParams(request.query).entries()]);
}

/** The job's read of the SureCloud user it remembered. */
const remembered = (sureCloudId: string) =>
  requests().find(
    (request) => request.operation === "getUser" && request.path.endsWith(`/users/${sureCloudId}`),
  );

function userBy(externalId: string) {
  return pipeline.emulator.state("acme").users.find((user) => user.externalId === externalId);
}

const groupIdsOf = (externalId: string) => (userBy(externalId)?.groups ?? []).map((group) => group.id).sort();
const ids = (...list: Array<{ id: string }>) => list.map((group) => group.id).sort();

/** A joiner created with these groups, then the log cleared; returns its SureCloud id (remembered). */
async function joined(user: ReturnType<typeof person>, userType: string): Promise<string> {
  const result = await deliver({ ...user, userType });
  expect(result.outcome).toMatchObject({ outcome: "applied", created: true });
  pipeline.emulator.resetLog();
  return userBy(user.userId)?.id as string;
}

describe("calls and rounds per job, from the emulator's request log", () => {
  it("a new joiner with two groups: 3 calls in 2 rounds (createUser, then both addMember)", async () => {
    const joiner = person("joiner");
    const result = await deliver({ ...joiner, userType: twoGroups });
    expect(result.outcome).toMatchObject({ outcome: "applied", created: true });
    expect(rounds(), logLines()).toEqual([["createUser"], ["addMember", "addMember"]]);
    expect(groupIdsOf(joiner.userId)).toEqual(ids(readOnly, riskManager));
  });

  it("an unchanged user: 2 calls in 1 round (getUser and listUserGroups of the remembered id)", async () => {
    const stayer = person("stayer");
    const sureCloudId = await joined(stayer, twoGroups);
    const result = await deliver({ ...stayer, type: "user.updated", userType: twoGroups });
    expect(result.outcome).toMatchObject({ outcome: "applied", created: false, fields: [] });
    expect(rounds(), logLines()).toEqual([["getUser", "listUserGroups"]]);
    expect(requests().every((request) => request.path.includes(`/users/${sureCloudId}`))).toBe(true);
    expect(groupIdsOf(stayer.userId)).toEqual(ids(readOnly, riskManager));
  });

  it("a remembered user deleted from SureCloud: the look-ups find the account made by hand and link it", async () => {
    const returner = person("returner");
    const first = await joined(returner, readOnly.id);
    // The emulator's reset removes every user (the admin surface has no single-user delete); an
    // administrator then re-creates the account by hand, not linked to Auth0.
    pipeline.emulator.reset();
    pipeline.emulator.setFaults({ latencyMs: LATENCY_MS });
    const byHand = pipeline.emulator.store("acme").seedUser({
      userName: returner.email,
      email: "returner@elsewhere.example",
      groupIds: [readOnly.id],
    });

    const result = await deliver({ ...returner, type: "user.updated", userType: riskManager.id });
    expect(result.outcome, logLines()).toMatchObject({ outcome: "applied", sureCloudUserId: byHand.id });
    expect(rounds()[0], logLines()).toEqual(["getUser", "listUserGroups"]);
    expect(remembered(first), logLines()).toMatchObject({ status: 404 });
    expect(lookedUp(requests()), logLines()).toContainEqual(["externalId", returner.userId]);
    expect(pipeline.emulator.state("acme").users).toHaveLength(1);
    expect(userBy(returner.userId)).toMatchObject({ id: byHand.id, email: returner.email });
    expect(groupIdsOf(returner.userId)).toEqual(ids(riskManager));
  });

  it("a remembered user relinked to another Auth0 user: the look-ups decide, that account is untouched", async () => {
    const mover = person("mover");
    const colleague = person("colleague");
    const first = await joined(mover, readOnly.id);
    // An administrator hands the account to a colleague by hand (the store, not the API: not logged).
    pipeline.emulator
      .store("acme")
      .updateUser(first, { externalId: colleague.userId, userName: colleague.email, email: colleague.email });

    const result = await deliver({ ...mover, type: "user.updated", userType: riskManager.id });
    expect(result.outcome, logLines()).toMatchObject({ outcome: "applied", created: true });
    expect(rounds()[0], logLines()).toEqual(["getUser", "listUserGroups"]);
    expect(remembered(first), logLines()).toMatchObject({ status: 200 });
    expect(lookedUp(requests()), logLines()).toContainEqual(["externalId", mover.userId]);
    expect(requests().filter((request) => request.write && request.path.includes(first))).toEqual([]);
    expect(userBy(mover.userId)?.id).not.toBe(first);
    expect(groupIdsOf(mover.userId)).toEqual(ids(riskManager));
    expect(userBy(colleague.userId)).toMatchObject({ id: first, userName: colleague.email });
    expect(groupIdsOf(colleague.userId)).toEqual(ids(readOnly));
  });
});
