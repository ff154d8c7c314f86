// The job carries the user's raw app roles (ROLES_ATTRIBUTE, default app_metadata.roles), bounded,
// so the worker can derive the directive of a tenant whose source is roles.
import { describe, expect, it } from "vitest";
import { MAX_ROLES_JSON, roleNamesFromJson } from "../../shared/entraRoles.js";
import { DEFAULT_ROLES_ATTRIBUTE, eventToJob } from "../../shared/eventToJob.js";
import type { SyncJob } from "../../shared/job.js";
import { makeUserEvent, type UserEventOptions } from "../fixtures/auth0Events.js";

function jobFor(options: UserEventOptions, rolesAttribute?: string): SyncJob {
  const mapping = eventToJob(makeUserEvent(options), undefined, rolesAttribute);
  if (mapping.kind !== "job") throw new Error(mapping.reason);
  return mapping.job;
}

describe("the user's app roles in the job", () => {
  it("reads app_metadata.roles by default, as JSON text the worker reads back", () => {
    expect(DEFAULT_ROLES_ATTRIBUTE).toBe("app_metadata.roles");
    const job = jobFor({ roles: ["Risk Manager", "Breach Reporter"] });
    expect(job.roles?.state).toBe("present");
    const raw = job.roles?.state === "present" ? job.roles.raw : "";
    expect(roleNamesFromJson(raw, "value")).toEqual(["Risk Manager", "Breach Reporter"]);
  });

  it("reads another path when configured", () => {
    const job = jobFor(
      { extra: { app_metadata: { entra: { roles: ["Auditor"] } } } },
      "app_metadata.entra.roles",
    );
    expect(job.roles).toEqual({ state: "present", raw: '["Auditor"]' });
  });

  it("leaves roles out when the user has none and never had; cleared when previous_object had some", () => {
    expect(jobFor({}).roles).toBeUndefined();
    expect(
      jobFor({ type: "user.updated", previous: { app_metadata: { roles: ["Auditor"] } } }).roles,
    ).toEqual({
      state: "cleared",
    });
  });

  it("keeps a value of any shape, so the worker can say what it received", () => {
    const job = jobFor({ extra: { app_metadata: { roles: 42 } } });
    expect(job.roles).toEqual({ state: "present", raw: "42" });
  });

  it("bounds what it carries: a huge value is cut, and then refused by the worker rather than read short", () => {
    const many = Array.from({ length: 5_000 }, (_, index) => `Role ${index}`);
    const job = jobFor({ extra: { app_metadata: { roles: many } } });
    const raw = job.roles?.state === "present" ? job.roles.raw : "";
    expect(raw.length).toBeLessThanOrEqual(MAX_ROLES_JSON + 1);
    expect(() => roleNamesFromJson(raw, "value")).toThrow(/over 16384 characters/);
  });
});
