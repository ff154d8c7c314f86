// Waiting for a redis-server a test spawned itself: its own "ready" line, not a guess at a delay.
import type { ChildProcess } from "node:child_process";

/** Resolves once the server logs that it accepts connections; rejects, with its output, if it exits first or takes over 5 s. */
export function untilRedisReady(server: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 5_000);
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}
