// An intake of the test's own, wired exactly as the worker wires it (startIntake) on a free port,
// over real Redis with a unique queue, its own metrics and an in-memory log. `post` sends a body
// the way Auth0's webhook destination does: POST /events with a bearer token.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { freePort } from "../../../dev/freePort.js";
import { DEFAULT_DIRECTIVE_ATTRIBUTE } from "../../../shared/eventToJob.js";
import { makeLogger } from "../../../shared/logger.js";
import { startIntake } from "../../../worker/intake/startIntake.js";
import { makeWorkerMetrics } from "../../../worker/metrics.js";

/** 36 characters of the RFC 6750 alphabet, as an operator would generate it. */
export const INTAKE_TOKEN = "itk_4s9Vq2LmT7xYc3RbN8wJ5hP1dG6fK0aZ";

export interface IntakeHarness {
  url: string;
  queueName: string;
  /** The test's view of the queue, on its own connection. */
  queue: Queue;
  /** Every line the intake logged, parsed. */
  logs: Array<Record<string, unknown>>;
  post(body: unknown, options?: PostOptions): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Jobs in the queue, whatever their state. */
  jobCount(): Promise<number>;
  /** group_sync_intake_requests_total for one outcome. */
  requests(outcome: string): Promise<number>;
  stop(): Promise<void>;
}

export interface PostOptions {
  /** The Authorization header; null sends none. Default `Bearer <INTAKE_TOKEN>`. */
  authorization?: string | null;
  /** Sent as it is when a string; JSON-encoded otherwise. */
  raw?: boolean;
  path?: string;
  method?: string;
}

export async function startIntakeHarness(
  options: { redisUrl?: string; connections?: string } = {},
): Promise<IntakeHarness> {
  const redisUrl = options.redisUrl ?? "redis://127.0.0.1:6379";
  const queueName = `test-${randomUUID()}`;
  const port = await freePort();
  const logs: Array<Record<string, unknown>> = [];
  const logger = makeLogger({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const metrics = makeWorkerMetrics();
  const intake = await startIntake(
    {
      INTAKE_PORT: port,
      INTAKE_TOKEN,
      INTAKE_CONNECTIONS: options.connections,
      REDIS_URL: redisUrl,
      QUEUE_NAME: queueName,
      DIRECTIVE_ATTRIBUTE: DEFAULT_DIRECTIVE_ATTRIBUTE,
    },
    metrics,
    logger,
  );
  if (!intake) throw new Error("the intake did not start");
  const queue = new Queue(queueName, { connection: { url: redisUrl } });
  queue.on("error", () => undefined);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    queueName,
    queue,
    logs,
    async post(body, postOptions = {}) {
      const authorization =
        postOptions.authorization === undefined ? `Bearer ${INTAKE_TOKEN}` : postOptions.authorization;
      const response = await fetch(`${url}${postOptions.path ?? "/events"}`, {
        method: postOptions.method ?? "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization === null ? {} : { authorization }),
        },
        body: postOptions.raw ? (body as string) : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async jobCount() {
      const counts = await queue.getJobCounts();
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    async requests(outcome) {
      const { values } = await metrics.intakeRequests.get();
      return values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
    },
    async stop() {
      await intake.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    },
  };
}
