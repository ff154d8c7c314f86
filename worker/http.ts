// The worker's HTTP surface: /healthz (the process lives), /readyz (Redis answers and the worker
// is consuming), /metrics (Prometheus). Nothing here shows a secret.
import { createServer, type Server } from "node:http";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { WorkerMetrics } from "./metrics.js";

export interface HttpDeps {
  redis: Redis;
  worker: Worker;
  metrics: WorkerMetrics;
  /** Refreshes queue gauges before a scrape. */
  refreshQueueGauges: () => Promise<void>;
}

export async function readiness(
  deps: Pick<HttpDeps, "redis" | "worker">,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  try {
    checks.redis = (await withTimeout(deps.redis.ping(), 1000)) === "PONG" ? "ok" : "unexpected reply";
  } catch (error) {
    checks.redis = `unreachable: ${(error as Error).message}`;
  }
  checks.worker = deps.worker.isRunning() && !deps.worker.isPaused() ? "ok" : "not consuming";
  return { ready: Object.values(checks).every((value) => value === "ok"), checks };
}

export function startHttpServer(port: number, deps: HttpDeps): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    try {
      if (path === "/healthz") return send(response, 200, { status: "ok" });
      if (path === "/readyz") {
        const result = await readiness(deps);
        return send(response, result.ready ? 200 : 503, result);
      }
      if (path === "/metrics") {
        await deps.refreshQueueGauges().catch(() => undefined);
        response.writeHead(200, { "content-type": deps.metrics.registry.contentType });
        return response.end(await deps.metrics.registry.metrics());
      }
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

function send(response: import("node:http").ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
