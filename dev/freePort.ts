// A loopback port nothing listens on right now, for the worker's or the emulator's HTTP server in
// tests and the benchmark: the OS picks it, so parallel runs never collide on a fixed number.
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address !== null) resolve(address.port);
        else reject(new Error("the OS gave no port"));
      });
    });
  });
}
