// The dashboard's browser session: each `?token=` link opens its own random session that ends after
// its Max-Age (and with the process), and the redirect that drops the token from the address bar
// never leaves /dashboard, however the path is dressed up.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../dev/freePort.js";
import { workerDefaults } from "../../../worker/defaults.js";
import { makeDashboard } from "../../../worker/http/dashboard.js";

const token = `dash-${randomBytes(16).toString("hex")}`;
const HOUR = 60 * 60 * 1000;
let clock = Date.parse("2026-11-02T08:00:00.000Z");
const now = () => clock;
let queue: Queue;
const servers: Server[] = [];

/** A dashboard of its own (as a worker process has), on a free port; returns its port. */
async function startDashboard(): Promise<number> {
  const server = createServer(makeDashboard({ queue, token, now }));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  servers.push(server);
  return port;
}

/** A GET with the path sent exactly as written: fetch would resolve `..` before sending. */
function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; location?: string; setCookie: string }>((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port, path, headers }, (response) => {
      response.resume();
      resolve({
        status: response.statusCode ?? 0,
        location: response.headers.location,
        setCookie: response.headers["set-cookie"]?.join("\n") ?? "",
      });
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** Opens a session with a `?token=` link; returns the cookie header to send with it and the Set-Cookie. */
async function login(port: number) {
  const link = await get(port, `/dashboard/?token=${token}`);
  expect(link.status).toBe(303);
  return { cookie: link.setCookie.split(";")[0] ?? "", setCookie: link.setCookie };
}
const queuesWith = (port: number, cookie: string) => get(port, "/dashboard/api/queues", { cookie });

let port: number;
beforeAll(async () => {
  queue = new Queue(`test-${randomUUID()}`, { connection: { url: workerDefaults.REDIS_URL } });
  port = await startDashboard();
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await queue.obliterate({ force: true });
  await queue.close();
});

describe("sessions", () => {
  it("gives every login its own random cookie, none derived from the token", async () => {
    const first = await login(port);
    const second = await login(port);
    expect(first.cookie).toMatch(/^group_sync_dashboard=[A-Za-z0-9_-]{40,}$/);
    expect(second.cookie).not.toBe(first.cookie);
    expect(first.setCookie).not.toContain(token);
    expect((await queuesWith(port, first.cookie)).status).toBe(200);
    expect((await queuesWith(port, second.cookie)).status).toBe(200);
  });

  it("ends a session after eight hours, the Max-Age the browser was given", async () => {
    const { cookie, setCookie } = await login(port);
    expect(setCookie).toMatch(/Max-Age=28800(;|$)/);
    clock += 8 * HOUR - 1000;
    expect((await queuesWith(port, cookie)).status).toBe(200);
    clock += 1000;
    expect((await queuesWith(port, cookie)).status).toBe(401);
    // The token still opens a new one.
    expect((await queuesWith(port, (await login(port)).cookie)).status).toBe(200);
  });

  it("does not accept a session another process (or this one before a restart) opened", async () => {
    const { cookie } = await login(port);
    const restarted = await startDashboard();
    expect((await queuesWith(restarted, cookie)).status).toBe(401);
    expect((await queuesWith(port, cookie)).status).toBe(200);
  });

  it("refuses a made-up session cookie", async () => {
    expect(
      (await queuesWith(port, `group_sync_dashboard=${randomBytes(32).toString("base64url")}`)).status,
    ).toBe(401);
    expect((await queuesWith(port, "group_sync_dashboard=")).status).toBe(401);
  });
});

describe("the redirect after a ?token= link", () => {
  it.each([
    ["/dashboard/..//evil.example/", "/dashboard/"],
    ["/dashboard/%2e%2e//evil.example/", "/dashboard/"],
    ["/dashboard/..%2f%2fevil.example/", "/dashboard/..%2f%2fevil.example/"],
    ["/dashboard/..\\\\evil.example/", "/dashboard/"],
    ["/dashboard/../../x", "/dashboard/"],
    ["/dashboard//evil.example/", "/dashboard/evil.example/"],
    ["/dashboard/queue/acme?status=failed", "/dashboard/queue/acme?status=failed"],
    ["/dashboard", "/dashboard"],
  ])("%s goes to %s", async (path, expected) => {
    const joiner = path.includes("?") ? "&" : "?";
    const link = await get(port, `${path}${joiner}token=${token}`);
    expect(link.status).toBe(303);
    expect(link.location).toBe(expected);
    expect(link.location).toMatch(/^\/dashboard(\/|$|\?)/);
  });
});
