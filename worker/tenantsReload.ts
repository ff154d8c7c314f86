// The tenants file the worker runs, reloaded while it runs (on SIGHUP, and when the file changes on
// disk: tenantsWatch.ts). A new file is read with the same loader as at start-up and its runtimes
// are built before anything changes; only then are file and runtimes swapped, together, so each job
// runs on the one configuration it routed with (route.ts). A file that fails to load or build is
// rejected: the running configuration stays, and the reason is logged and shown on /readyz.
import { ConfigError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import { loadTenantsFile, type TenantsFile } from "../shared/tenants.js";
import type { WorkerMetrics } from "./metrics.js";
import type { TenantRuntime } from "./sync/tenantRuntime.js";
import { tenantsChange, tenantsFingerprint } from "./tenantsFingerprint.js";

/** One configuration, as loaded: swapped as a whole, never changed in place. */
export interface LoadedTenants {
  file: TenantsFile;
  fingerprint: string;
  runtimes: Map<string, TenantRuntime>;
  /** ISO time it was loaded. */
  loadedAt: string;
}

export const reloadResults = ["applied", "rejected", "unchanged"] as const;
export type ReloadResult = (typeof reloadResults)[number];
export type ReloadTrigger = "SIGHUP" | "file change";

/** What the worker runs and whether the file on disk was refused: for /readyz and the presence record. */
export interface TenantsStatus {
  file: string;
  fingerprint: string;
  loadedAt: string;
  tenants: string[];
  /** The last reload refused the file on disk; cleared by the next one that loads. */
  rejected?: { reason: string; at: string };
  /** One line for people: the fingerprint in use, and why the file on disk was refused if it was. */
  detail: string;
}

export interface LiveTenants {
  current(): LoadedTenants;
  status(): TenantsStatus;
  /** Reads the file again; reloads run one at a time, in the order asked. Never throws. */
  reload(trigger: ReloadTrigger): Promise<ReloadResult>;
}

export interface LiveTenantsOptions {
  path: string;
  /** The file as loaded at start-up. */
  initial: TenantsFile;
  /** Builds the runtimes of a file; a ConfigError (a token not set) stops start-up or rejects a reload. */
  build(file: TenantsFile): Promise<Map<string, TenantRuntime>>;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Told after each reload, e.g. to publish the new state at once. */
  onReload?(result: ReloadResult): void;
}

/** Builds the start-up configuration (throwing as start-up does) and returns the live holder. */
export async function makeLiveTenants(options: LiveTenantsOptions): Promise<LiveTenants> {
  const { path, logger, metrics } = options;
  let current = loaded(options.initial, await options.build(options.initial));
  let rejected: TenantsStatus["rejected"];
  let queue: Promise<unknown> = Promise.resolve();
  for (const result of reloadResults) metrics.tenantsReloads.inc({ result }, 0);
  metrics.tenantsConfig.set({ fingerprint: current.fingerprint }, 1);

  const reject = (reason: string, trigger: ReloadTrigger): ReloadResult => {
    rejected = { reason, at: new Date().toISOString() };
    metrics.tenantsReloads.inc({ result: "rejected" });
    logger.error(
      { file: path, trigger, fingerprint: current.fingerprint, reason },
      `tenants file rejected, still running ${current.fingerprint}: ${reason}`,
    );
    return "rejected";
  };

  async function reloadNow(trigger: ReloadTrigger): Promise<ReloadResult> {
    let next: LoadedTenants;
    try {
      const file = await loadTenantsFile(path);
      const fingerprint = tenantsFingerprint(file);
      if (fingerprint === current.fingerprint) {
        rejected = undefined;
        metrics.tenantsReloads.inc({ result: "unchanged" });
        // A SIGHUP is an operator asking; a change event may be any file of the directory.
        logger[trigger === "SIGHUP" ? "info" : "debug"](
          { file: path, trigger, fingerprint },
          "tenants file unchanged",
        );
        return "unchanged";
      }
      next = loaded(file, await options.build(file));
    } catch (error) {
      // Whatever went wrong, the running configuration stays: a reload never stops the worker.
      return reject(error instanceof ConfigError ? error.message : `unexpected: ${String(error)}`, trigger);
    }
    const previous = current;
    current = next;
    rejected = undefined;
    metrics.tenantsConfig.reset();
    metrics.tenantsConfig.set({ fingerprint: next.fingerprint }, 1);
    metrics.tenantsReloads.inc({ result: "applied" });
    logger.info(
      {
        file: path,
        trigger,
        fingerprint: next.fingerprint,
        previous: previous.fingerprint,
        ...tenantsChange(previous.file, next.file),
      },
      `tenants file reloaded: ${previous.fingerprint} -> ${next.fingerprint}`,
    );
    return "applied";
  }

  return {
    current: () => current,
    status: () => ({
      file: path,
      fingerprint: current.fingerprint,
      loadedAt: current.loadedAt,
      tenants: current.file.tenants.map((tenant) => tenant.id),
      ...(rejected ? { rejected } : {}),
      detail: rejected
        ? `tenants file on disk rejected: ${rejected.reason}; running fingerprint ${current.fingerprint}`
        : `tenants file loaded, fingerprint ${current.fingerprint}`,
    }),
    reload(trigger) {
      const run = queue.then(() => reloadNow(trigger));
      queue = run;
      return run.then((result) => {
        options.onReload?.(result);
        return result;
      });
    },
  };
}

function loaded(file: TenantsFile, runtimes: Map<string, TenantRuntime>): LoadedTenants {
  return { file, fingerprint: tenantsFingerprint(file), runtimes, loadedAt: new Date().toISOString() };
}
