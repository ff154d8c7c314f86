// The worker process's HTTP surface as an operator and Prometheus see it: liveness, readiness that
// follows Redis, and metrics with real values after real jobs. Runs `node dist/worker/main.js`.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { freePort } from "../../../dev/freePort.js";
import { makeUserEvent, newEventId } from "../../fixtures/auth0Events.js";
import { type Pipeline, startPipeline, stopProcess, tokenOf } from "../../helpers/pipeline.js";
import { untilRedisReady } from "../../helpers/redisReady.js";

let pipeline: Pipeline;
let port: number;

beforeAll(async () => {
  port = await freePort();
  pipeline = await startPipeline({ workerEnv: { HTTP_PORT: String(port) } });
});
afterAll(async () => {
  await pipeline?.stop();
});

const get = (path: string, at = port) =>
  fetch(`http://127.0.0.1:${at}${path}`, { signal: AbortSignal.timeout(5000) });

async function metricsText(): Promise<string> {
  const response = await get("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

async function deliver(userType: string) {
  const time = new Date().toISOString();
  const name = `user-${randomBytes(4).toString("hex")}`;
  const message = makeUserEvent({
    id: newEventId(),
    time,
    updatedAt: time,
    userType,
    email: `${name}@acme.example`,
  });
  await pipeline.send(message);
  return pipeline.result(message.id);
}

describe("liveness and readiness", () => {
  it("answers /healthz with 200", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with 200 while Redis answers and the worker consumes", async () => {
    const response = await get("/readyz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ready: true,
      checks: { redis: "ok", worker: "ok" },
      // Detail, not a check: which tenants file the worker runs.
      tenants: expect.objectContaining({
        detail: expect.stringMatching(/^tenants file loaded, fingerprint [0-9a-f]{12}$/),
      }),
    });
  });

  it("answers 404 for an unknown path and for /dashboard while the dashboard is off", async () => {
    expect((await get("/nope")).status).toBe(404);
    expect((await get("/dashboard")).status).toBe(404);
  });
});

describe("metrics", () => {
  it("counts a job applied, its membership and its SureCloud calls, with Node's process metrics", async () => {
    const result = await deliver(groups.breachReporter.id);
    expect(result.outcome).toMatchObject({ outcome: "applied", created: true });

    const text = await metricsText();
    expect(text).toContain('group_sync_jobs_total{tenant="acme",outcome="applied",reason=""} 1');
    expect(text).toContain('group_sync_memberships_total{tenant="acme",change="added"} 1');
    expect(text).toContain('group_sync_memberships_total{tenant="acme",change="removed"} 0');
    expect(text).toMatch(
      /group_sync_surecloud_call_seconds_count\{tenant="acme",operation="\w+",status="20\d"\} [1-9]/,
    );
    expect(text).toContain('group_sync_job_seconds_count{tenant="acme"} 1');
    expect(text).toContain('group_sync_queue_lag_seconds_count{tenant="acme"} 1');
    // Queue depth is read from Redis at scrape time: the one job is done, nothing waits.
    expect(text).toContain('group_sync_queue_jobs{state="waiting"} 0');
    expect(text).toContain('group_sync_queue_jobs{state="failed"} 0');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it("counts SureCloud errors by status, and the retried job still applies", async () => {
    pipeline.emulator.setFaults({ throttle: { count: 1, retryAfterSeconds: 0 } });
    const result = await deliver(groups.readOnly.id);
    expect(result.outcome).toMatchObject({ outcome: "applied" });

    const text = await metricsText();
    expect(text).toMatch(
      /group_sync_surecloud_errors_total\{tenant="acme",operation="\w+",status="429"\} 1$/m,
    );
    expect(text).toContain('group_sync_jobs_total{tenant="acme",outcome="retried",reason="transient"} 1');
    expect(text).toContain('group_sync_jobs_total{tenant="acme",outcome="applied",reason=""} 2');
  });

  it("shows no SureCloud token in /metrics or /readyz", async () => {
    const bodies = [await metricsText(), await (await get("/readyz")).text()];
    for (const body of bodies) {
      expect(body).not.toContain(tokenOf("acme"));
      expect(body).not.toContain(tokenOf("beta"));
    }
  });
});

describe("readiness without Redis", () => {
  it("turns /readyz to 503 when the worker's Redis stops, while /healthz stays 200", async () => {
    const password = `pw-${randomBytes(12).toString("hex")}`;
    const redisPort = await freePort();
    const redis = await startRedis(redisPort, password);
    const httpPort = await freePort();
    let worker: ChildProcess | undefined;
    try {
      worker = await pipeline.startWorker({
        REDIS_URL: `redis://:${password}@127.0.0.1:${redisPort}`,
        HTTP_PORT: String(httpPort),
        SHUTDOWN_GRACE_SECONDS: "1",
      });
      expect((await get("/readyz", httpPort)).status).toBe(200);

      await stopProcess(redis);
      const response = await get("/readyz", httpPort);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { ready: boolean; checks: Record<string, string> };
      expect(body.ready).toBe(false);
      expect(body.checks.redis).toMatch(/^unreachable/);
      expect(JSON.stringify(body)).not.toContain(password);
      expect((await get("/healthz", httpPort)).status).toBe(200);
      expect(await (await get("/metrics", httpPort)).text()).not.toContain(password);
    } finally {
      if (worker) await stopProcess(worker);
      await stopProcess(redis);
    }
    expect(pipeline.output()).not.toContain(password);
  });
});

/** A private redis-server, so stopping it never touches the shared one on 6379. */
async function startRedis(redisPort: number, password: string): Promise<ChildProcess> {
  // "-" reads the config from stdin: the password stays out of argv, so `ps` does not show it.
  const child = spawn(
    "redis-server",
    ["-", "--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  child.stdin?.end(`requirepass ${password}\n`);
  await untilRedisReady(child);
  return child;
}
