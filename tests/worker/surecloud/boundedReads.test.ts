// SureCloud answers a worker must survive, over real HTTP from a misbehaving server on 127.0.0.1:
// a Retry-After of years, a cursor that never ends, an answer of endless megabytes. Each ends as a
// bounded failure that names the tenant and what was seen, never as a frozen tenant or a full heap.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../dev/freePort.js";
import { PermanentError, RetryableError } from "../../../shared/errors.js";
import { workerDefaults } from "../../../worker/defaults.js";
import { makeSureCloudClient } from "../../../worker/surecloud/httpClient.js";
import type { RateGate } from "../../../worker/surecloud/rateGate.js";

const token = "sc-test-token-bounded-5e4d3c2b";
const cap = workerDefaults.SURECLOUD_RETRY_AFTER_CAP_MS;
const MB = 1024 * 1024;
const group = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  name: `G ${n}`,
});

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let server: Server | undefined;
/** Every request the server received, as its URL. */
let requests: string[] = [];

async function serve(handler: Handler): Promise<string> {
  const port = await freePort();
  const listening = createServer((request, response) => {
    requests.push(request.url ?? "");
    handler(request, response);
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(port, "127.0.0.1", resolve));
  return `http://127.0.0.1:${port}/api/v1`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  requests = [];
});

function client(baseUrl: string, extra: Partial<Parameters<typeof makeSureCloudClient>[0]> = {}) {
  return makeSureCloudClient({ baseUrl, token, timeoutMs: 30_000, tenantId: "acme", ...extra });
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => new Error("expected the call to fail"),
    (reason: unknown) => reason,
  );
  if (!(outcome instanceof PermanentError || outcome instanceof RetryableError)) throw outcome;
  return outcome;
}

const json = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
};

describe("Retry-After", () => {
  it.each([
    ["99999999 seconds", "99999999"],
    ["an HTTP date years ahead", new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000).toUTCString()],
  ])("caps a Retry-After of %s, for the job's retry and for the tenant's pause", async (_, retryAfter) => {
    const baseUrl = await serve((_request, response) =>
      json(
        response,
        429,
        { error: { code: "rate_limited", message: "come back in 2030" } },
        {
          "retry-after": retryAfter,
        },
      ),
    );
    const pauses: number[] = [];
    const gate: RateGate = { acquire: async () => undefined, pauseFor: (ms) => pauses.push(ms) };
    const error = await failureOf(client(baseUrl, { gate }).listUserGroups("u-1"));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: cap });
    expect(pauses).toEqual([cap]);
  });

  it("keeps a Retry-After under the cap as SureCloud sent it", async () => {
    const baseUrl = await serve((_request, response) => json(response, 429, {}, { "retry-after": "7" }));
    expect(await failureOf(client(baseUrl).listUserGroups("u-1"))).toMatchObject({ retryAfterMs: 7000 });
  });

  it("is capped at five minutes: long enough for a rate window, short enough to keep rule 9's promise", () => {
    expect(cap).toBe(5 * 60 * 1000);
  });
});

describe("paging", () => {
  /** A listGroups that never ends: every page is empty and hands out a cursor it never gave before. */
  const endless: Handler = (request, response) => {
    const n = Number(new URL(request.url ?? "", "http://x").searchParams.get("cursor")?.slice(1) ?? 0);
    json(response, 200, { items: n % 2 === 0 ? [] : [group(n)], nextCursor: `c${n + 1}` });
  };

  it("gives up an endless cursor after maxPages requests, naming the tenant, pages, groups and time", async () => {
    const baseUrl = await serve(endless);
    const error = await failureOf(client(baseUrl, { maxPages: 25 }).listGroups());
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(requests).toHaveLength(25);
    expect(error.message).toContain('tenant "acme"');
    expect(error.message).toMatch(/25 pages/);
    expect(error.message).toMatch(/12 groups/);
    expect(error.message).toMatch(/\d+(\.\d+)? s\b/);
  });

  it("gives up a listing that outlasts its time budget, whatever the page count", async () => {
    const baseUrl = await serve(endless);
    let clock = 0;
    // Each look at the clock is one second later: the budget runs out after a few pages.
    const now = () => (clock += 1000);
    const error = await failureOf(
      client(baseUrl, { maxPages: 1000, pagingBudgetMs: 10_000, now }).listGroups(),
    );
    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.length).toBeLessThanOrEqual(11);
    expect(error.message).toContain('tenant "acme"');
    expect(error.message).toMatch(/1[01](\.0)? s/);
  });

  it("defaults to bounds a real catalogue never meets but an endless cursor soon does", async () => {
    const baseUrl = await serve(endless);
    const error = await failureOf(client(baseUrl).listGroups());
    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(requests).toHaveLength(workerDefaults.SURECLOUD_MAX_PAGES);
    expect(workerDefaults.SURECLOUD_MAX_PAGES * 500).toBeGreaterThanOrEqual(10_000);
  });

  it("still lists a catalogue that takes exactly maxPages pages", async () => {
    const baseUrl = await serve((request, response) => {
      const n = Number(new URL(request.url ?? "", "http://x").searchParams.get("cursor") ?? 0);
      json(response, 200, { items: [group(n)], nextCursor: n < 2 ? String(n + 1) : null });
    });
    expect(await client(baseUrl, { maxPages: 3 }).listGroups()).toHaveLength(3);
  });
});

