// A TCP pass-through between a worker process and Redis that a test can shut at one exact command.
// The test sees every chunk a client sends (RESP, as latin1 text) and may shut the gate just before
// a chunk or right after forwarding it; once shut, nothing more passes either way until reset().
// A worker killed while the gate is shut has had exactly the commands before that point carried
// out by Redis and has seen none of their replies: a crash between two Redis commands, on demand.
import { connect, createServer, type Socket } from "node:net";

/** What the gate does with a chunk: forward it, or shut before it, or forward it and then shut. */
export type GateVerdict = "pass" | "shut-before" | "shut-after";

/** Called for each chunk a client sends; `connection` tells the gate's client connections apart. */
export type GateWatcher = (chunk: string, connection: number) => GateVerdict;

export interface RedisGate {
  /** `redis://127.0.0.1:<port>`: the REDIS_URL to give the worker. */
  url: string;
  /** Replaces the watcher; none forwards everything. */
  watch(watcher: GateWatcher | undefined): void;
  isShut(): boolean;
  /** Drops whatever was held back, closes every connection through the gate and opens it again. */
  reset(): void;
  close(): Promise<void>;
}

export async function openRedisGate(redisUrl: string): Promise<RedisGate> {
  const target = new URL(redisUrl);
  const host = target.hostname || "127.0.0.1";
  const port = Number(target.port || 6379);
  const sockets = new Set<Socket>();
  let watcher: GateWatcher | undefined;
  let shut = false;
  let connections = 0;

  const server = createServer((client) => {
    const connection = ++connections;
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      // A peer killed mid-command resets the connection: expected here, and the other side goes too.
      socket.on("error", () => undefined);
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (chunk: Buffer) => {
      if (shut) return;
      const verdict = watcher?.(chunk.toString("latin1"), connection) ?? "pass";
      if (verdict === "shut-before") {
        shut = true;
        return;
      }
      upstream.write(chunk);
      if (verdict === "shut-after") shut = true;
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!shut) client.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("redis gate: no port");

  const reset = () => {
    for (const socket of [...sockets]) socket.destroy();
    sockets.clear();
    shut = false;
  };
  return {
    url: `redis://${target.username || target.password ? `${target.username}:${target.password}@` : ""}127.0.0.1:${address.port}`,
    watch(next) {
      watcher = next;
    },
    isShut: () => shut,
    reset,
    close() {
      reset();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
