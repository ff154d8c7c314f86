// Tenant admission: a tenant running its share of this process's slots has its next job put back;
// the share worked out from the tenants file follows a reload that changes the number of tenants.
import { describe, expect, it } from "vitest";
import { makeTenantAdmission } from "../../../worker/queue/tenantAdmission.js";

describe("tenant admission", () => {
  it("puts back a tenant's job once it runs its share, and admits another tenant's", () => {
    const admission = makeTenantAdmission(2, 150);
    expect(admission.enter("acme", 1_000)).toBeUndefined();
    expect(admission.enter("acme", 1_000)).toBeUndefined();
    expect(admission.enter("acme", 1_000)).toBe(1_150);
    expect(admission.enter("globex", 1_000)).toBeUndefined();
    admission.leave("acme");
    expect(admission.enter("acme", 1_000)).toBeUndefined();
  });

  it("reads a share given as a function at each job, so a reload that adds a tenant narrows it", () => {
    let tenants = 1;
    const concurrency = 3;
    const admission = makeTenantAdmission(() => (tenants > 1 ? concurrency - 1 : concurrency), 150);
    for (let slot = 0; slot < 3; slot += 1) expect(admission.enter("acme", 0)).toBeUndefined();
    admission.leave("acme");
    // A second tenant arrives: acme may hold two slots, and holds two now.
    tenants = 2;
    expect(admission.enter("acme", 0)).toBe(150);
    expect(admission.enter("globex", 0)).toBeUndefined();
  });
});
