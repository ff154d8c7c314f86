// Rule 3, matching: externalId, then userName, then email; an unlinked match is linked, a match
// linked to another Auth0 user is a conflict that changes nothing.
import { describe, expect, it, vi } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { PermanentError } from "../../../shared/errors.js";
import { matchUser } from "../../../worker/sync/match.js";
import { makeMemoryDirectory } from "../../helpers/memoryDirectory.js";
import { groupIds, ids, jobOf, makeSyncCore } from "./syncFixtures.js";

const AUTH0_ID = "samlp|acme-entra|ada";
const ada = { userId: AUTH0_ID, userName: "ada@acme.example", email: "ada.lovelace@acme.example" };

describe("matchUser", () => {
  it("prefers externalId over userName and email", async () => {
    const directory = makeMemoryDirectory();
    directory.seedUser({ userName: ada.userName, email: "other@acme.example" });
    directory.seedUser({ userName: "someone", email: ada.email });
    const linked = directory.seedUser({
      externalId: AUTH0_ID,
      userName: "old-name",
      email: "old@acme.example",
    });
    const matched = await matchUser(jobOf(ada).user, directory);
    expect(matched).toMatchObject({ by: "externalId", user: { id: linked.id }, auth0UserId: AUTH0_ID });
  });

  it("prefers userName over email", async () => {
    const directory = makeMemoryDirectory();
    directory.seedUser({ userName: "someone", email: ada.email });
    const byName = directory.seedUser({ userName: ada.userName, email: "other@acme.example" });
    const matched = await matchUser(jobOf(ada).user, directory);
    expect(matched).toMatchObject({ by: "userName", user: { id: byName.id } });
  });

  it("falls back to email, whatever its letter case", async () => {
    const directory = makeMemoryDirectory();
    const byEmail = directory.seedUser({ userName: "a.lovelace", email: "ADA.Lovelace@ACME.example" });
    const matched = await matchUser(jobOf(ada).user, directory);
    expect(matched).toMatchObject({ by: "email", user: { id: byEmail.id } });
  });

  it("finds a userName whatever its letter case", async () => {
    const directory = makeMemoryDirectory();
    const user = directory.seedUser({ userName: "ADA@Acme.Example", email: "x@acme.example" });
    await expect(matchUser(jobOf(ada).user, directory)).resolves.toMatchObject({
      by: "userName",
      user: { id: user.id },
    });
  });

  it("compares externalId exactly: another letter case is another Auth0 user", async () => {
    const directory = makeMemoryDirectory();
    directory.seedUser({ externalId: AUTH0_ID.toUpperCase(), userName: ada.userName, email: ada.email });
    const failure = matchUser(jobOf(ada).user, directory);
    await expect(failure).rejects.toMatchObject({ name: "PermanentError", reason: "conflict" });
  });

  it("answers undefined when nothing matches", async () => {
    const directory = makeMemoryDirectory();
    directory.seedUser({ userName: "bob", email: "bob@acme.example" });
    await expect(matchUser(jobOf(ada).user, directory)).resolves.toBeUndefined();
  });

  it("fails with conflict naming the user, the key and the value when the match is linked elsewhere", async () => {
    const directory = makeMemoryDirectory();
    const taken = directory.seedUser({
      externalId: "samlp|acme-entra|other",
      userName: ada.userName,
      email: "x@y",
    });
    const error = await matchUser(jobOf(ada).user, directory).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ reason: "conflict", retryable: false });
    const message = (error as Error).message;
    expect(message).toContain(taken.id);
    expect(message).toContain("userName");
    expect(message).toContain(ada.userName);
    expect(message).toContain("samlp|acme-entra|other");
  });

  it("lets precedence decide: a userName match wins over an email match linked elsewhere", async () => {
    const directory = makeMemoryDirectory();
    directory.seedUser({ externalId: "samlp|acme-entra|other", userName: "other", email: ada.email });
    const byName = directory.seedUser({ userName: ada.userName, email: "free@acme.example" });
    await expect(matchUser(jobOf(ada).user, directory)).resolves.toMatchObject({
      by: "userName",
      user: { id: byName.id },
    });
  });

  it("looks an email up only once when it equals the userName in another case", async () => {
    const directory = makeMemoryDirectory();
    const findUser = vi.spyOn(directory, "findUser");
    const user = { ...ada, userName: "Ada@Acme.Example", email: "ada@acme.example" };
    await matchUser(jobOf(user).user, directory);
    expect(findUser.mock.calls.map(([lookup]) => Object.keys(lookup)[0])).toEqual(["externalId", "userName"]);
  });
});

describe("linking and conflicts through plan and apply (rule 3)", () => {
  it("links an unlinked account found by userName, keeps its id and creates no other user", async () => {
    const core = makeSyncCore();
    const seeded = core.directory.seedUser({ userName: ada.userName, email: "old@acme.example" });
    await core.run(jobOf({ ...ada, userType: "IGNORE" }));
    expect(core.directory.users()).toHaveLength(1);
    expect(core.directory.user({ id: seeded.id })).toMatchObject({ externalId: AUTH0_ID, email: ada.email });
    expect(core.directory.writes).toEqual([
      { op: "updateUser", userId: seeded.id, patch: expect.objectContaining({ externalId: AUTH0_ID }) },
    ]);
  });

  it("links an unlinked account found by email and applies the directive to it", async () => {
    const core = makeSyncCore();
    const seeded = core.directory.seedUser({
      userName: "a.lovelace",
      email: ada.email.toUpperCase(),
      groupIds: [groups.outside.id],
    });
    await core.run(jobOf({ ...ada, userType: groups.readOnly.id }));
    const user = core.directory.user({ externalId: AUTH0_ID });
    expect(user).toMatchObject({ id: seeded.id, userName: ada.userName, email: ada.email });
    expect(groupIds(user)).toEqual(ids(groups.readOnly));
  });

  it("a later event finds the linked account by externalId even after userName and email changed", async () => {
    const core = makeSyncCore();
    const seeded = core.directory.seedUser({ userName: ada.userName, email: ada.email });
    await core.run(jobOf({ ...ada, userType: "IGNORE" }));
    const renamed = { userName: "ada.king@acme.example", email: "ada.king@acme.example" };
    await core.run(jobOf({ userId: AUTH0_ID, ...renamed, userType: "IGNORE" }));
    expect(core.directory.users()).toEqual([
      expect.objectContaining({ id: seeded.id, externalId: AUTH0_ID, ...renamed }),
    ]);
  });

  it("a conflict writes nothing: no link, no profile, no status and no membership change", async () => {
    const core = makeSyncCore();
    const other = core.directory.seedUser({
      externalId: "samlp|acme-entra|someone-else",
      userName: "carl@acme.example",
      email: ada.email,
      status: "INACTIVE",
      groupIds: [groups.readOnly.id],
    });
    const job = jobOf({ ...ada, givenName: "Changed", userType: groups.vulnAdmin.id });
    await expect(core.run(job)).rejects.toMatchObject({ reason: "conflict" });
    expect(core.directory.writes).toEqual([]);
    expect(core.directory.users()).toEqual([other]);
  });
});
