// The pino logger both deployables use. Secrets never reach a log line: every record is walked
// and secret-named fields are blanked at any depth (shared/redact.ts).
import { type Logger, type LoggerOptions, pino } from "pino";
import { redactSecrets } from "./redact.js";

export { maskUrl } from "./redact.js";
export type { Logger };

export function makeLogger(
  options: { level?: string; name?: string } = {},
  destination?: pino.DestinationStream,
) {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? "info",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: (error: unknown) => redactSecrets(error) },
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => redactSecrets(record) as Record<string, unknown>,
    },
  };
  return destination ? pino(config, destination) : pino(config);
}
