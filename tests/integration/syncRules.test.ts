// Every row of the sync rules and the directive table, end to end: an Auth0 event through the built
// Action, the queue on real Redis, the worker process, and the SureCloud emulator's end state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groups } from "../../dev/catalogue.js";
import { makeUserEvent, newEventId, type UserEventOptions } from "../fixtures/auth0Events.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline?.stop();
});
beforeEach(() => {
  pipeline.emulator.reset();
});

let clock = Date.parse("2026-11-01T09:00:00.000Z");
/** Strictly increasing event times, so ordering never depends on the wall clock. */
function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

async function deliver(options: UserEventOptions) {
  const time = options.time ?? nextTime();
  const message = makeUserEvent({ id: newEventId(), time, updatedAt: time, ...options });
  await pipeline.send(message);
  return pipeline.result(message.id);
}

function stateOf(tenant = "acme") {
  return pipeline.emulator.state(tenant);
}

function userBy(externalId: string, tenant = "acme") {
  return stateOf(tenant).users.find((user) => user.externalId === externalId);
}

function groupIdsOf(externalId: string, tenant = "acme"): string[] {
  return (userBy(externalId, tenant)?.groups ?? []).map((group) => group.id).sort();
}

const ids = (...list: Array<{ id: string }>) => list.map((group) => group.id).sort();
const writes = (tenant = "acme") => pipeline.emulator.requests({ tenant, write: true });

function seed(tenant: string, user: Parameters<ReturnType<Pipeline["emulator"]["store"]>["seedUser"]>[0]) {
  return pipeline.emulator.store(tenant).seedUser(user);
}

describe("create and match (rules 3-5)", () => {
  it("creates a joiner with the groups of the directive", async () => {
    const userId = "samlp|acme-entra|joiner-1";
    const result = await deliver({
      userId,
      email: "joan.joiner@acme.example",
      givenName: "Joan",
      familyName: "Joiner",
      userType: `${groups.breachReporter.id}, ${groups.readOnly.id}`,
    });
    expect(result.state).toBe("completed");
    expect(result.outcome).toMatchObject({ outcome: "applied", created: true });
    const user = userBy(userId);
    expect(user).toMatchObject({
      userName: "joan.joiner@acme.example",
      email: "joan.joiner@acme.example",
      givenName: "Joan",
      familyName: "Joiner",
      displayName: "Joan Joiner",
      status: "ACTIVE",
    });
    expect(groupIdsOf(userId)).toEqual(ids(groups.breachReporter, groups.readOnly));
  });

  it("links an existing SureCloud user found by userName, without creating another", async () => {
    seed("acme", {
      userName: "sam.local@acme.example",
      email: "old@acme.example",
      groupIds: [groups.riskManager.id],
    });
    const userId = "samlp|acme-entra|sam";
    const result = await deliver({
      userId,
      userName: "SAM.LOCAL@acme.example",
      email: "sam@acme.example",
      userType: groups.readOnly.id,
    });
    expect(result.outcome).toMatchObject({ outcome: "applied", created: false });
    expect(stateOf().users).toHaveLength(1);
    expect(userBy(userId)).toMatchObject({ userName: "SAM.LOCAL@acme.example", email: "sam@acme.example" });
    expect(groupIdsOf(userId)).toEqual(ids(groups.readOnly));
  });

  it("links an existing SureCloud user found by email and takes Auth0's userName", async () => {
    seed("acme", { userName: "e.mail", email: "eve.mail@acme.example" });
    const userId = "samlp|acme-entra|eve";
    await deliver({
      userId,
      userName: "eve.m@acme.example",
      email: "Eve.Mail@acme.example",
      userType: "IGNORE",
    });
    expect(stateOf().users).toHaveLength(1);
    expect(userBy(userId)).toMatchObject({ userName: "eve.m@acme.example", email: "Eve.Mail@acme.example" });
  });

  it("fails with conflict, writing nothing, when the match is linked to another Auth0 user", async () => {
    seed("acme", {
      userName: "carl@acme.example",
      email: "carl@acme.example",
      externalId: "samlp|acme-entra|someone-else",
      groupIds: [groups.readOnly.id],
    });
    pipeline.emulator.resetLog();
    const result = await deliver({
      userId: "samlp|acme-entra|carl",
      email: "carl@acme.example",
      userType: groups.vulnAdmin.id,
    });
    expect(result.state).toBe("failed");
    expect(result.failedReason).toMatch(/^conflict: /);
    // A new user's job tries the create first; SureCloud refuses it (409) and nothing is written.
    expect(writes().filter((request) => request.status < 300)).toEqual([]);
    expect(writes().map((request) => [request.operation, request.status])).toEqual([["createUser", 409]]);
    expect(stateOf().users[0]).toMatchObject({ externalId: "samlp|acme-entra|someone-else" });
    expect(stateOf().users[0]?.groups.map((group) => group.id)).toEqual([groups.readOnly.id]);
  });
});

