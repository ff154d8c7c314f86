// Redis topologies of the test's own, on free loopback ports, stopped afterwards: a Redis Cluster of
// three masters (redis-server --cluster-enabled yes, then redis-cli --cluster create), and a Sentinel
// group of one master, one replica and one sentinel (redis-server --sentinel).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../dev/freePort.js";
import type { HostPort } from "../../shared/redisSettings.js";
import { loopbackServerArgs } from "../faults/privateRedis.js";
import { untilRedisReady } from "../helpers/redisReady.js";

const run = promisify(execFile);

/** Servers still running when the test process ends (a test that timed out) go with it. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const server of running) server.kill("SIGKILL");
});

interface Server {
  port: number;
  child: ChildProcess;
}

/** A sentinel never logs "Ready to accept connections": it is ready once it answers PING. */
async function startServer(args: string[], port: number, sentinel = false): Promise<Server> {
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (sentinel)
    await until(`the sentinel on ${port}`, async () => (await cli(port, "ping")).includes("PONG"));
  else await untilRedisReady(child);
  return { port, child };
}

function stopServer(server: Server, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return (await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args])).stdout;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const common = (dir: string, port: number) => loopbackServerArgs(port, dir);

export interface PrivateCluster {
  /** The seed nodes, as REDIS_CLUSTER_NODES takes them. */
  nodes: HostPort[];
  destroy(): Promise<void>;
}

/** Three masters holding all 16384 slots, ready (cluster_state:ok on every node). */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = await mkdtemp(join(tmpdir(), "group-sync-cluster-"));
  const servers: Server[] = [];
  try {
    for (let index = 0; index < 3; index += 1) {
      // The cluster bus gets a free port of its own: port + 10000 may be taken, or past 65535.
      const [port, busPort] = [await freePort(), await freePort()];
      const args = [
        ...common(dir, port),
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        join(dir, `nodes-${port}.conf`),
        "--cluster-port",
        String(busPort),
        "--cluster-node-timeout",
        "2000",
      ];
      servers.push(await startServer(args, port));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"]);
    for (const server of servers) {
      await until(`cluster_state:ok on ${server.port}`, async () =>
        (await cli(server.port, "cluster", "info")).includes("cluster_state:ok"),
      );
    }
  } catch (error) {
    await Promise.all(servers.map((server) => stopServer(server, "SIGKILL")));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: servers.map((server) => ({ host: "127.0.0.1", port: server.port })),
    async destroy() {
      await Promise.all(servers.map((server) => stopServer(server)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateSentinelGroup {
  masterName: string;
  sentinels: HostPort[];
  /** The port of the current master, as the sentinel reports it. */
  masterPort(): Promise<number>;
  /** Has the sentinel promote the replica (SENTINEL FAILOVER) and waits until it reports the new master. */
  failover(): Promise<number>;
  destroy(): Promise<void>;
}

/** One master, one replica in sync with it, and one sentinel watching them. */
export async function startPrivateSentinelGroup(): Promise<PrivateSentinelGroup> {
  const dir = await mkdtemp(join(tmpdir(), "group-sync-sentinel-"));
  const masterName = "group-sync-test";
  const servers: Server[] = [];
  try {
    const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
    servers.push(await startServer(common(dir, masterPort), masterPort));
    const replicaArgs = [...common(dir, replicaPort), "--replicaof", "127.0.0.1", String(masterPort)];
    servers.push(await startServer(replicaArgs, replicaPort));
    await until("the replica in sync", async () =>
      (await cli(replicaPort, "info", "replication")).includes("master_link_status:up"),
    );
    // A sentinel rewrites its configuration file, so it gets one of its own.
    const config = join(dir, "sentinel.conf");
    await writeFile(
      config,
      [
        `port ${sentinelPort}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 2000`,
        `sentinel failover-timeout ${masterName} 10000`,
        "",
      ].join("\n"),
    );
    servers.push(await startServer([config, "--sentinel"], sentinelPort, true));
    await until("the sentinel to see the replica", async () =>
      (await cli(sentinelPort, "sentinel", "replicas", masterName)).includes(String(replicaPort)),
    );
    const masterPortNow = async () =>
      Number((await cli(sentinelPort, "sentinel", "get-master-addr-by-name", masterName)).split("\n")[1]);
    return {
      masterName,
      sentinels: [{ host: "127.0.0.1", port: sentinelPort }],
      masterPort: masterPortNow,
      async failover() {
        const before = await masterPortNow();
        await cli(sentinelPort, "sentinel", "failover", masterName);
        await until("the sentinel to report the new master", async () => (await masterPortNow()) !== before);
        const after = await masterPortNow();
        await until("the new master to take writes", async () =>
          (await cli(after, "info", "replication")).includes("role:master"),
        );
        return after;
      },
      async destroy() {
        await Promise.all(servers.map((server) => stopServer(server)));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => stopServer(server, "SIGKILL")));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
