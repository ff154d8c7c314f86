// The job a resync queues for a user: the user's current state under the sync rules' job schema,
// the same deduplication id for the same state (so a repeat adds nothing), a new one after a change,
// and an event id that names the run (so a repeat of an applied state is processed, not skipped).
import { describe, expect, it } from "vitest";
import { syncJobSchema } from "../../../shared/job.js";
import { newRunId, orphanJobFor, resyncJobFor } from "../../../toolbox/resync/resyncJob.js";
import { makeUserEvent } from "../../fixtures/auth0Events.js";

const user = (updatedAt: string) =>
  makeUserEvent({ userId: "samlp|acme-entra|job-1", updatedAt, userType: "IGNORE" }).data.object as never;

describe("resync jobs", () => {
  it("carries the user's state, versioned by updated_at, as a valid sync job", () => {
    const { job, jobId } = resyncJobFor(
      user("2026-11-02T08:00:00.000Z"),
      "acme-entra",
      { directiveAttribute: "app_metadata.user_type" },
      "run1",
    );
    expect(syncJobSchema.safeParse(job).success).toBe(true);
    expect(job).toMatchObject({
      origin: "resync",
      version: "2026-11-02T08:00:00.000Z",
      event: { type: "user.updated", time: "2026-11-02T08:00:00.000Z" },
      directive: { state: "present", raw: "IGNORE" },
    });
    expect(jobId).toMatch(/^resync-rsy_run1_[0-9a-f]{24}$/);
  });

  it("deduplicates the same state across runs, but not a changed one", () => {
    const a = resyncJobFor(
      user("2026-11-02T08:00:00.000Z"),
      "acme-entra",
      { directiveAttribute: "app_metadata.user_type" },
      "run1",
    );
    const b = resyncJobFor(
      user("2026-11-02T08:00:00.000Z"),
      "acme-entra",
      { directiveAttribute: "app_metadata.user_type" },
      "run2",
    );
    const c = resyncJobFor(
      user("2026-11-02T09:00:00.000Z"),
      "acme-entra",
      { directiveAttribute: "app_metadata.user_type" },
      "run2",
    );
    expect(b.deduplicationId).toBe(a.deduplicationId);
    expect(b.job.event.id).not.toBe(a.job.event.id);
    expect(c.deduplicationId).not.toBe(a.deduplicationId);
    expect(a.deduplicationId).not.toContain(":");
  });

  it("orders a user without a usable updated_at before any live event", () => {
    const { job } = resyncJobFor(
      user("yesterday"),
      "acme-entra",
      { directiveAttribute: "app_metadata.user_type" },
      "run1",
    );
    expect(job.version).toBe("1970-01-01T00:00:00.000Z");
  });

  it("carries the app roles from the attribute ROLES_ATTRIBUTE names, as the Action does", () => {
    const roles = [{ value: "risk-manager", display: "Risk Manager" }];
    const base = user("2026-11-02T08:00:00.000Z") as Record<string, unknown>;
    const custom = { ...base, app_metadata: { entra: { roles } } } as never;
    const attributes = {
      directiveAttribute: "app_metadata.user_type",
      rolesAttribute: "app_metadata.entra.roles",
    };
    const { job } = resyncJobFor(custom, "acme-entra", attributes, "run1");
    expect(job.roles).toEqual({ state: "present", raw: JSON.stringify(roles) });
    // At the default path, the same user has no roles to send.
    expect(
      resyncJobFor(custom, "acme-entra", { directiveAttribute: "app_metadata.user_type" }, "run1").job.roles,
    ).toBeUndefined();
  });

  it("builds the deletion for an orphan as a user.deleted job of the tenant's connection", () => {
    const { job } = orphanJobFor(
      "samlp|acme-entra|gone",
      "acme-entra",
      { directiveAttribute: "app_metadata.user_type" },
      "run1",
      new Date("2026-11-05T00:00:00Z"),
    );
    expect(syncJobSchema.safeParse(job).success).toBe(true);
    expect(job).toMatchObject({
      connection: "acme-entra",
      event: { type: "user.deleted" },
      version: "2026-11-05T00:00:00.000Z",
    });
  });

  it("names runs with letters and digits only, as BullMQ job ids allow", () => {
    expect(newRunId(new Date("2026-11-02T08:00:00.123Z"))).toMatch(/^20261102T080000Z[0-9a-f]{4}$/);
  });
});