describe("the directive (rule 7)", () => {
  async function seedLinked(userId: string, groupIds: string[]) {
    seed("acme", {
      userName: `${userId}@acme.example`,
      email: `${userId}@acme.example`,
      externalId: userId,
      groupIds,
    });
  }
  const named = (userId: string) => ({
    userId,
    userName: `${userId}@acme.example`,
    email: `${userId}@acme.example`,
  });

  it("overwrites: adds the missing groups and removes every other, even one outside the catalogue", async () => {
    await seedLinked("mover", [groups.outside.id, groups.readOnly.id]);
    const result = await deliver({
      ...named("mover"),
      userType: ` ${groups.riskManager.id.toUpperCase()} ,${groups.readOnly.id},${groups.riskManager.id}`,
    });
    expect(result.outcome).toMatchObject({ outcome: "applied" });
    expect(groupIdsOf("mover")).toEqual(ids(groups.riskManager, groups.readOnly));
  });

  it("adds before it removes, so a swap never leaves the user without access", async () => {
    await seedLinked("swapper", [groups.readOnly.id]);
    pipeline.emulator.resetLog();
    await deliver({ ...named("swapper"), userType: groups.riskManager.id });
    const membershipWrites = writes().filter(
      (request) => request.operation === "addMember" || request.operation === "removeMember",
    );
    expect(membershipWrites.map((request) => request.operation)).toEqual(["addMember", "removeMember"]);
  });

  it.each([[""], ["   "], ["NONE"], ["none"]])("clears every group for %j", async (value) => {
    const userId = `cleared-${value.trim() || "empty"}`;
    await seedLinked(userId, [groups.readOnly.id, groups.outside.id]);
    await deliver({ ...named(userId), userType: value });
    expect(groupIdsOf(userId)).toEqual([]);
    expect(userBy(userId)?.status).toBe("ACTIVE");
  });

  it("IGNORE leaves memberships as they are but still keeps the profile current", async () => {
    await seedLinked("service", [groups.vulnAdmin.id, groups.outside.id]);
    await deliver({ ...named("service"), userType: " ignore ", givenName: "Service", familyName: "Account" });
    expect(groupIdsOf("service")).toEqual(ids(groups.vulnAdmin, groups.outside));
    expect(userBy("service")?.givenName).toBe("Service");
  });

  it("absent and never seen: the tenant's missingDirective policy (acme: ignore, beta: clear)", async () => {
    seed("acme", {
      userName: "a@acme.example",
      email: "a@acme.example",
      externalId: "absent-a",
      groupIds: [groups.readOnly.id],
    });
    seed("beta", {
      userName: "b@beta.example",
      email: "b@beta.example",
      externalId: "absent-b",
      groupIds: [groups.readOnly.id],
    });
    await deliver({ userId: "absent-a", userName: "a@acme.example", email: "a@acme.example" });
    await deliver({
      userId: "absent-b",
      userName: "b@beta.example",
      email: "b@beta.example",
      connection: "beta-entra",
    });
    expect(groupIdsOf("absent-a")).toEqual(ids(groups.readOnly));
    expect(groupIdsOf("absent-b", "beta")).toEqual([]);
  });

  it("absent now but present in previous_object: Entra cleared it, so every group goes", async () => {
    await seedLinked("wiped", [groups.readOnly.id, groups.riskManager.id]);
    await deliver({
      ...named("wiped"),
      type: "user.updated",
      previous: { app_metadata: { user_type: groups.readOnly.id } },
    });
    expect(groupIdsOf("wiped")).toEqual([]);
  });

  it("skips empty entries between commas, as an Entra expression joining conditional parts leaves them", async () => {
    await seedLinked("joined", [groups.readOnly.id, groups.outside.id]);
    await deliver({ ...named("joined"), userType: `${groups.riskManager.id},,${groups.readOnly.id},` });
    expect(groupIdsOf("joined")).toEqual(ids(groups.riskManager, groups.readOnly));
  });

  it.each([
    ["a group name", "Read Only"],
    ["a lone comma", ","],
    ["commas and spaces with no UUID", " , "],
    ["a bad token among good ones", `${groups.readOnly.id},not-a-uuid`],
    ["a no-break space", "\u00a0"],
    ["a byte-order mark before IGNORE", "\ufeffIGNORE"],
  ])("an invalid directive (%s) fails with invalid-directive and writes nothing", async (_label, value) => {
    await seedLinked("typo", [groups.readOnly.id]);
    pipeline.emulator.resetLog();
    const result = await deliver({ ...named("typo"), userType: value, givenName: "Changed" });
    expect(result.state).toBe("failed");
    expect(result.failedReason).toMatch(/^invalid-directive: /);
    expect(writes()).toEqual([]);
    expect(userBy("typo")?.givenName).toBeNull();
  });

  it.each([
    ["not in the catalogue", groups.outside.id],
    ["in the catalogue but gone from SureCloud", groups.retired.id],
  ])("a group %s fails with unknown-group and writes nothing", async (_label, unknown) => {
    await seedLinked("unknown", [groups.readOnly.id]);
    pipeline.emulator.resetLog();
    const result = await deliver({ ...named("unknown"), userType: `${groups.riskManager.id},${unknown}` });
    expect(result.state).toBe("failed");
    expect(result.failedReason).toMatch(/^unknown-group: /);
    expect(result.failedReason).toContain(unknown);
    expect(writes()).toEqual([]);
    expect(groupIdsOf("unknown")).toEqual(ids(groups.readOnly));
  });

  it("a joiner with an invalid directive is not created at all", async () => {
    pipeline.emulator.resetLog();
    const result = await deliver({ userId: "never-created", userType: "Risk | Manager" });
    expect(result.failedReason).toMatch(/^invalid-directive: /);
    expect(stateOf().users).toEqual([]);
    expect(writes()).toEqual([]);
  });
});

