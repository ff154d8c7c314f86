// A redis-server of the test's own on a free loopback port, so fault tests can stop, restart or
// password-protect Redis without touching the shared one on 6379.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../dev/freePort.js";
import { untilRedisReady } from "../helpers/redisReady.js";

export interface PrivateRedisOptions {
  /** Keep data across restarts (append-only file), as production Redis for the queue should. Default false. */
  persist?: boolean;
  /** `requirepass`; the URL then carries it. */
  password?: string;
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Starts the server (again) on the same port and data directory; nothing when it runs. */
  start(): Promise<void>;
  /** Stops the server the way an operator's restart does (SIGTERM: the append-only file is flushed). */
  stop(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

/** Servers still running when the test process ends (a test that timed out) go with it. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const server of running) server.kill("SIGKILL");
});

/** A redis-server on loopback `port`, its files in `dir`, no snapshots; append-only when `persist`. */
export function loopbackServerArgs(port: number, dir: string, persist = false): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    persist ? "yes" : "no",
    "--dir",
    dir,
  ];
}

export async function makePrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "group-sync-redis-"));
  const args = [
    ...loopbackServerArgs(port, dir, options.persist === true),
    ...(options.password ? ["--requirepass", options.password] : []),
  ];
  let child: ChildProcess | undefined;
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    // A second server on the port would fail to bind, and the running one would be orphaned.
    if (isRunning()) return;
    const server = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    child = server;
    running.add(server);
    server.once("exit", () => running.delete(server));
    await untilRedisReady(server);
  };

  const stop = async () => {
    const server = child;
    child = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      server.once("exit", () => resolve());
      server.kill("SIGTERM");
    });
  };

  await start();
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
