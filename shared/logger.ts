// The pino logger both deployables use. Secrets never reach a log line: known secret fields are
// redacted by path, and credentials inside URLs are masked before they are logged.
import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/** Field paths that may carry a secret anywhere in a log record. */
export const redactedPaths = [
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "secrets",
  "*.secrets",
  "password",
  "*.password",
  "clientSecret",
  "*.clientSecret",
];

export function makeLogger(options: { level?: string; name?: string } = {}, destination?: pino.DestinationStream) {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(config, destination) : pino(config);
}

/** `redis://user:secret@host:6379` → `redis://user:***@host:6379`. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
