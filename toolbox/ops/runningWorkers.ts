// check-config's look at the running workers: does each worker process of the queue run the tenants
// file on disk? Each worker publishes the fingerprint of the file it runs (workerPresence.ts); this
// compares it with the fingerprint of the file check-config loaded, computed the same way.
import { describeRedis, type RedisSettings } from "../../shared/redisSettings.js";
import { listWorkers, PRESENCE_TTL_MS, type WorkerPresence } from "../../worker/workerPresence.js";
import type { ConfigCheck, RunningWorker } from "./configCheck.js";
import { connectQueue } from "./connectQueue.js";

/** What a `workers` finding says about its worker. */
export interface WorkersSettings {
  redis: RedisSettings;
  queueName: string;
}

/**
 * One check per running worker: ok when it runs the file on disk (`onDisk`, its fingerprint), warn
 * when it runs another. Info only when Redis cannot be reached or no worker reports: check-config
 * also runs before any worker is deployed.
 */
export async function checkRunningWorkers(settings: WorkersSettings, onDisk: string): Promise<ConfigCheck[]> {
  const row = (status: ConfigCheck["status"], detail: string, worker?: WorkerPresence): ConfigCheck => ({
    tenant: null,
    check: "workers",
    status,
    detail,
    ...(worker ? { worker: workerFields(worker) } : {}),
  });
  let workers: WorkerPresence[];
  try {
    const handle = await connectQueue({ ...settings, connectTimeoutMs: 3_000 });
    try {
      workers = await listWorkers(handle.redis, settings.queueName);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return [row("info", `${(error as Error).message}; running workers not compared with the file`)];
  }
  if (workers.length === 0) {
    const where = `queue "${settings.queueName}" on ${describeRedis(settings.redis)}`;
    return [row("info", `no worker of ${where} has reported in the last ${PRESENCE_TTL_MS / 1000} s`)];
  }
  return workers.map((worker) => {
    const who = `${worker.hostname} pid ${worker.pid} runs ${worker.fingerprint}`;
    if (worker.fingerprint === onDisk) return row("ok", `${who}, the file on disk`, worker);
    const why = worker.rejected
      ? `its last reload was rejected: ${worker.rejected.reason}`
      : "it has not reloaded it yet (send it SIGHUP, or see its log)";
    return row("warn", `${who}, not the file on disk (${onDisk}): ${why}`, worker);
  });
}

function workerFields(worker: WorkerPresence): RunningWorker {
  const { id, hostname, pid, fingerprint, tenantsFile, loadedAt } = worker;
  return { id, hostname, pid, fingerprint, tenantsFile, loadedAt };
}
