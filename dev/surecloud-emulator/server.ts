// startEmulator(): the node:http server that serves each tenant's API under /<tenantId>/api/v1 and
// the admin surface under /_emulator/, with faults, auth and the request log applied in that order.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../../shared/configFile.js";
import { ADMIN_PREFIX, handleAdmin } from "./admin.js";
import { type EmulatorCore, type EmulatorOptions, emulatorOptionsSchema, makeEmulatorCore } from "./core.js";
import type { FaultsInput, FaultsStatus } from "./faults.js";
import { sendError } from "./http.js";
import { HttpError } from "./httpError.js";
import { isWriteMethod, type LoggedRequest, type RequestFilter } from "./requestLog.js";
import { matchRoute, runOperation } from "./routes.js";
import type { TenantState, TenantStore } from "./store.js";

export interface Emulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** `http://127.0.0.1:<port>/<tenantId>/api/v1`: what a tenants file's `surecloud.baseUrl` points at. */
  baseUrlFor(tenantId: string): string;
  /** The tenant's store: seed users and memberships, read state. Throws for an unknown tenant. */
  store(tenantId: string): TenantStore;
  state(tenantId: string): TenantState;
  requests(filter?: RequestFilter): LoggedRequest[];
  resetLog(): void;
  /** Replaces every fault setting; `{}` switches faults off. */
  setFaults(faults: FaultsInput): void;
  faults(): FaultsStatus;
  /** Every tenant back to its seeded groups with no users; log cleared; faults off. */
  reset(): void;
  close(): Promise<void>;
}

/** Latency waits that close() can cut short, so closing never hangs on an injected delay. */
function makeDelays() {
  const pending = new Set<() => void>();
  return {
    wait(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          pending.delete(finish);
          resolve();
        };
        const timer = setTimeout(finish, ms);
        pending.add(finish);
      });
    },
    releaseAll(): void {
      for (const finish of [...pending]) finish();
    },
  };
}

function authenticate(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match || match[1] !== token) {
    const message = header
      ? "bearer token is not valid for this tenant"
      : "Authorization: Bearer <token> required";
    throw new HttpError(401, "unauthorized", message, { "www-authenticate": "Bearer" });
  }
}

function answerFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendError(res, error);
    return;
  }
  // A bug in the emulator, not a client mistake: say so loudly rather than hide it in a 500.
  console.error("surecloud-emulator: unexpected error", error);
  sendError(res, new HttpError(500, "internal_error", "unexpected emulator error"));
}

async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  core: EmulatorCore,
  wait: (ms: number) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const method = req.method ?? "GET";
  const entry: Omit<LoggedRequest, "seq" | "status" | "durationMs"> = {
    method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    tenant: null,
    operation: null,
    write: isWriteMethod(method),
    fault: null,
    time: new Date().toISOString(),
  };
  try {
    const [tenantId, api, version, ...rest] = url.pathname.split("/").slice(1);
    const tenant = tenantId ? core.tenants.get(tenantId) : undefined;
    if (!tenant || api !== "api" || version !== "v1") {
      throw new HttpError(404, "not_found", `no tenant API at ${url.pathname}`);
    }
    entry.tenant = tenantId ?? null;
    const route = matchRoute(method, rest);
    if (!(route instanceof HttpError)) entry.operation = route.operation;
    const decision = core.faults.decide();
    if (decision.delayMs > 0) await wait(decision.delayMs);
    if (decision.failure) {
      entry.fault = decision.failure.status === 429 ? "throttle" : "error";
      throw decision.failure;
    }
    authenticate(req, tenant.token);
    if (route instanceof HttpError) throw route;
    await runOperation({ req, res, url, store: tenant.store, route });
  } catch (error) {
    answerFailure(res, error);
  } finally {
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    core.log.record({ ...entry, status: res.statusCode, durationMs });
  }
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const config = parseConfig(emulatorOptionsSchema, options, "emulator options");
  const core = makeEmulatorCore(config);
  const delays = makeDelays();
  let base = "";
  const baseUrlFor = (tenantId: string) => `${base}/${encodeURIComponent(tenantId)}/api/v1`;

  const server = createServer((req, res) => {
    // Prefixed rather than resolved, so a path like `//acme/...` cannot turn into a host name.
    const url = new URL(`http://emulator.invalid${req.url ?? "/"}`);
    if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      handleAdmin(req, res, url, { core, baseUrlFor }).catch((error: unknown) => answerFailure(res, error));
      return;
    }
    void handleApi(req, res, url, core, delays.wait);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;

  const store = (tenantId: string): TenantStore => {
    const tenant = core.tenants.get(tenantId);
    if (!tenant) throw new Error(`surecloud-emulator: no tenant "${tenantId}"`);
    return tenant.store;
  };
  return {
    url: base,
    port,
    baseUrlFor,
    store,
    state: (tenantId) => store(tenantId).state(),
    requests: (filter) => core.log.list(filter),
    resetLog: () => core.log.clear(),
    setFaults: (faults) => core.faults.set(faults),
    faults: () => core.faults.current(),
    reset: () => core.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        delays.releaseAll();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
