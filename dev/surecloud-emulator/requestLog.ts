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
  /** 1, 2, 3… in arrival order; keeps counting across resetLog(). */
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
}

export interface RequestFilter {
  tenant?: string;
  operation?: ApiOperation;
  write?: boolean;
}

export interface RequestLog {
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
      entries.push({ seq, ...entry });
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
