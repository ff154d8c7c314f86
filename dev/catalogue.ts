// The group catalogue of SureCloud's setup document, for the demo, the benchmark and tests, and
// the groups SureCloud holds for those local tenants (one outside the catalogue, one retired).

export const groups = {
  breachReporter: { id: "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41", name: "Privacy | Breach Reporter" },
  readOnly: { id: "5b4e2a17-df3c-4b82-a6f2-27a119d8c441", name: "Read Only" },
  riskManager: { id: "e21c4d6a-8a6f-4f5f-b2c9-54cb6dce3d0d", name: "Risk | Manager" },
  vulnAdmin: { id: "baf8a3c9-2b6f-41c7-bc69-9f84ad12c7c2", name: "Vulnerability | Admin" },
  /** In SureCloud but not in the tenant's catalogue: Entra may never grant it, only take it away. */
  outside: { id: "0d1f6c2e-7a43-4f0b-9e8d-5c6b7a8f9e01", name: "Legacy | Local Admins" },
  /** In the catalogue but deleted from SureCloud since. */
  retired: { id: "7f3e2d1c-0b9a-4876-a5f4-e3d2c1b0a987", name: "Retired | Auditor" },
} as const;

/** The catalogue the tenants file lists for each test tenant. */
export const catalogue = [
  groups.breachReporter,
  groups.readOnly,
  groups.riskManager,
  groups.vulnAdmin,
  groups.retired,
];

/** What SureCloud holds. */
export const sureCloudGroups = [
  groups.breachReporter,
  groups.readOnly,
  groups.riskManager,
  groups.vulnAdmin,
  groups.outside,
];
