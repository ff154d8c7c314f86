// Rule 7's group check: a directive's UUIDs resolve only when in the tenant's catalogue and in
// SureCloud, and SureCloud's group list is cached so concurrent jobs share one listing.
import { describe, expect, it, vi } from "vitest";
import { groups, sureCloudGroups } from "../../../dev/catalogue.js";
import { RetryableError } from "../../../shared/errors.js";
import { makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { makeMemoryDirectory } from "../../helpers/memoryDirectory.js";
import { makeTenant } from "./syncFixtures.js";

const { breachReporter, readOnly, riskManager, vulnAdmin, outside, retired } = groups;
const exact = (...list: Array<{ id: string }>) => ({
  kind: "exact" as const,
  groupIds: list.map((g) => g.id),
});

function setUp(held: ReadonlyArray<{ id: string; name: string }> = sureCloudGroups, ttlMs = 60_000) {
  let time = 0;
  const directory = makeMemoryDirectory(held);
  const listGroups = vi.spyOn(directory, "listGroups");
  const catalogue = makeGroupCatalogue(makeTenant(), directory, { ttlMs, now: () => time });
  return { directory, listGroups, catalogue, advance: (ms: number) => (time += ms) };
}

describe("makeGroupCatalogue: resolving", () => {
  it("resolves clear without asking SureCloud", async () => {
    const { catalogue, listGroups } = setUp();
    await expect(catalogue.resolve({ kind: "clear" })).resolves.toEqual({ kind: "clear" });
    expect(listGroups).not.toHaveBeenCalled();
  });

  it("resolves UUIDs to SureCloud's groups, in the order given, as SureCloud spells their ids", async () => {
    const upper = { ...riskManager, id: riskManager.id.toUpperCase(), name: "Risk | Manager (renamed)" };
    const { catalogue } = setUp([readOnly, upper]);
    await expect(catalogue.resolve(exact(riskManager, readOnly))).resolves.toEqual({
      kind: "exact",
      groups: [
        { id: upper.id, name: upper.name },
        { id: readOnly.id, name: readOnly.name },
      ],
    });
  });

  it("fails with unknown-group naming every UUID outside the catalogue, without listing SureCloud", async () => {
    const { catalogue, listGroups } = setUp();
    const stranger = "11111111-2222-4333-8444-555555555555";
    const error = await catalogue
      .resolve({ kind: "exact", groupIds: [readOnly.id, outside.id, stranger] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "PermanentError", reason: "unknown-group", retryable: false });
    expect((error as Error).message).toContain(outside.id);
    expect((error as Error).message).toContain(stranger);
    expect((error as Error).message).not.toContain(readOnly.id);
    expect(listGroups).not.toHaveBeenCalled();
  });

  it("fails with unknown-group naming a catalogue group SureCloud no longer holds", async () => {
    const { catalogue } = setUp();
    const error = await catalogue.resolve(exact(readOnly, retired)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: "unknown-group" });
    expect((error as Error).message).toContain(retired.id);
    expect((error as Error).message).not.toContain(readOnly.id);
  });
});

describe("makeGroupCatalogue: caching SureCloud's group list", () => {
  it("concurrent resolves share one listGroups call", async () => {
    const { catalogue, listGroups } = setUp();
    const results = await Promise.all([
      catalogue.resolve(exact(readOnly)),
      catalogue.resolve(exact(riskManager, vulnAdmin)),
      catalogue.resolve(exact(breachReporter)),
    ]);
    expect(results.map((result) => result.kind)).toEqual(["exact", "exact", "exact"]);
    expect(listGroups).toHaveBeenCalledTimes(1);
  });

  it("reuses the list while it is fresh and lists again once the TTL has passed", async () => {
    const { catalogue, listGroups, advance } = setUp(sureCloudGroups, 60_000);
    await catalogue.resolve(exact(readOnly));
    advance(59_999);
    await catalogue.resolve(exact(riskManager));
    expect(listGroups).toHaveBeenCalledTimes(1);
    advance(1);
    await catalogue.resolve(exact(riskManager));
    expect(listGroups).toHaveBeenCalledTimes(2);
  });

  it("a miss lists once more and finds a group created in SureCloud since the list was cached", async () => {
    const { catalogue, listGroups, directory } = setUp([readOnly]);
    await catalogue.resolve(exact(readOnly));
    directory.putGroup(vulnAdmin);
    await expect(catalogue.resolve(exact(readOnly, vulnAdmin))).resolves.toMatchObject({
      groups: [{ id: readOnly.id }, { id: vulnAdmin.id }],
    });
    expect(listGroups).toHaveBeenCalledTimes(2);
    // The fresh list is cached in turn.
    await catalogue.resolve(exact(vulnAdmin));
    expect(listGroups).toHaveBeenCalledTimes(2);
  });

  it("a miss lists exactly once more before failing", async () => {
    const { catalogue, listGroups } = setUp();
    await catalogue.resolve(exact(readOnly));
    await expect(catalogue.resolve(exact(retired))).rejects.toMatchObject({ reason: "unknown-group" });
    expect(listGroups).toHaveBeenCalledTimes(2);
  });

  it("concurrent misses share the one extra listing", async () => {
    const { catalogue, listGroups } = setUp();
    await catalogue.resolve(exact(readOnly));
    const misses = await Promise.allSettled([
      catalogue.resolve(exact(retired)),
      catalogue.resolve(exact(retired)),
    ]);
    expect(misses.map((miss) => miss.status)).toEqual(["rejected", "rejected"]);
    expect(listGroups).toHaveBeenCalledTimes(2);
  });

  it("does not cache a failed listing: the next resolve asks again", async () => {
    const { catalogue, listGroups } = setUp();
    listGroups.mockRejectedValueOnce(new RetryableError("SureCloud answered 503", { status: 503 }));
    await expect(catalogue.resolve(exact(readOnly))).rejects.toBeInstanceOf(RetryableError);
    await expect(catalogue.resolve(exact(readOnly))).resolves.toMatchObject({ kind: "exact" });
    expect(listGroups).toHaveBeenCalledTimes(2);
  });
});