describe("status (rules 6 and 8)", () => {
  it("a blocked user becomes INACTIVE and keeps its groups, whatever the directive says", async () => {
    seed("acme", {
      userName: "leaver@acme.example",
      email: "leaver@acme.example",
      externalId: "leaver",
      groupIds: [groups.readOnly.id, groups.outside.id],
    });
    await deliver({
      userId: "leaver",
      userName: "leaver@acme.example",
      email: "leaver@acme.example",
      blocked: true,
      userType: "NONE",
    });
    expect(userBy("leaver")?.status).toBe("INACTIVE");
    expect(groupIdsOf("leaver")).toEqual(ids(groups.readOnly, groups.outside));
  });

  it("a blocked joiner is created INACTIVE with no groups", async () => {
    await deliver({ userId: "blocked-joiner", blocked: true, userType: groups.readOnly.id });
    expect(userBy("blocked-joiner")?.status).toBe("INACTIVE");
    expect(groupIdsOf("blocked-joiner")).toEqual([]);
  });

  it("an unblocked user becomes ACTIVE again and the directive applies", async () => {
    seed("acme", {
      userName: "back@acme.example",
      email: "back@acme.example",
      externalId: "returner",
      status: "INACTIVE",
      groupIds: [groups.readOnly.id],
    });
    await deliver({
      userId: "returner",
      userName: "back@acme.example",
      email: "back@acme.example",
      blocked: false,
      userType: groups.riskManager.id,
    });
    expect(userBy("returner")?.status).toBe("ACTIVE");
    expect(groupIdsOf("returner")).toEqual(ids(groups.riskManager));
  });

  it("a deleted Auth0 user leaves its SureCloud user INACTIVE with groups kept", async () => {
    seed("acme", {
      userName: "gone@acme.example",
      email: "gone@acme.example",
      externalId: "deleted-user",
      groupIds: [groups.vulnAdmin.id],
    });
    const result = await deliver({
      type: "user.deleted",
      userId: "deleted-user",
      userName: "gone@acme.example",
      email: "gone@acme.example",
    });
    expect(result.outcome).toMatchObject({ outcome: "applied", status: { from: "ACTIVE", to: "INACTIVE" } });
    expect(userBy("deleted-user")?.status).toBe("INACTIVE");
    expect(groupIdsOf("deleted-user")).toEqual(ids(groups.vulnAdmin));
  });

  it("a deleted Auth0 user never linked to SureCloud is skipped without a write", async () => {
    pipeline.emulator.resetLog();
    const result = await deliver({ type: "user.deleted", userId: "never-synced" });
    expect(result.outcome).toMatchObject({ outcome: "skipped", reason: "not-linked" });
    expect(writes()).toEqual([]);
  });
});

