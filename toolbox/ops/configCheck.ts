// One finding of `surecloud-sync check-config`: which check, about which tenant, with what result.
// Each check lives in its own file (checkConfig.ts, actionRedisCheck.ts, runningWorkers.ts) and
// returns these rows.
import type { WorkerPresence } from "../../worker/workerPresence.js";

/** What check-config shows of a running worker. */
export type RunningWorker = Pick<
  WorkerPresence,
  "id" | "hostname" | "pid" | "fingerprint" | "tenantsFile" | "loadedAt"
>;

export const checkNames = [
  "tenants-file",
  "action-redis",
  "workers",
  "token",
  "surecloud",
  "catalogue",
] as const;
export type CheckName = (typeof checkNames)[number];
/**
 * `fail` makes the run fail; `warn` is a risk to fix that does not stop the sync; `info` is worth
 * knowing but harmless; `skipped` follows a failed step.
 */
export type CheckStatus = "ok" | "fail" | "warn" | "info" | "skipped";

export interface ConfigCheck {
  /** Null for checks of the file as a whole. */
  tenant: string | null;
  check: CheckName;
  status: CheckStatus;
  detail: string;
  /** The groups a catalogue finding is about. */
  groups?: Array<{ groupId: string; name: string }>;
  /** The running worker a `workers` finding is about. */
  worker?: RunningWorker;
}
