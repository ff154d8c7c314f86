// The running workers of a queue as `status` prints them: each worker process with the fingerprint
// of the tenants file it runs, and why it refused the file on disk when it did.
import { PRESENCE_TTL_MS, type WorkerPresence } from "../../worker/workerPresence.js";
import { formatTable } from "./table.js";

export function renderWorkers(workers: WorkerPresence[]): string {
  if (workers.length === 0) {
    return `No worker has reported for this queue in the last ${PRESENCE_TTL_MS / 1000} s.`;
  }
  const fingerprints = new Set(workers.map((worker) => worker.fingerprint));
  const summary =
    fingerprints.size === 1
      ? `${workers.length} worker(s), all running tenants file ${[...fingerprints][0]}:`
      : `${workers.length} worker(s), running ${fingerprints.size} different tenants files:`;
  const rejecting = workers.some((worker) => worker.rejected);
  const headers = ["HOST", "PID", "FINGERPRINT", "LOADED", "TENANTS", ...(rejecting ? ["FILE ON DISK"] : [])];
  const rows = workers.map((worker) => [
    worker.hostname,
    String(worker.pid),
    worker.fingerprint,
    worker.loadedAt,
    worker.tenants.join(", "),
    ...(rejecting ? [worker.rejected ? `rejected: ${worker.rejected.reason}` : "loaded"] : []),
  ]);
  return [summary, formatTable(headers, rows)].join("\n");
}