describe("routing and ordering (rules 1-2)", () => {
  it("skips a user of an unknown connection without calling SureCloud", async () => {
    pipeline.emulator.resetLog();
    const result = await deliver({ connection: "someone-elses-entra", userType: groups.readOnly.id });
    expect(result.outcome).toMatchObject({ outcome: "skipped", reason: "unknown-connection" });
    expect(pipeline.emulator.requests()).toEqual([]);
  });

  it("the same event delivered three times is applied once", async () => {
    const time = nextTime();
    const message = makeUserEvent({ userId: "thrice", time, updatedAt: time, userType: groups.readOnly.id });
    for (let i = 0; i < 3; i += 1) await pipeline.send(message);
    const result = await pipeline.result(message.id);
    expect(result.outcome).toMatchObject({ outcome: "applied", created: true });
    expect(pipeline.emulator.requests({ operation: "createUser" })).toHaveLength(1);
    expect(pipeline.emulator.requests({ operation: "addMember" })).toHaveLength(1);
    expect(stateOf().users).toHaveLength(1);
  });

  it("events for one user delivered newest first end in the newest state", async () => {
    const userId = "reordered";
    const versions = [groups.breachReporter, groups.readOnly, groups.riskManager].map((group, index) => {
      const time = nextTime();
      return makeUserEvent({
        type: index === 0 ? "user.created" : "user.updated",
        userId,
        time,
        updatedAt: time,
        userType: group.id,
        givenName: `V${index}`,
      });
    });
    const outcomes = [];
    for (const message of [...versions].reverse()) {
      await pipeline.send(message);
      outcomes.push((await pipeline.result(message.id)).outcome);
    }
    expect(outcomes.map((outcome) => outcome?.outcome)).toEqual(["applied", "skipped", "skipped"]);
    expect(outcomes.slice(1).map((outcome) => outcome?.outcome === "skipped" && outcome.reason)).toEqual([
      "stale",
      "stale",
    ]);
    expect(groupIdsOf(userId)).toEqual(ids(groups.riskManager));
    expect(userBy(userId)?.givenName).toBe("V2");
  });

  it("a redelivery of an older update after a deletion does not reactivate the user", async () => {
    const userId = "deleted-then-replayed";
    const created = nextTime();
    const update = makeUserEvent({
      type: "user.updated",
      userId,
      time: created,
      updatedAt: created,
      userType: groups.readOnly.id,
    });
    await pipeline.send(update);
    await pipeline.result(update.id);
    const deletion = makeUserEvent({ type: "user.deleted", userId, time: nextTime(), updatedAt: created });
    await pipeline.send(deletion);
    await pipeline.result(deletion.id);
    const replay = { ...update, id: newEventId() };
    await pipeline.send(replay);
    const result = await pipeline.result(replay.id);
    expect(result.outcome).toMatchObject({ outcome: "skipped", reason: "stale" });
    expect(userBy(userId)?.status).toBe("INACTIVE");
  });
});

describe("a deletion that overtakes the creation", () => {
  it("an older creation delivered after the deletion of a never-synced user creates nothing", async () => {
    const userId = "created-after-deleted";
    const created = nextTime();
    const creation = makeUserEvent({
      userId,
      time: created,
      updatedAt: created,
      userType: groups.readOnly.id,
    });
    const deletion = makeUserEvent({ type: "user.deleted", userId, time: nextTime(), updatedAt: created });
    await pipeline.send(deletion);
    expect((await pipeline.result(deletion.id)).outcome).toMatchObject({
      outcome: "skipped",
      reason: "not-linked",
    });
    await pipeline.send(creation);
    expect((await pipeline.result(creation.id)).outcome).toMatchObject({
      outcome: "skipped",
      reason: "stale",
    });
    expect(userBy(userId)).toBeUndefined();
  });
});
