// Per-process fairness between tenants: a tenant paused by a 429, or already running its share of
// this process's slots, has its job put back so other tenants' jobs get the slot.
import { workerDefaults } from "../defaults.js";

/**
 * Keeps one slow tenant from taking every slot of this process. A job is admitted unless its tenant
 * is paused by a 429's Retry-After (the rate gate would hold it that long anyway) or already runs
 * `perTenant` jobs here; a job not admitted goes back to the queue, so other tenants' jobs get the slot.
 * A pause lasts at most `maxPauseMs`, however long the server asked for. `perTenant` is a number, or
 * a function read at each job, so a share worked out from the tenants file follows its reloads.
 */
export function makeTenantAdmission(
  perTenant: number | (() => number),
  retryMs: number,
  maxPauseMs: number = workerDefaults.SURECLOUD_RETRY_AFTER_CAP_MS,
) {
  const running = new Map<string, number>();
  const pausedUntil = new Map<string, number>();
  return {
    /** Undefined: run the job now (call leave() after); otherwise when to try it again. */
    enter(tenant: string, now: number): number | undefined {
      const paused = pausedUntil.get(tenant) ?? 0;
      if (paused > now) return paused;
      const count = running.get(tenant) ?? 0;
      if (count >= (typeof perTenant === "number" ? perTenant : perTenant())) return now + retryMs;
      running.set(tenant, count + 1);
      return undefined;
    },
    isPaused(tenant: string, now: number): boolean {
      return (pausedUntil.get(tenant) ?? 0) > now;
    },
    leave(tenant: string): void {
      const count = (running.get(tenant) ?? 1) - 1;
      if (count > 0) running.set(tenant, count);
      else running.delete(tenant);
    },
    /** Holds the tenant's jobs back until `until`, or `maxPauseMs` from `now` if that comes sooner. */
    pause(tenant: string, until: number, now: number = Date.now()): void {
      const capped = Math.min(until, now + maxPauseMs);
      pausedUntil.set(tenant, Math.max(pausedUntil.get(tenant) ?? 0, capped));
    },
  };
}

export type TenantAdmission = ReturnType<typeof makeTenantAdmission>;
