// The emulator's state, apart from HTTP: the tenants (token + store), the fault injector and the
// request log, built from validated options. Both the API and the admin surface work on this.
import { z } from "zod";
import { reportRepeats } from "../../shared/repeats.js";
import { type FaultInjector, faultsSchema, makeFaultInjector } from "./faults.js";
import { makeRequestLog, type RequestLog } from "./requestLog.js";
import { groupSeedSchema, TenantStore } from "./store.js";

export const tenantOptionSchema = z.object({
  /** Path segment the tenant is served under: `/<id>/api/v1`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes"),
  /** The bearer token this tenant's API accepts. */
  token: z.string().min(1),
  /** The groups SureCloud holds for the tenant (the API never creates any). Default none. */
  groups: z.array(groupSeedSchema).default([]),
});
export type TenantOption = z.input<typeof tenantOptionSchema>;

export const emulatorOptionsSchema = z
  .object({
    /** TCP port; 0 picks a free one. Default 0. */
    port: z.number().int().min(0).max(65_535).default(0),
    /** Interface to listen on. Default 127.0.0.1 (the admin surface answers loopback only anyway). */
    host: z.string().min(1).default("127.0.0.1"),
    tenants: z.array(tenantOptionSchema).min(1, "must list at least one tenant"),
    /** Faults active from the start. Default none. */
    faults: faultsSchema.optional(),
  })
  .superRefine((options, ctx) => {
    reportRepeats(
      ctx,
      options.tenants.map((tenant) => tenant.id),
      (index) => ["tenants", index, "id"],
    );
  });
export type EmulatorOptions = z.input<typeof emulatorOptionsSchema>;

export interface TenantRuntime {
  token: string;
  store: TenantStore;
}

export interface EmulatorCore {
  tenants: ReadonlyMap<string, TenantRuntime>;
  faults: FaultInjector;
  log: RequestLog;
  /** Every tenant back to its seeded groups with no users; log cleared; faults off. */
  reset(): void;
}

export function makeEmulatorCore(options: z.infer<typeof emulatorOptionsSchema>): EmulatorCore {
  const tenants = new Map<string, TenantRuntime>();
  for (const tenant of options.tenants) {
    tenants.set(tenant.id, { token: tenant.token, store: new TenantStore(tenant.id, tenant.groups) });
  }
  const faults = makeFaultInjector(options.faults ?? {});
  const log = makeRequestLog();
  return {
    tenants,
    faults,
    log,
    reset() {
      for (const tenant of tenants.values()) tenant.store.reset();
      log.clear();
      faults.set({});
    },
  };
}
