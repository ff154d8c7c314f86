// The intake's HTTP server: its own port (INTAKE_PORT) for Auth0's Event Stream webhook destination,
// so that Auth0 reaches the worker over HTTPS (through a TLS-terminating ingress) and Redis stays
// private. `POST /events` with one CloudEvent and `Authorization: Bearer <INTAKE_TOKEN>`; the answer
// is 2xx only once the event's job is stored (see outcome.ts for every status).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type DeliveryDecision,
  type DeliveryRules,
  decideDelivery,
  eventIdOf,
} from "../../shared/deliveryDecision.js";
import { INTAKE_PATH } from "../../shared/intake.js";
import type { SyncJob } from "../../shared/job.js";
import type { Logger } from "../../shared/logger.js";
import type { WorkerMetrics } from "../metrics.js";
import { type BearerCheck, makeBearerCheck } from "./auth.js";
import { readBoundedBody } from "./body.js";
import type { IntakeQueue } from "./enqueue.js";
import { type IntakeOutcome, intakeStatus } from "./outcome.js";

/** A slow client may not hold a connection for long: Auth0 sends one small event per request. */
const REQUEST_TIMEOUT_MS = 15_000;
const HEADERS_TIMEOUT_MS = 10_000;

export interface IntakeServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  token: string;
  rules: DeliveryRules;
  queue: IntakeQueue;
  maxBodyBytes: number;
  metrics: Pick<WorkerMetrics, "intakeRequests">;
  logger: Logger;
}

/** One request's outcome, what the answer says, and why (for the log). */
interface Answer {
  outcome: IntakeOutcome;
  body: Record<string, unknown>;
  reason?: string;
  eventId?: string;
}

export async function startIntakeServer(options: IntakeServerOptions): Promise<Server> {
  const check = makeBearerCheck(options.token);
  const server = createServer((request, response) => {
    const started = Date.now();
    void answerRequest(request, options, check)
      .catch(
        (error: unknown): Answer => ({
          outcome: "error",
          body: { error: "internal error" },
          reason: messageOf(error),
        }),
      )
      .then((answer) => {
        record(answer, Date.now() - started, options);
        respond(request, response, answer);
      });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, () => resolve(server));
  });
}

/** Checks in order of cost: the token (headers only), the route, then the body, then Redis. */
async function answerRequest(
  request: IncomingMessage,
  options: IntakeServerOptions,
  check: BearerCheck,
): Promise<Answer> {
  const auth = check(request.headers.authorization);
  if (auth !== "ok") {
    const reason = auth === "missing" ? "no bearer token" : "wrong bearer token";
    return { outcome: "unauthorized", body: { error: "unauthorized" }, reason };
  }
  const path = (request.url ?? "/").split("?")[0];
  if (path !== INTAKE_PATH)
    return { outcome: "not-found", body: { error: `not found; POST events to ${INTAKE_PATH}` } };
  if (request.method !== "POST") return { outcome: "method-not-allowed", body: { error: "only POST" } };

  const read = await readBoundedBody(request, options.maxBodyBytes);
  if (read.kind === "too-large") {
    const reason = `the body is over ${options.maxBodyBytes} bytes`;
    return { outcome: "too-large", body: { error: reason }, reason };
  }
  let message: unknown;
  try {
    message = JSON.parse(read.body.toString("utf8"));
  } catch {
    // V8's message quotes the body, which holds a user's profile: say only what is wrong.
    return { outcome: "malformed", body: { error: "the body is not JSON" }, reason: "the body is not JSON" };
  }
  const eventId = eventIdOf(message);
  const decision = decide(message, options.rules);
  switch (decision.kind) {
    case "ignore":
      return {
        outcome: "ignored",
        body: { status: "ignored", reason: decision.reason },
        reason: decision.reason,
        eventId,
      };
    case "reject": {
      const reason = `not a user event this sync can handle: ${decision.reason}`;
      return { outcome: "rejected", body: { error: reason }, reason, eventId };
    }
    case "enqueue":
      return store(decision.job, options.queue);
    default: {
      const never: never = decision;
      throw new Error(`unexpected decision ${JSON.stringify(never)}`);
    }
  }
}

/** An event that makes the mapping throw would throw on every retry too: it is rejected, not failed. */
function decide(message: unknown, rules: DeliveryRules): DeliveryDecision {
  try {
    return decideDelivery(message, rules);
  } catch (error) {
    return { kind: "reject", reason: `it cannot be mapped (${messageOf(error)})` };
  }
}

async function store(job: SyncJob, queue: IntakeQueue): Promise<Answer> {
  const eventId = job.event.id;
  try {
    const jobId = await queue.store(job);
    return { outcome: "queued", body: { status: "queued", jobId }, eventId };
  } catch (error) {
    const body = { error: "the job could not be stored; Auth0 retries" };
    return { outcome: "unavailable", body, reason: `Redis: ${messageOf(error)}`, eventId };
  }
}

function record(answer: Answer, durationMs: number, options: IntakeServerOptions): void {
  options.metrics.intakeRequests.inc({ outcome: answer.outcome });
  const fields = {
    outcome: answer.outcome,
    status: intakeStatus[answer.outcome],
    eventId: answer.eventId,
    reason: answer.reason,
    durationMs,
  };
  if (answer.outcome === "queued") options.logger.info(fields, "intake: job queued");
  else if (answer.outcome === "ignored") options.logger.info(fields, "intake: event ignored");
  else if (answer.outcome === "error") options.logger.error(fields, "intake: delivery failed");
  else options.logger.warn(fields, "intake: delivery refused");
}

function respond(request: IncomingMessage, response: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (answer.outcome === "unauthorized") headers["www-authenticate"] = 'Bearer realm="group-sync-intake"';
  if (answer.outcome === "method-not-allowed") headers.allow = "POST";
  // A body left unread (refused before or while reading) is not drained: the connection closes.
  if (!request.readableEnded) headers.connection = "close";
  if (response.destroyed) return;
  response.writeHead(intakeStatus[answer.outcome], headers);
  response.end(JSON.stringify(answer.body));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