describe("answer size", () => {
  /**
   * Streams `bytes` of a JSON group page lazily (one reused chunk, written only when the socket
   * drains), so the server itself holds almost nothing. Resolves with the bytes it got to write.
   */
  function streamHuge(
    response: ServerResponse,
    status: number,
    bytes: number,
    declare = false,
  ): Promise<number> {
    const entry = Buffer.from(`${JSON.stringify(group(1))},`);
    const chunk = Buffer.concat(Array.from({ length: Math.ceil((64 * 1024) / entry.length) }, () => entry));
    response.writeHead(status, {
      "content-type": "application/json",
      ...(declare ? { "content-length": String(bytes) } : {}),
    });
    response.on("error", () => undefined);
    response.write('{"items":[');
    let written = 10;
    return new Promise((resolve) => {
      const pump = () => {
        while (written < bytes && !response.destroyed) {
          const piece = chunk.subarray(0, Math.min(chunk.length, bytes - written));
          written += piece.length;
          // Wait for the client to take this chunk before making the next.
          if (!response.write(piece)) return;
        }
        response.end();
        resolve(written);
      };
      response.on("drain", pump);
      response.on("close", () => resolve(written));
      pump();
    });
  }

  it("stops reading a 100 MB listGroups answer at the limit, and memory stays far below the body", async () => {
    const body = 100 * MB;
    let sent: Promise<number> = Promise.resolve(0);
    const baseUrl = await serve((_request, response) => {
      sent = streamHuge(response, 200, body);
    });
    const before = process.memoryUsage().rss;
    const error = await failureOf(client(baseUrl).listGroups());
    const grown = process.memoryUsage().rss - before;
    const written = await sent;
    console.info(`rss grew ${(grown / MB).toFixed(1)} MB; server wrote ${(written / MB).toFixed(1)} MB`);

    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(error.message).toContain('tenant "acme"');
    expect(error.message).toContain("listGroups");
    expect(error.message).toContain(`${workerDefaults.SURECLOUD_MAX_RESPONSE_BYTES / MB} MiB`);
    expect(grown).toBeLessThan(body / 2);
    expect(written).toBeLessThan(body);
  });

  it("refuses an answer whose Content-Length is over the limit without reading it", async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const baseUrl = await serve((_request, response) => {
      sent = streamHuge(response, 200, 50 * MB, true);
    });
    const error = await failureOf(client(baseUrl, { maxResponseBytes: MB }).listUserGroups("u-1"));
    expect(error).toMatchObject({ reason: "surecloud-rejected" });
    expect(error.message).toContain("listUserGroups");
    expect(error.message).toContain("1 MiB");
    expect(await sent).toBeLessThan(50 * MB);
  });

  it("keeps a huge error answer a retryable 503, reading only the start of it", async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const baseUrl = await serve((_request, response) => {
      sent = streamHuge(response, 503, 50 * MB);
    });
    const error = await failureOf(client(baseUrl).findUser({ email: "jo@acme.example" }));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ status: 503 });
    expect(await sent).toBeLessThan(25 * MB);
  });

  it("reads a 500-group page with long descriptions well inside the limit", async () => {
    const items = Array.from({ length: 500 }, (_, n) => ({ ...group(n), description: "d".repeat(4000) }));
    const baseUrl = await serve((_request, response) => json(response, 200, { items, nextCursor: null }));
    expect(await client(baseUrl).listGroups()).toHaveLength(500);
  });
});
