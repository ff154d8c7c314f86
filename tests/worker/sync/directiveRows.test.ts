// Rule 7, the directive table, one describe per row, through planSync + applyPlan on a memory
// SureCloud: what each raw `userType` does to a linked user's groups, and which values change nothing.
import { describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { RetryableError } from "../../../shared/errors.js";
import { applyPlan } from "../../../worker/sync/apply.js";
import { planSync } from "../../../worker/sync/plan.js";
import { auth0User, groupIds, ids, jobOf, makeSyncCore, makeTenant, seedLinked } from "./syncFixtures.js";

const { readOnly, riskManager, vulnAdmin, outside, retired } = groups;
const ops = (core: ReturnType<typeof makeSyncCore>) => core.directory.writes.map((write) => write.op);

/** A linked user in readOnly and a group outside the catalogue, then one event with `userType`. */
function runWith(userType: string | undefined, extra: Parameters<typeof jobOf>[0] = {}) {
  const core = makeSyncCore();
  const seeded = seedLinked(core.directory, "ada", { groupIds: [readOnly.id, outside.id] });
  const run = core.run(jobOf({ ...auth0User("ada"), userType, ...extra }));
  return { core, seeded, run, user: () => core.directory.user({ id: seeded.id }) };
}

describe("IGNORE, any letter case: memberships preserved", () => {
  it.each(["IGNORE", "ignore", "Ignore", " \tiGnOrE  "])(
    "%j keeps every group and still updates the profile",
    async (raw) => {
      const { core, run, user } = runWith(raw, { givenName: "Augusta" });
      await run;
      expect(groupIds(user())).toEqual(ids(readOnly, outside));
      expect(user()?.givenName).toBe("Augusta");
      expect(ops(core)).toEqual(["updateUser"]);
    },
  );
});

describe('"" or NONE, any letter case: all memberships removed', () => {
  it.each(["", "   ", "\t", "NONE", "none", " None\t"])(
    "%j removes every group, outside the catalogue too",
    async (raw) => {
      const { core, run, user } = runWith(raw);
      await run;
      expect(user()).toMatchObject({ status: "ACTIVE", groups: [] });
      expect(ops(core)).toEqual(["removeMember", "removeMember"]);
    },
  );
});

describe("UUIDs separated by commas: exactly these groups", () => {
  it("adds the missing, removes all others, and leaves the ones already held untouched", async () => {
    const raw = ` ${riskManager.id.toUpperCase()} ,\t${readOnly.id},${riskManager.id} `;
    const { core, seeded, run, user } = runWith(raw);
    await run;
    expect(groupIds(user())).toEqual(ids(riskManager, readOnly));
    expect(core.directory.writes).toEqual([
      { op: "addMember", groupId: riskManager.id, userId: seeded.id },
      { op: "removeMember", groupId: outside.id, userId: seeded.id },
    ]);
  });

  it("folds repeats that differ only in letter case into one write", async () => {
    const { core, run, user } = runWith(`${vulnAdmin.id},${vulnAdmin.id.toUpperCase()}, ${readOnly.id}`);
    await run;
    expect(groupIds(user())).toEqual(ids(vulnAdmin, readOnly));
    expect(ops(core)).toEqual(["addMember", "removeMember"]);
  });

  // Failed before: parseDirective rejected an empty entry as "a stray comma", against DESIGN rule 7.
  it("skips an empty entry between two commas", async () => {
    const { run, user } = runWith(`${riskManager.id},,${readOnly.id}`);
    await run;
    expect(groupIds(user())).toEqual(ids(riskManager, readOnly));
  });

  it("writes nothing when the user already holds exactly these groups", async () => {
    const core = makeSyncCore();
    seedLinked(core.directory, "ada", { groupIds: [readOnly.id, riskManager.id] });
    await core.run(jobOf({ ...auth0User("ada"), userType: `${riskManager.id},${readOnly.id}` }));
    expect(core.directory.writes).toEqual([]);
  });

  it("adds every group before it removes any, so a swap never leaves a gap", async () => {
    const core = makeSyncCore();
    seedLinked(core.directory, "ada", { groupIds: [readOnly.id, outside.id] });
    await core.run(jobOf({ ...auth0User("ada"), userType: `${riskManager.id},${vulnAdmin.id}` }));
    expect(ops(core)).toEqual(["addMember", "addMember", "removeMember", "removeMember"]);
  });

  it("removes nothing when an addition fails", async () => {
    const core = makeSyncCore();
    const seeded = seedLinked(core.directory, "ada", { groupIds: [readOnly.id] });
    const job = jobOf({ ...auth0User("ada"), userType: riskManager.id });
    const result = await planSync(job, core.tenant, core.directory, core.catalogue);
    if (result.kind !== "plan") throw new Error("expected a plan");
    const failing = {
      ...core.directory,
      addMember: async () => {
        throw new RetryableError("SureCloud answered 503", { status: 503 });
      },
    };
    await expect(applyPlan(result.plan, failing)).rejects.toBeInstanceOf(RetryableError);
    expect(ops(core)).toEqual([]);
    expect(core.directory.user({ id: seeded.id })?.groups).toEqual([readOnly]);
  });
});

describe("absent now, present before: as an empty value", () => {
  it("removes every group when previous_object held a directive", async () => {
    const previous = { app_metadata: { user_type: readOnly.id } };
    const { run, user } = runWith(undefined, { type: "user.updated", previous });
    await run;
    expect(user()).toMatchObject({ status: "ACTIVE", groups: [] });
  });
});

describe("absent, never seen: the tenant's missingDirective policy", () => {
  it.each([
    ["the default (ignore)", undefined, ids(readOnly, outside)],
    ["ignore", "ignore" as const, ids(readOnly, outside)],
    ["clear", "clear" as const, []],
  ])("%s", async (_label, missingDirective, expected) => {
    const core = makeSyncCore(makeTenant({ missingDirective }));
    const seeded = seedLinked(core.directory, "ada", { groupIds: [readOnly.id, outside.id] });
    await core.run(jobOf(auth0User("ada")));
    expect(groupIds(core.directory.user({ id: seeded.id }))).toEqual(expected);
  });
});

describe("anything else: invalid-directive, and nothing changes", () => {
  it.each([
    ["a group name", "Read Only"],
    ["a lone comma", ","],
    ["a bad token among good ones", `${readOnly.id},not-a-uuid`],
    ["a UUID in braces", `{${readOnly.id}}`],
    ["IGNORE mixed with a UUID", `IGNORE,${readOnly.id}`],
    ["UUIDs separated by semicolons", `${readOnly.id};${riskManager.id}`],
    ["a zero-width space before NONE", "\u200bNONE"],
    ["IGNORE with a dotless i", "ıgnore"],
  ])("%s: no write at all, not even the profile", async (_label, raw) => {
    const { core, run, user, seeded } = runWith(raw, { givenName: "Changed" });
    await expect(run).rejects.toMatchObject({ name: "PermanentError", reason: "invalid-directive" });
    expect(core.directory.writes).toEqual([]);
    expect(user()).toEqual(seeded);
  });

  // Failed before: parseDirective used String.prototype.trim, which also strips U+00A0, U+FEFF,
  // U+2003 and friends, so these values cleared or ignored groups instead of failing (rule 7).
  it.each([
    ["a no-break space around NONE", "\u00a0NONE\u00a0"],
    ["a byte-order mark before NONE", "\ufeffNONE"],
    ["an em space after a UUID", `${readOnly.id}\u2003`],
  ])("%s fails with invalid-directive", async (_label, raw) => {
    const { core, run } = runWith(raw);
    await expect(run).rejects.toMatchObject({ reason: "invalid-directive" });
    expect(core.directory.writes).toEqual([]);
  });

  it("a joiner with an invalid directive is not created", async () => {
    const core = makeSyncCore();
    await expect(core.run(jobOf({ ...auth0User("new"), userType: "Risk | Manager" }))).rejects.toMatchObject({
      reason: "invalid-directive",
    });
    expect(core.directory.users()).toEqual([]);
    expect(core.directory.writes).toEqual([]);
  });
});

describe("unknown-group: every UUID must be in the catalogue and in SureCloud", () => {
  it.each([
    ["outside the tenant's catalogue", outside.id],
    ["in the catalogue but gone from SureCloud", retired.id],
    ["gone from SureCloud, named in upper case", retired.id.toUpperCase()],
  ])("a group %s fails, naming it, with no write", async (_label, unknown) => {
    const { core, run, user, seeded } = runWith(`${riskManager.id},${unknown}`, { givenName: "Changed" });
    const error = await run.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "PermanentError", reason: "unknown-group" });
    expect((error as Error).message).toContain(unknown.toLowerCase());
    expect(core.directory.writes).toEqual([]);
    expect(user()).toEqual(seeded);
  });

  it("a joiner naming an unknown group is not created", async () => {
    const core = makeSyncCore();
    const run = core.run(jobOf({ ...auth0User("new"), userType: retired.id }));
    await expect(run).rejects.toMatchObject({ reason: "unknown-group" });
    expect(core.directory.users()).toEqual([]);
  });
});
