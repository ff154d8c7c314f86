// A lane: one SureCloud emulator, one queue, one Redis gate and one worker process at a time, and
// the kill mechanics — each kill triggered by what the emulator and Redis have seen, never by a sleep,
// and checked when it lands:
// - every emulator request waits LATENCY_MS before it is served, so a request is seen arriving (the
//   fault layer's counter runs ahead of the request log) and the worker is killed while it waits.
//   The emulator still serves it: a PUT/DELETE is applied after the worker died; a POST/PATCH, whose
//   body is read after the wait, fails (500) and writes nothing. Both happen to real clients.
// - "answered, not acted on": the worker is frozen (SIGSTOP) while the write is in flight, the
//   emulator applies and answers it, then the worker is killed: it never read the answer.
// - points between two Redis commands (intent stored; record stored): the worker reaches Redis through
//   a gate (tests/helpers/redisGate.ts) that shuts right after that command, so it never sees the reply.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { REDIS_URL } from "../../../dev/localStack.js";
import type { LoggedRequest } from "../../../dev/surecloud-emulator/requestLog.js";
import { auditIntentKey, syncStatePrefix } from "../../../worker/redisKeys.js";
import { type Pipeline, startPipeline, stopProcess } from "../../helpers/pipeline.js";
import { type GateVerdict, openRedisGate, type RedisGate } from "../../helpers/redisGate.js";
import { fastWorkerEnv } from "../scenario.js";
import type { Kill, Point } from "./killPoints.js";

/** Every emulator request is served this long after it arrives: the window a kill lands in. */
const LATENCY_MS = 300;
export const TENANT = "acme";
/** Stalled jobs are taken again ~2–4 s after a kill; a job killed many times must not fail as stalled. */
const workerEnv = { ...fastWorkerEnv, WORKER_MAX_STALLED_COUNT: "50" };
/** Generous: a kill point or a job that takes this long is stuck, not slow. */
export const WAIT_MS = 60_000;

export interface KillRecord {
  lane: string;
  scenario: string;
  attempt: number;
  label: string;
  /** The kill point's condition held when the worker was killed. */
  landed: boolean;
  /** The attempt's requests as the emulator logged them, and whether an intent was left. */
  detail: string;
  /** The emulator's last logged seq once the dead worker's requests were served (all but a slow one). */
  afterSeq: number;
}

interface GateEvent {
  kind: "intent" | "settle" | "record";
  /** Emulator requests arrived / logged when the command passed the gate. */
  arrivals: number;
  logged: number;
}

interface Attempt {
  arrivals: number;
  logged: number;
  events: GateEvent[];
  /** Gate connections inside a MULTI that holds an XADD (the audit record) not yet EXECed. */
  recording: Set<number>;
  /** The gate point to shut at, if this attempt's kill is one. */
  shutAt: Point | undefined;
}

function newAttempt(arrivals: number, logged: number, shutAt: Point | undefined): Attempt {
  return { arrivals, logged, events: [], recording: new Set(), shutAt };
}

// RESP as ioredis writes it: `*n\r\n$len\r\nname\r\n$len\r\narg…`.
const INTENT_SET = /\r\nset\r\n\$\d+\r\n[^\r]*:intent:/i;
const INTENT_DEL = /\r\ndel\r\n\$\d+\r\n[^\r]*:intent:/i;
const XADD = /\r\nxadd\r\n/i;
const EXEC = /\r\nexec\r\n/i;

export class Lane {
  worker: ChildProcess | undefined;
  /** Every kill in this lane, in order, as it landed (or not). */
  readonly kills: KillRecord[] = [];
  /** Whether the worker has run a job (and so holds the group list in its cache). */
  served = false;
  attempt: Attempt = newAttempt(0, 0, undefined);
  /** Arrivals counted before the last fault change (the emulator restarts its counter then). */
  private arrivalBase = 0;

  private constructor(
    readonly name: string,
    readonly stack: Pipeline,
    readonly gate: RedisGate,
    /** A direct connection to Redis, not through the gate. */
    readonly redis: Redis,
  ) {
    gate.watch((chunk, connection) => this.watchRedis(chunk, connection));
  }

  /** The lane's emulator, queue and gate; no worker yet. */
  static async open(name: string, redis: Redis): Promise<Lane> {
    const gate = await openRedisGate(REDIS_URL);
    const stack = await startPipeline({
      workers: 0,
      workerEnv: { ...workerEnv, REDIS_URL: gate.url },
      queueName: `test-audit-crash-${name}-${randomUUID()}`,
    }).catch(async (error: unknown) => {
      await gate.close();
      throw error;
    });
    const lane = new Lane(name, stack, gate, redis);
    lane.setLatency(LATENCY_MS);
    return lane;
  }

  async close(): Promise<void> {
    try {
      await this.stack.stop();
    } finally {
      const keys = await this.redis.keys(`${syncStatePrefix(this.stack.queueName)}:*`);
      if (keys.length) await this.redis.del(...keys);
      await this.gate.close();
    }
  }

  /** API requests that reached the emulator (counted on arrival, before the latency). */
  arrivals(): number {
    return this.arrivalBase + this.stack.emulator.faults().seen;
  }
  /** The latency of requests arriving from now on. */
  setLatency(latencyMs: number): void {
    this.arrivalBase = this.arrivals();
    this.stack.emulator.setFaults({ latencyMs });
  }
  logged(): LoggedRequest[] {
    return this.stack.emulator.requests();
  }
  inFlight(): number {
    return this.arrivals() - this.logged().length;
  }
  tail(): string {
    return this.stack.output().slice(-4000);
  }
  intentKey(auth0UserId: string): string {
    return auditIntentKey(this.stack.queueName, TENANT, auth0UserId);
  }

