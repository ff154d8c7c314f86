// deploy-cli 8.44 carries on after some Management API refusals and only logs them: the enabled-clients
// update and read (handlers/connections.ts: updateConnectionEnabledClients, getConnectionEnabledClients,
// processConnectionEnabledClients), the directory-provisioning read (getConnectionDirectoryProvisionings),
// SCIM calls refused with 403, 400 "already exists" or 429 (scimHandler.ts: handleExpectedErrors), a
// read skipped for a missing scope (APIHandler.load, utils.isForbiddenFeatureError). This watches its
// logger for the length of a run, so the deploy can fail on them instead of reporting success.
import type { createRequire } from "node:module";

/** One call deploy-cli logged as refused or skipped and carried on from. */
export interface LoggedRefusal {
  /** deploy-cli's log message, on one line. */
  message: string;
  /** The connection id it names, when it names one, so the deploy can show the connection's name. */
  connectionId?: string;
}

/** A warning that reports a refused call; `connection` is the capture group holding a connection id. */
const refusalWarnings: { pattern: RegExp; connection?: number }[] = [
  { pattern: /^Unable to retrieve enabled clients for connection (\S+):/, connection: 1 },
  { pattern: /^Unable to find ID for newly created / },
  { pattern: /^Unable to fetch / },
  { pattern: /^Insufficient scope, "/ },
  { pattern: /^SCIM configuration already exists on connection "([^"]+)"/, connection: 1 },
  { pattern: /^Cannot retrieve \S+ due to missing scopes/ },
  { pattern: / - Skipping \w+$/ },
];

/** The connection id of deploy-cli's error for a refused enabled-clients update. */
const enabledClientsError = /^Unable to update enabled clients for \w+: (\S+?):/;

/**
 * The refusal a log entry reports, if any. Every error-level entry is one: deploy-cli logs at that
 * level only what failed. A warning is one when it reports a refused or skipped call; the others
 * (deletes left disabled, a rate limit it retries, options it infers were hidden) are not.
 */
export function refusalIn(level: string, text: string): LoggedRefusal | undefined {
  const message = text.replace(/\s+/g, " ").trim();
  if (level === "error") {
    const connectionId = enabledClientsError.exec(message)?.[1];
    return connectionId ? { message, connectionId } : { message };
  }
  if (level !== "warn") return undefined;
  for (const { pattern, connection } of refusalWarnings) {
    const match = pattern.exec(message);
    if (!match) continue;
    const connectionId = connection === undefined ? undefined : match[connection];
    return connectionId ? { message, connectionId } : { message };
  }
  return undefined;
}

export interface RefusalWatch {
  /** Stops watching; the refusals logged since it started. */
  stop(): Promise<LoggedRefusal[]>;
}

interface WinstonLogger {
  add(transport: unknown): void;
  remove(transport: unknown): void;
}
type LogInfo = { message?: unknown; [key: symbol]: unknown };
type TransportClass = new (options: {
  level: string;
  log: (info: LogInfo, next: () => void) => void;
}) => unknown;

/** Starts collecting refusals from deploy-cli's logger (`fromCli` requires from inside deploy-cli). */
export function watchRefusals(fromCli: ReturnType<typeof createRequire>): RefusalWatch {
  const logger = (fromCli("./logger") as { default: WinstonLogger }).default;
  const Transport = fromCli("winston-transport") as TransportClass;
  const refusals: LoggedRefusal[] = [];
  const transport = new Transport({
    level: "warn",
    log: (info, next) => {
      // Winston keeps the level uncoloured under this symbol; `info.level` may carry colour codes.
      const level = String(info[Symbol.for("level")]);
      const refusal = refusalIn(level, String(info.message ?? ""));
      if (refusal) refusals.push(refusal);
      next();
    },
  });
  logger.add(transport);
  return {
    async stop() {
      // Entries logged just before the run ended reach transports on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      logger.remove(transport);
      return refusals;
    },
  };
}
