// The log of API requests the emulator answered, so tests can assert what a client did
// (e.g. "only reads happened"). Admin requests are not logged: they are the test, not the client.

export type ApiOperation =
  | "listGroups"
  | "findUsers"
  | "createUser"
  | "getUser"
  | "updateUser"
  | "listUserGroups"
  | "addMember"
  | "removeMember";

export interface LoggedRequest {
  /**
   * 1, 2, 3… in the order answered (requests are logged when answered, so with latency a request may
   * come before one that arrived earlier); keeps counting across resetLog().
   */
  seq: number;
  method: string;
  /** Path without the query string, e.g. `/acme/api/v1/users/usr_1`. */
  path: string;
  /** The query string as sent, without `?`; "" when none. */
  query: string;
  /** The tenant id from the path; null when the path named no known tenant. */
  tenant: string | null;
  /** The contract's operationId; null for unknown routes and wrong methods. */
  operation: ApiOperation | null;
  status: number;
  /** True for POST, PATCH, PUT and DELETE: the requests that can change state. */
  write: boolean;
  /** Which injected fault answered instead of the API, if one did (latency is not counted). */
  fault: "error" | "throttle" | null;
  /** When the request arrived (ISO 8601). */
  time: string;
  durationMs: number;
  /**
   * When the request arrived and when it was answered, in epoch ms with sub-millisecond precision,
   * on the emulator's monotonic clock: compare them with each other (see roundsOf), not with other
   * clocks. `endMs - startMs` is `durationMs`. Always set by this log; optional in the type so that
   * code building an entry, and logs read from an older emulator, need not have them.
   */
  startMs?: number;
  endMs?: number;
}

export interface RequestFilter {
  tenant?: string;
  operation?: ApiOperation;
  write?: boolean;
}

export interface RequestLog {
  /** Records a request once it has been answered: `endMs` is now, unless the entry gives it. */
  record(entry: Omit<LoggedRequest, "seq">): void;
  list(filter?: RequestFilter): LoggedRequest[];
  clear(): void;
}

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

/** Entries kept before the oldest are dropped, so a long benchmark cannot exhaust memory. */
const MAX_ENTRIES = 100_000;

export function makeRequestLog(): RequestLog {
  const entries: LoggedRequest[] = [];
  let seq = 0;
  return {
    record(entry) {
      seq += 1;
      const endMs = entry.endMs ?? performance.timeOrigin + performance.now();
      entries.push({ seq, ...entry, startMs: entry.startMs ?? endMs - entry.durationMs, endMs });
      if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
    },
    list(filter = {}) {
      return entries
        .filter((entry) => filter.tenant === undefined || entry.tenant === filter.tenant)
        .filter((entry) => filter.operation === undefined || entry.operation === filter.operation)
        .filter((entry) => filter.write === undefined || entry.write === filter.write)
        .map((entry) => ({ ...entry }));
    },
    clear() {
      entries.length = 0;
    },
  };
}

/**
 * Groups requests into rounds of latency: requests whose time spans overlap belong to the same round
 * (overlap is transitive: a request overlapping any request of a round joins it). Requests that one
 * client sends one after another, each waiting for the answer before, fall in separate rounds. The
 * rounds come in time order, each in arrival order. Meaningful for the requests of one job at a time:
 * another job's requests in between would join its rounds.
 */
export function roundsOf<T extends LoggedRequest>(requests: readonly T[]): T[][] {
  const rounds: T[][] = [];
  let roundEnd = Number.NEGATIVE_INFINITY;
  const spans = requests.map((request) => ({ request, ...spanOf(request) }));
  for (const { request, startMs, endMs } of spans.sort((a, b) => a.startMs - b.startMs)) {
    const current = rounds.at(-1);
    if (current && startMs < roundEnd) {
      current.push(request);
      roundEnd = Math.max(roundEnd, endMs);
    } else {
      rounds.push([request]);
      roundEnd = endMs;
    }
  }
  return rounds;
}

/** When a request arrived and was answered; from `time` (whole ms only) for an entry without them. */
function spanOf(request: LoggedRequest): { startMs: number; endMs: number } {
  const startMs = request.startMs ?? Date.parse(request.time);
  return { startMs, endMs: request.endMs ?? startMs + request.durationMs };
}
