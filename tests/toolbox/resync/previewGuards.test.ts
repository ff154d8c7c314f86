// The guards around previews: a read-only directory refuses every write (so a dry run cannot change
// SureCloud whatever the code calls), and progress is a redrawn bar on a terminal, plain lines elsewhere.
import { describe, expect, it } from "vitest";
import { makeProgress } from "../../../toolbox/resync/progress.js";
import { readOnlyDirectory, WriteAttemptedError } from "../../../toolbox/resync/readOnlyDirectory.js";
import type { SureCloudDirectory } from "../../../worker/surecloud/directory.js";

describe("read-only directory", () => {
  it("passes reads through and refuses every write", async () => {
    const calls: string[] = [];
    const record = (name: string) => async () => {
      calls.push(name);
      return undefined as never;
    };
    const inner: SureCloudDirectory = {
      listGroups: record("listGroups"),
      getUser: record("getUser"),
      findUser: record("findUser"),
      listUserGroups: record("listUserGroups"),
      createUser: record("createUser"),
      updateUser: record("updateUser"),
      addMember: record("addMember"),
      removeMember: record("removeMember"),
    };
    const guarded = readOnlyDirectory(inner);
    await guarded.listGroups();
    await guarded.findUser({ email: "a@b.example" });
    await guarded.listUserGroups("usr_1");
    await expect(guarded.createUser({} as never)).rejects.toBeInstanceOf(WriteAttemptedError);
    await expect(guarded.updateUser("usr_1", { status: "ACTIVE" })).rejects.toThrow(/updateUser attempted/);
    await expect(guarded.addMember("g", "usr_1")).rejects.toBeInstanceOf(WriteAttemptedError);
    await expect(guarded.removeMember("g", "usr_1")).rejects.toBeInstanceOf(WriteAttemptedError);
    expect(calls).toEqual(["listGroups", "findUser", "listUserGroups"]);
  });
});

describe("progress", () => {
  it("redraws one bar on a terminal and ends the line when done", () => {
    let out = "";
    let now = 0;
    const progress = makeProgress(
      "acme: users",
      { isTTY: true, write: (text) => (out += text) },
      { now: () => now },
    );
    progress.update(100, 400);
    now += 1000;
    progress.update(400, 400);
    progress.finish();
    expect(out).toContain("acme: users [#######.....................]  25% 100/400");
    expect(out).toMatch(/\[#{28}\] 100% 400\/400\n$/);
  });

  it("prints a plain line at most every interval when not on a terminal, and the last one once", () => {
    const lines: string[] = [];
    let now = 0;
    const progress = makeProgress(
      "acme: users",
      { isTTY: false, write: (text) => lines.push(text) },
      { now: () => now, intervalMs: 5000 },
    );
    progress.update(100, 1000);
    now += 1000;
    progress.update(200, 1000);
    now += 5000;
    progress.update(700, 1000);
    now += 100;
    progress.update(1000, 1000);
    progress.finish();
    expect(lines).toEqual([
      "acme: users: 100/1000 (10%)\n",
      "acme: users: 700/1000 (70%)\n",
      "acme: users: 1000/1000 (100%)\n",
    ]);
  });
});
