// Rules 4, 5, 6 and 8 through planSync + applyPlan on a memory SureCloud: creation, the profile,
// ACTIVE/INACTIVE status and deletion, judged by the user's final state and the writes made.
import { describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { auth0User, groupIds, ids, jobOf, makeSyncCore, seedLinked } from "./syncFixtures.js";

describe("create (rule 4)", () => {
  it("creates a missing user ACTIVE, linked, with Auth0's profile and the directive's groups", async () => {
    const core = makeSyncCore();
    const job = jobOf({
      ...auth0User("joan"),
      givenName: "Joan",
      familyName: "Joiner",
      userType: `${groups.breachReporter.id}, ${groups.readOnly.id}`,
    });
    await core.run(job);
    const user = core.directory.user({ externalId: job.user.userId });
    expect(user).toMatchObject({
      userName: "joan@acme.example",
      email: "joan@acme.example",
      givenName: "Joan",
      familyName: "Joiner",
      displayName: "Joan Joiner",
      status: "ACTIVE",
    });
    expect(groupIds(user)).toEqual(ids(groups.breachReporter, groups.readOnly));
    const ops = core.directory.writes.map((write) => write.op);
    expect(ops).toEqual(["createUser", "addMember", "addMember"]);
  });

  it("creates a blocked user INACTIVE with no groups, whatever the directive names", async () => {
    const core = makeSyncCore();
    const job = jobOf({ ...auth0User("blocked-joiner"), blocked: true, userType: groups.readOnly.id });
    await core.run(job);
    const user = core.directory.user({ externalId: job.user.userId });
    expect(user?.status).toBe("INACTIVE");
    expect(groupIds(user)).toEqual([]);
    expect(core.directory.writes.map((write) => write.op)).toEqual(["createUser"]);
  });

  it("creates a user with NONE without any membership write", async () => {
    const core = makeSyncCore();
    const job = jobOf({ ...auth0User("nobody"), userType: "NONE" });
    await core.run(job);
    expect(core.directory.user({ externalId: job.user.userId })).toMatchObject({
      status: "ACTIVE",
      groups: [],
    });
    expect(core.directory.writes.map((write) => write.op)).toEqual(["createUser"]);
  });

  it("refuses to create a user Auth0 gave no email (invalid-job) and writes nothing", async () => {
    const core = makeSyncCore();
    const job = jobOf({
      userId: "samlp|acme-entra|no-mail",
      extra: { email: undefined, preferred_username: undefined },
    });
    await expect(core.run(job)).rejects.toMatchObject({ reason: "invalid-job" });
    expect(core.directory.writes).toEqual([]);
  });
});

describe("profile (rule 5)", () => {
  it("takes every profile field from Auth0 where it differs, in one PATCH", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "ada", { givenName: "Old" });
    const changed = { userName: "ada.king@acme.example", email: "ada.king@acme.example" };
    await core.run(jobOf({ ...auth0User("ada"), ...changed, givenName: "Augusta", familyName: "King" }));
    expect(core.directory.user({ id: seeded.id })).toMatchObject({
      ...changed,
      givenName: "Augusta",
      familyName: "King",
      displayName: "Augusta King",
    });
    expect(core.directory.writes).toHaveLength(1);
  });

  it("keeps SureCloud's value where Auth0 has none", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "ada");
    const job = jobOf({
      ...auth0User("ada"),
      name: "Countess Lovelace",
      extra: { given_name: "", family_name: undefined },
    });
    await core.run(job);
    expect(core.directory.user({ id: seeded.id })).toMatchObject({
      givenName: "Ada",
      familyName: "Lovelace",
      displayName: "Countess Lovelace",
    });
    expect(core.directory.writes).toEqual([
      { op: "updateUser", userId: seeded.id, patch: { displayName: "Countess Lovelace" } },
    ]);
  });

  it("writes nothing when SureCloud already matches Auth0", async () => {
    const core = makeSyncCore();
    seedLinked(core.directory, "ada", { groupIds: [groups.readOnly.id] });
    await core.run(jobOf({ ...auth0User("ada"), userType: groups.readOnly.id }));
    expect(core.directory.writes).toEqual([]);
  });

  it.each([
    ["preferred_username", { preferred_username: "ada.pref", username: "ada.user" }, "ada.pref"],
    [
      "username when there is no preferred_username",
      { preferred_username: undefined, username: "ada.user" },
      "ada.user",
    ],
    ["email when there is neither", { preferred_username: undefined }, "ada.mail@acme.example"],
  ])("takes the userName from %s", async (_label, extra, expected) => {
    const core = makeSyncCore();
    const job = jobOf({ userId: "samlp|acme-entra|named", email: "ada.mail@acme.example", extra });
    await core.run(job);
    expect(core.directory.user({ externalId: job.user.userId })?.userName).toBe(expected);
  });
});

