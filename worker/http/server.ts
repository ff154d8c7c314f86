// The worker's HTTP surface: /healthz (the process lives), /readyz (Redis answers and the worker
// is consuming; its detail names the tenants file's fingerprint, and a reload it rejected), /metrics (Prometheus) and, when DASHBOARD_TOKEN is set, the queue dashboard.
// Nothing here shows a secret.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Queue, Worker } from "bullmq";
import type { RedisClient } from "../../shared/redisConnection.js";
import { withTimeout } from "../../shared/withTimeout.js";
import type { WorkerMetrics } from "../metrics.js";
import type { TenantsStatus } from "../tenantsReload.js";
import { DASHBOARD_PATH, HEALTH_PATH, METRICS_PATH, READY_PATH } from "./paths.js";

export interface HttpDeps {
  redis: RedisClient;
  worker: Worker;
  metrics: WorkerMetrics;
  /** The tenants file the worker runs, for /readyz's detail. Default: not shown. */
  tenants?: () => TenantsStatus;
  /** Refreshes queue gauges before a scrape. */
  refreshQueueGauges: () => Promise<void>;
  /** The Bull Board dashboard under /dashboard. Default: off (404). */
  dashboard?: { queue: Queue; token: string };
}

/** How long a probe or a scrape waits for Redis. */
const REDIS_TIMEOUT_MS = 1000;

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
  /**
   * Detail only, never a reason to be unready: a tenants file rejected at a reload leaves the
   * previous one running, and a worker taken out of service would not serve that one either.
   */
  tenants?: TenantsStatus;
}

export async function readiness(deps: Pick<HttpDeps, "redis" | "worker" | "tenants">): Promise<Readiness> {
  const checks: Record<string, string> = {};
  try {
    const reply = await withTimeout(deps.redis.ping(), REDIS_TIMEOUT_MS, "Redis");
    checks.redis = reply === "PONG" ? "ok" : "unexpected reply";
  } catch (error) {
    checks.redis = `unreachable: ${(error as Error).message}`;
  }
  checks.worker = consumingState(deps.worker);
  const ready = Object.values(checks).every((value) => value === "ok");
  return deps.tenants ? { ready, checks, tenants: deps.tenants() } : { ready, checks };
}

/** A worker that is closing still runs its last jobs but takes no new ones: not ready. */
function consumingState(worker: Worker): string {
  if (worker.closing) return "closing";
  if (!worker.isRunning()) return "not running";
  if (worker.isPaused()) return "paused";
  return "ok";
}

export async function startHttpServer(port: number, deps: HttpDeps): Promise<Server> {
  // Imported only when on, so a worker without the dashboard never loads express or Bull Board.
  const dashboard = deps.dashboard
    ? (await import("./dashboard.js")).makeDashboard(deps.dashboard)
    : undefined;
  const server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    try {
      if (path === HEALTH_PATH) return send(response, 200, { status: "ok" });
      if (path === READY_PATH) {
        const result = await readiness(deps);
        return send(response, result.ready ? 200 : 503, result);
      }
      if (path === METRICS_PATH) return await sendMetrics(response, deps);
      if (dashboard && isDashboardPath(path)) return dashboard(request, response);
      return send(response, 404, { error: "not found" });
    } catch (error) {
      return send(response, 500, { error: (error as Error).message });
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve(server));
  });
}

async function sendMetrics(response: ServerResponse, deps: HttpDeps): Promise<void> {
  // A scrape during a Redis outage still answers, with the last known queue depth: Redis commands
  // wait for a reconnection rather than fail, so the refresh is cut short instead.
  await withTimeout(deps.refreshQueueGauges(), REDIS_TIMEOUT_MS, "Redis").catch(() => undefined);
  const body = await deps.metrics.registry.metrics();
  response.writeHead(200, { "content-type": deps.metrics.registry.contentType });
  response.end(body);
}

function isDashboardPath(path: string): boolean {
  return path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
