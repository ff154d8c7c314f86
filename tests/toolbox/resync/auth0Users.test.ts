// Reading a connection's users from the Management API (faked by nock at HTTP level): every page,
// a 429 with Retry-After mid-listing waited out, a 5xx retried, a lasting 5xx reported, and a
// connection over the search's 1000-user limit read through an export job.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readAuth0Credentials } from "../../../shared/auth0Credentials.js";
import { type Auth0UserPage, makeAuth0UserSource, pacingDelay } from "../../../toolbox/resync/auth0Users.js";
import { makeManagementClient } from "../../../worker/auth0/managementApi.js";
import { type FakeManagementApi, fakeManagementApi } from "./fakeManagementApi.js";

let auth0: FakeManagementApi;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  auth0 = fakeManagementApi();
});
afterEach(() => {
  auth0.close();
  nock.enableNetConnect();
});

function seed(count: number, connection = "acme-entra"): string[] {
  return Array.from({ length: count }, (_, index) => {
    const id = String(index).padStart(4, "0");
    return String(
      auth0.putUser({ userId: `samlp|${connection}|user-${id}`, connection, email: `u${id}@acme.example` })
        .user_id,
    );
  });
}

function source(maxRetries = 3) {
  const client = makeManagementClient(readAuth0Credentials(auth0.env), { maxRetries, timeoutSeconds: 5 });
  return makeAuth0UserSource(client, { perPage: 100, exportPollMs: 10 });
}

async function listAll(connection = "acme-entra", maxRetries = 3): Promise<Auth0UserPage[]> {
  const pages: Auth0UserPage[] = [];
  for await (const page of source(maxRetries).connectionUsers(connection)) pages.push(page);
  return pages;
}

describe("listing a connection's users", () => {
  it("reads every page of the v3 search for the connection, with the total for progress", async () => {
    const ids = seed(250);
    seed(3, "other-entra");
    const pages = await listAll();
    expect(pages.flatMap((page) => page.users.map((user) => user.user_id))).toEqual(ids);
    expect(pages.map((page) => [page.listed, page.total, page.via])).toEqual([
      [100, 250, "search"],
      [200, 250, "search"],
      [250, 250, "search"],
    ]);
    const first = auth0.searches()[0]?.query;
    expect(first?.get("q")).toBe('identities.connection:"acme-entra"');
    expect(first?.get("search_engine")).toBe("v3");
    expect(first?.get("include_totals")).toBe("true");
  });

  it("waits out a 429 mid-listing for as long as Retry-After says, then carries on", async () => {
    const ids = seed(250);
    auth0.failList({ page: 1, status: 429, headers: { "retry-after": "1" } });
    const pages = await listAll();
    expect(pages.flatMap((page) => page.users.map((user) => user.user_id))).toEqual(ids);
    const pageOne = auth0.searches().filter((call) => call.query.get("page") === "1");
    expect(pageOne).toHaveLength(2);
    expect((pageOne[1]?.at ?? 0) - (pageOne[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("retries a 5xx and misses no user", async () => {
    const ids = seed(150);
    auth0.failList({ page: 1, status: 503 });
    const pages = await listAll();
    expect(pages.flatMap((page) => page.users.map((user) => user.user_id))).toEqual(ids);
    expect(auth0.searches().filter((call) => call.query.get("page") === "1")).toHaveLength(2);
  });

  it("reports a 5xx that outlasts the retries, naming the connection and page", async () => {
    seed(150);
    auth0.failList({ page: 1, status: 500, times: 5 });
    await expect(listAll("acme-entra", 1)).rejects.toThrow(
      /users of connection "acme-entra" \(page 1\).*HTTP 500/,
    );
  });

  it("reads a connection over the search's 1000-user limit through a users-export job", async () => {
    const ids = seed(1005);
    const pages = await listAll();
    const listed = pages.flatMap((page) => page.users.map((user) => user.user_id));
    expect(listed).toHaveLength(1005);
    expect(new Set(listed)).toEqual(new Set(ids));
    expect(pages.every((page) => page.via === "export")).toBe(true);
    const exportJob = auth0.calls.find((call) => call.path === "/api/v2/jobs/users-exports");
    expect(exportJob?.method).toBe("POST");
    // Only the first search page was read: no request past the limit.
    expect(auth0.searches()).toHaveLength(1);
  });
});

describe("one user", () => {
  it("reads a user, and answers undefined for one Auth0 does not have", async () => {
    const [id] = seed(1);
    await expect(source().getUser(id as string)).resolves.toMatchObject({ user_id: id });
    await expect(source().getUser("samlp|acme-entra|gone")).resolves.toBeUndefined();
  });
});

describe("pacing by rate-limit headers", () => {
  it("waits for the window to reset when no request is left in it, and not otherwise", () => {
    const now = Date.parse("2026-11-02T08:00:00Z");
    const headers = (remaining: string, reset: number) =>
      new Headers({ "x-ratelimit-remaining": remaining, "x-ratelimit-reset": String(reset) });
    expect(pacingDelay(headers("0", now / 1000 + 3), now)).toBe(3000);
    expect(pacingDelay(headers("5", now / 1000 + 3), now)).toBe(0);
    expect(pacingDelay(new Headers(), now)).toBe(0);
  });
});
