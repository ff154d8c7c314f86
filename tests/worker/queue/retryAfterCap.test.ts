// A 429 whose Retry-After asks for years: the job's next try and its tenant's pause wait at most the
// cap, and a job whose retries run out fails visibly, with SureCloud's answer as its reason.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type MinimalJob, Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { freePort } from "../../../dev/freePort.js";
import { RetryableError } from "../../../shared/errors.js";
import { jobIdFor } from "../../../shared/job.js";
import { RETRY_BACKOFF_TYPE, syncJobOptions } from "../../../shared/jobOptions.js";
import { makeLogger } from "../../../shared/logger.js";
import { workerDefaults } from "../../../worker/defaults.js";
import { makeWorkerMetrics } from "../../../worker/metrics.js";
import { startQueueWorker } from "../../../worker/queue/queueWorker.js";
import { retryBackoff } from "../../../worker/queue/retryBackoff.js";
import { makeTenantAdmission } from "../../../worker/queue/tenantAdmission.js";
import { syncStatePrefix } from "../../../worker/redisKeys.js";
import { makeSureCloudClient } from "../../../worker/surecloud/httpClient.js";
import { makeGroupCatalogue } from "../../../worker/sync/groupCatalogue.js";
import { makeUserLock } from "../../../worker/sync/userLock.js";
import { makeUserVersions } from "../../../worker/sync/userVersions.js";
import { jobOf, makeTenant } from "../sync/syncFixtures.js";

const cap = workerDefaults.SURECLOUD_RETRY_AFTER_CAP_MS;
/** What `Retry-After: 99999999` becomes without a cap: about three years. */
const threeYearsMs = 99_999_999_000;
const throttled = new RetryableError("SureCloud listGroups answered 429", {
  status: 429,
  retryAfterMs: threeYearsMs,
});
const job = { opts: { ...syncJobOptions } } as unknown as MinimalJob;
const retries = Array.from({ length: syncJobOptions.attempts - 1 }, (_, index) => index + 1);

const redis = new Redis(workerDefaults.REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  await redis.quit();
});

it("retry backoff waits at most the cap for a Retry-After, at every attempt and every jitter draw", () => {
  for (const draw of [0, 0.5, 0.999_999]) {
    const backoff = retryBackoff(undefined, () => draw);
    for (const n of retries) {
      const curve = backoff(n, RETRY_BACKOFF_TYPE, undefined, job) as number;
      expect(backoff(n, RETRY_BACKOFF_TYPE, throttled, job), `retry ${n}`).toBe(Math.max(curve, cap));
    }
  }
});

it("a 429 on every attempt keeps a job retrying for at most about 100 minutes, then it fails", () => {
  const longest = retryBackoff(undefined, () => 0.999_999);
  const total = retries.reduce(
    (sum, n) => sum + (longest(n, RETRY_BACKOFF_TYPE, throttled, job) as number),
    0,
  );
  expect(total).toBeLessThan(100 * 60 * 1000);
});

it("tenant admission holds a tenant back for at most the cap, and no other tenant at all", () => {
  const admission = makeTenantAdmission(2, 150);
  const now = 1_700_000_000_000;
  admission.pause("acme", now + threeYearsMs, now);
  expect(admission.enter("acme", now)).toBe(now + cap);
  expect(admission.isPaused("acme", now + cap - 1)).toBe(true);
  expect(admission.isPaused("acme", now + cap)).toBe(false);
  expect(admission.enter("acme", now + cap)).toBeUndefined();
  expect(admission.enter("beta", now)).toBeUndefined();
  // A shorter pause is kept as asked.
  admission.pause("beta", now + 7000, now);
  expect(admission.enter("beta", now)).toBe(now + 7000);
});

it("a job throttled with a years-long Retry-After on every try fails visibly once its attempts run out", async () => {
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(429, { "content-type": "application/json", "retry-after": "99999999" });
    response.end(JSON.stringify({ error: { code: "rate_limited", message: "come back in 2030" } }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const queueName = `test-${randomUUID()}`;
  const prefix = syncStatePrefix(queueName);
  const tenant = makeTenant({ id: "acme", connection: "acme-entra" });
  // A short cap keeps the test quick; the worker's own cap is the five minutes checked above.
  const directory = makeSureCloudClient({
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    token: "sc-test-token-cap-3c2b1a09",
    timeoutMs: 5_000,
    tenantId: tenant.id,
    retryAfterCapMs: 100,
  });
  const queue = new Queue(queueName, { connection: redis });
  const connection = redis.duplicate();
  const metrics = makeWorkerMetrics();
  const { worker } = startQueueWorker({
    queueName,
    connection,
    concurrency: 2,
    deps: {
      tenants: { tenants: [tenant] },
      runtimes: new Map([
        [tenant.id, { tenant, directory, catalogue: makeGroupCatalogue(tenant, directory) }],
      ]),
      versions: makeUserVersions(redis, prefix),
      lock: makeUserLock(redis, prefix),
    },
    logger: makeLogger({ level: "silent" }),
    metrics,
    lockedRetryMs: 20,
  });
  try {
    const data = jobOf({ connection: tenant.connections[0], userType: "NONE" });
    const jobId = jobIdFor("event", data.event.id);
    await queue.add("sync", data, {
      ...syncJobOptions,
      attempts: 3,
      backoff: { type: RETRY_BACKOFF_TYPE, delay: 10, jitter: 0 },
      jobId,
    });
    await expect.poll(() => queue.getJobState(jobId), { timeout: 15_000, interval: 50 }).toBe("failed");
    const failed = await queue.getJob(jobId);
    expect(failed?.attemptsMade).toBe(3);
    expect(failed?.failedReason).toMatch(/^SureCloud \w+ answered 429 \(rate_limited\): come back in 2030$/);
    expect(requests).toBe(3);
    // The last attempt counts as failed, not as one more retry, so alerts on failed jobs see it.
    const counted = (await metrics.jobs.get()).values.map((value) => [value.labels.outcome, value.value]);
    expect(counted).toEqual(
      expect.arrayContaining([
        ["retried", 2],
        ["failed", 1],
      ]),
    );
  } finally {
    await worker.close();
    await connection.quit();
    await queue.obliterate({ force: true });
    await queue.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
});