describe("status (rule 6)", () => {
  it("a blocked user becomes INACTIVE with its groups exactly as stored; the directive is not applied", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "leaver", {
      groupIds: [groups.readOnly.id, groups.outside.id],
    });
    await core.run(jobOf({ ...auth0User("leaver"), blocked: true, userType: "NONE" }));
    const user = core.directory.user({ id: seeded.id });
    expect(user?.status).toBe("INACTIVE");
    expect(groupIds(user)).toEqual(ids(groups.readOnly, groups.outside));
    expect(core.directory.writes).toEqual([
      { op: "updateUser", userId: seeded.id, patch: { status: "INACTIVE" } },
    ]);
  });

  it("a blocked user is deactivated even when its directive could not be read", async () => {
    // The directive is not applied to a blocked user, so it is not validated either: access is
    // withdrawn rather than held up by a typo in Entra.
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "leaver", { groupIds: [groups.readOnly.id] });
    await core.run(jobOf({ ...auth0User("leaver"), blocked: true, userType: "Read Only" }));
    expect(core.directory.user({ id: seeded.id })).toMatchObject({
      status: "INACTIVE",
      groups: [groups.readOnly],
    });
  });

  it("a blocked user already INACTIVE is left alone", async () => {
    const core = makeSyncCore();
    seedLinked(core.directory, "leaver", { status: "INACTIVE", groupIds: [groups.readOnly.id] });
    await core.run(jobOf({ ...auth0User("leaver"), blocked: true, userType: groups.riskManager.id }));
    expect(core.directory.writes).toEqual([]);
  });

  it("an unblocked INACTIVE user is reactivated, then the directive applies, adding before removing", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "returner", {
      status: "INACTIVE",
      groupIds: [groups.readOnly.id],
    });
    await core.run(jobOf({ ...auth0User("returner"), blocked: false, userType: groups.riskManager.id }));
    const user = core.directory.user({ id: seeded.id });
    expect(user?.status).toBe("ACTIVE");
    expect(groupIds(user)).toEqual(ids(groups.riskManager));
    expect(core.directory.writes).toEqual([
      { op: "updateUser", userId: seeded.id, patch: { status: "ACTIVE" } },
      { op: "addMember", groupId: groups.riskManager.id, userId: seeded.id },
      { op: "removeMember", groupId: groups.readOnly.id, userId: seeded.id },
    ]);
  });

  it("a reactivated user with IGNORE keeps its groups", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "returner", {
      status: "INACTIVE",
      groupIds: [groups.vulnAdmin.id],
    });
    await core.run(jobOf({ ...auth0User("returner"), userType: "ignore" }));
    expect(core.directory.user({ id: seeded.id })).toMatchObject({
      status: "ACTIVE",
      groups: [groups.vulnAdmin],
    });
  });
});

describe("delete (rule 8)", () => {
  it("makes the linked user INACTIVE and keeps its groups, whatever the directive says", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "gone", { groupIds: [groups.vulnAdmin.id, groups.outside.id] });
    const result = await core.run(jobOf({ ...auth0User("gone"), type: "user.deleted", userType: "NONE" }));
    expect(result.kind).toBe("plan");
    const user = core.directory.user({ id: seeded.id });
    expect(user?.status).toBe("INACTIVE");
    expect(groupIds(user)).toEqual(ids(groups.vulnAdmin, groups.outside));
    expect(core.directory.writes).toEqual([
      { op: "updateUser", userId: seeded.id, patch: { status: "INACTIVE" } },
    ]);
  });

  it("writes nothing for a linked user already INACTIVE", async () => {
    const core = makeSyncCore();
    seedLinked(core.directory, "gone", { status: "INACTIVE" });
    await core.run(jobOf({ ...auth0User("gone"), type: "user.deleted" }));
    expect(core.directory.writes).toEqual([]);
  });

  it("skips a user never linked (not-linked) and creates nothing", async () => {
    const core = makeSyncCore();
    const result = await core.run(jobOf({ ...auth0User("never-synced"), type: "user.deleted" }));
    expect(result).toEqual({ kind: "skip", reason: "not-linked" });
    expect(core.directory.users()).toEqual([]);
    expect(core.directory.writes).toEqual([]);
  });

  it("skips, and leaves alone, an unlinked account that only matches by userName and email", async () => {
    const core = makeSyncCore();
    const local = core.directory.seedUser({ userName: "local@acme.example", email: "local@acme.example" });
    const result = await core.run(jobOf({ ...auth0User("local"), type: "user.deleted" }));
    expect(result).toEqual({ kind: "skip", reason: "not-linked" });
    expect(core.directory.users()).toEqual([local]);
    expect(core.directory.writes).toEqual([]);
  });
});
