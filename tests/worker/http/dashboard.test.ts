// The queue dashboard as an operator meets it: off unless DASHBOARD_TOKEN is set; then every request
// needs the token (bearer header, or a `?token=` link that leaves a session cookie for the browser UI),
// and the token never shows up in logs, metrics or readiness. Runs `node dist/worker/main.js`.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../dev/freePort.js";
import { type Pipeline, startPipeline, stopProcess } from "../../helpers/pipeline.js";

const token = `dash-${randomBytes(16).toString("hex")}`;
let pipeline: Pipeline;
let port: number;
let worker: ChildProcess;

beforeAll(async () => {
  pipeline = await startPipeline({ workers: 0 });
  port = await freePort();
  worker = await pipeline.startWorker({ HTTP_PORT: String(port), DASHBOARD_TOKEN: token });
});
afterAll(async () => {
  await pipeline?.stop();
});

const get = (path: string, headers: Record<string, string> = {}, at = port) =>
  fetch(`http://127.0.0.1:${at}${path}`, { headers, redirect: "manual" });
const bearer = { authorization: `Bearer ${token}` };

describe("dashboard on", () => {
  it("refuses requests without the token, or with a wrong one", async () => {
    for (const path of ["/dashboard", "/dashboard/", "/dashboard/api/queues", "/dashboard/static/x.js"]) {
      const response = await get(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain(token);
    }
    expect((await get("/dashboard/api/queues", { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await get("/dashboard/api/queues", { authorization: "Bearer " })).status).toBe(401);
    expect((await get(`/dashboard?token=${token.slice(0, -1)}`)).status).toBe(401);
  });

  it("serves the UI and lists the worker's queue through Bull Board's API with the bearer token", async () => {
    const page = await get("/dashboard", bearer);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("SureCloud group sync");

    const api = await get("/dashboard/api/queues", bearer);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; hasWorkers?: boolean }> };
    expect(body.queues.map((queue) => queue.name)).toEqual([pipeline.queueName]);
  });

  it("trades a ?token= link for an HttpOnly cookie that lets the browser UI's assets and API through", async () => {
    const link = await get(`/dashboard/?token=${token}`);
    expect(link.status).toBe(303);
    // The token leaves the address bar: the redirect goes to the same page without it.
    expect(link.headers.get("location")).toBe("/dashboard/");
    const setCookie = link.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\/dashboard;/);
    expect(setCookie).not.toContain(token);
    const cookie = { cookie: setCookie.split(";")[0] ?? "" };

    const page = await get("/dashboard/", cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="(static\/js\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await get(`/dashboard/${script}`, cookie)).status).toBe(200);
    expect((await get("/dashboard/api/queues", cookie)).status).toBe(200);
    expect((await get("/dashboard/api/queues", { cookie: "group_sync_dashboard=forged" })).status).toBe(401);

    // Behind a TLS-terminating proxy the cookie is marked Secure.
    const proxied = await get(`/dashboard/?token=${token}`, { "x-forwarded-proto": "https" });
    expect(proxied.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("keeps the token out of /metrics, /readyz and the worker's logs", async () => {
    const metrics = await (await get("/metrics")).text();
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(metrics).not.toContain(token);
    expect(await ready.text()).not.toContain(token);
    expect(pipeline.output()).not.toContain(token);
    expect(pipeline.logs.find((line) => line.msg === "worker started")).toMatchObject({ dashboard: true });
  });
});

describe("dashboard off or misconfigured", () => {
  it("answers 404 under /dashboard when DASHBOARD_TOKEN is unset, with health and metrics still served", async () => {
    const plainPort = await freePort();
    const plain = await pipeline.startWorker({ HTTP_PORT: String(plainPort) });
    try {
      expect((await get("/dashboard", bearer, plainPort)).status).toBe(404);
      expect((await get("/dashboard/api/queues", bearer, plainPort)).status).toBe(404);
      expect((await get("/healthz", {}, plainPort)).status).toBe(200);
      expect((await get("/metrics", {}, plainPort)).status).toBe(200);
    } finally {
      await stopProcess(plain);
    }
  });

  it("refuses to start with a token under 16 characters, naming the variable but not the value", async () => {
    const short = "short-tok-42";
    const start = pipeline.startWorker({ HTTP_PORT: String(await freePort()), DASHBOARD_TOKEN: short });
    await expect(start).rejects.toThrow(
      /exited with 78[\s\S]*DASHBOARD_TOKEN: must be at least 16 characters/,
    );
    expect(pipeline.output()).not.toContain(short);
  });
});

it("stops on SIGTERM with the dashboard on", async () => {
  const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
  worker.kill("SIGTERM");
  expect(await exited).toBe(0);
});
