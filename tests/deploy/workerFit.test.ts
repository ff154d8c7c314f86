// The manifests against the running worker: `node dist/worker/main.js` started with the Deployment's
// settings and the tenants ConfigMap's file answers the probe paths and the scrape path on its HTTP
// port and listens for the intake; KEDA's list is the real wait list of the queue the worker consumes.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../dev/freePort.js";
import { REDIS_URL } from "../../dev/localStack.js";
import { INTAKE_PATH } from "../../shared/intake.js";
import { syncJobOptions } from "../../shared/jobOptions.js";
import { queuePrefix, readRedisSettings } from "../../shared/redisSettings.js";
import { HEALTH_PATH, METRICS_PATH, READY_PATH } from "../../worker/http/paths.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { clusterOverlay, exampleOverlay, kubernetesDir, renderExample } from "./manifests.js";

const example = renderExample();
const { container, settings, deployment } = example;

/** The queue as the worker opens it (worker/main.ts), so its key names are BullMQ's own. */
const workerQueue = (name: string, connection: Redis, prefix: string) =>
  new Queue(name, { connection, prefix });

describe("the worker started with the Deployment's settings", () => {
  let pipeline: Pipeline;
  let httpPort: number;
  let intakePort: number;

  beforeAll(async () => {
    httpPort = await freePort();
    intakePort = await freePort();
    // The manifests' own ports may be taken on a shared machine; everything else is as deployed.
    pipeline = await startPipeline({
      workerEnv: {
        ...settings,
        TENANTS_FILE: join(kubernetesDir, "base/tenants.yaml"),
        HTTP_PORT: String(httpPort),
        INTAKE_PORT: String(intakePort),
        INTAKE_TOKEN: randomUUID().repeat(2),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it("answers the liveness, readiness and scrape paths the Deployment names", async () => {
    const paths = [
      container.livenessProbe.httpGet.path,
      container.readinessProbe.httpGet.path,
      deployment.spec.template.metadata.annotations["prometheus.io/path"],
    ];
    expect(paths).toEqual([HEALTH_PATH, READY_PATH, METRICS_PATH]);
    for (const path of paths) {
      const response = await fetch(`http://127.0.0.1:${httpPort}${path}`, {
        signal: AbortSignal.timeout(5000),
      });
      expect(response.status, path).toBe(200);
    }
  });

  it("serves the intake on INTAKE_PORT, refusing a delivery without the token", async () => {
    const response = await fetch(`http://127.0.0.1:${intakePort}${INTAKE_PATH}`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(401);
  });
});

describe.each([
  { overlay: exampleOverlay, redisEnv: { REDIS_URL: "redis://redis.example:6379" } },
  { overlay: clusterOverlay, redisEnv: { REDIS_CLUSTER_NODES: "redis-0.example:6379,redis-1.example:6379" } },
])("the KEDA trigger's list in $overlay", ({ overlay, redisEnv }) => {
  const [trigger] = renderExample(overlay).find("ScaledObject", "surecloud-sync").spec.triggers;
  const read = readRedisSettings(redisEnv);
  if (!read.success) throw new Error(`bad Redis settings in the test: ${JSON.stringify(read.issues)}`);
  const prefix = queuePrefix(read.settings);
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis?.disconnect();
  });

  it("is the wait list of the queue named by QUEUE_NAME, under the worker's prefix for that Redis", async () => {
    const queue = workerQueue(settings.QUEUE_NAME as string, redis, prefix);
    expect(trigger.metadata.listName).toBe(queue.keys.wait);
    await queue.close();
  });

  it("holds exactly the jobs waiting, counted in a private queue on the shared Redis", async () => {
    const name = `test-keda-${randomUUID()}`;
    const queue = workerQueue(name, redis, prefix);
    try {
      const listName = (trigger.metadata.listName as string).replace(settings.QUEUE_NAME as string, name);
      await queue.addBulk([1, 2, 3].map((n) => ({ name: "sync", data: { n }, opts: syncJobOptions })));
      expect(await redis.llen(listName)).toBe(3);
      expect(await queue.getWaitingCount()).toBe(3);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