  /** Sees each chunk the worker sends to Redis: notes intents and records, shuts the gate at a gate point. */
  private watchRedis(chunk: string, connection: number): GateVerdict {
    const attempt = this.attempt;
    const note = (kind: GateEvent["kind"]) => {
      attempt.events.push({ kind, arrivals: this.arrivals(), logged: this.logged().length });
      return attempt.events.filter((event) => event.kind === kind).length;
    };
    let verdict: GateVerdict = "pass";
    const shutAt = attempt.shutAt;
    if (INTENT_SET.test(chunk)) {
      const nth = note("intent");
      if (shutAt?.kind === "intent" && shutAt.nth === nth) verdict = "shut-after";
    }
    if (INTENT_DEL.test(chunk)) note("settle");
    if (XADD.test(chunk)) attempt.recording.add(connection);
    if (EXEC.test(chunk) && attempt.recording.delete(connection)) {
      const nth = note("record");
      if (shutAt?.kind === "recorded" && shutAt.nth === nth) verdict = "shut-after";
    }
    return verdict;
  }

  /** A new attempt is about to start: counts restart from here, and the gate knows its point. */
  beginAttempt(point: Point | undefined): void {
    const gatePoint = point?.kind === "intent" || point?.kind === "recorded" ? point : undefined;
    this.attempt = newAttempt(this.arrivals(), this.logged().length, gatePoint);
  }

  async startWorker(): Promise<void> {
    this.worker = await this.stack.startWorker();
    this.served = false;
  }

  /** A worker that has read nothing yet, so its first job's first request is a read. */
  async freshWorker(): Promise<void> {
    if (this.worker && !this.served) return;
    if (this.worker) await stopProcess(this.worker);
    await this.startWorker();
  }

  /** Waits until the point is reached in the current attempt, kills the worker there, and reports. */
  async killAt(kill: Kill, scenario: string, attemptNo: number, auth0UserId: string): Promise<KillRecord> {
    const worker = this.worker;
    if (!worker) throw new Error("no worker to kill");
    const exited = once(worker, "exit");
    const { point } = kill;
    const deadline = Date.now() + WAIT_MS;
    let landed = false;
    const slowMs = point.kind === "in-flight" ? point.slowMs : undefined;
    let slowed = false;
    for (;;) {
      // A slow write: once the write before it has arrived, the next request to arrive is that write.
      if (slowMs !== undefined && !slowed && point.kind === "in-flight") {
        slowed = this.reached({ ...point, write: point.write - 1 });
        if (slowed) this.setLatency(slowMs);
      }
      if (this.gate.isShut()) {
        worker.kill("SIGKILL");
        landed = true;
        break;
      }
      if (this.reached(point)) {
        if (point.kind === "answered") {
          // Frozen, it cannot read the answers; once SureCloud has given them, it dies.
          worker.kill("SIGSTOP");
          const sent = this.arrivals();
          await this.until("the frozen worker's writes to be answered", () => this.inFlight() === 0);
          landed = this.arrivals() === sent;
        } else {
          landed = this.inFlight() > 0;
        }
        worker.kill("SIGKILL");
        break;
      }
      if (worker.exitCode !== null || worker.signalCode !== null) {
        throw new Error(`worker exited before "${kill.label}":\n${this.tail()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`kill point "${kill.label}" not reached in ${WAIT_MS} ms:\n${this.tail()}`);
      }
      await sleep(2);
    }
    await exited;
    this.worker = undefined;
    this.gate.reset();
    if (slowMs !== undefined) {
      // The slow write stays in flight while the job is retried; every later request is quick again.
      this.setLatency(LATENCY_MS);
    } else {
      // What the dead worker sent is still served (a PUT/DELETE applied, a POST/PATCH failing): wait for it.
      await this.until("the dead worker's requests to be served", () => this.inFlight() === 0);
    }
    const requests = this.logged()
      .slice(this.attempt.logged)
      .map((request) => `${request.operation} ${request.status}`)
      .join(", ");
    const pending = (await this.redis.exists(this.intentKey(auth0UserId))) === 1;
    const record: KillRecord = {
      lane: this.name,
      scenario,
      attempt: attemptNo,
      label: kill.label,
      landed,
      detail: `[${requests}]${pending ? ", intent left" : ""}`,
      afterSeq: this.logged().at(-1)?.seq ?? 0,
    };
    this.kills.push(record);
    return record;
  }

  private reached(point: Point): boolean {
    const attempt = this.attempt;
    const intents = attempt.events.filter((event) => event.kind === "intent");
    const arrivals = this.arrivals();
    if (point.kind === "read") {
      return intents.length === 0 && arrivals - attempt.arrivals >= point.nth && this.inFlight() > 0;
    }
    if (point.kind === "in-flight" || point.kind === "answered") {
      const stated = intents[point.intent - 1];
      // After an intent the worker sends only its writes until it records them.
      return (
        stated !== undefined &&
        arrivals - stated.arrivals >= point.write &&
        this.logged().length - stated.logged < point.write
      );
    }
    return false;
  }

  async until(what: string, check: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.tail()}`);
      await sleep(5);
    }
  }
}
