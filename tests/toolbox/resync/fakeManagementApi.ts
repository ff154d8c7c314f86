// A small Auth0 Management API behind nock, at HTTP level: the token endpoint, the v3 user search
// by connection (paged, with totals), one user by id, connections by name and users-export jobs,
// with faults (429 with Retry-After, 5xx) injected on chosen search pages.
import { gzipSync } from "node:zlib";
import nock from "nock";
import { makeUserEvent, type UserEventOptions } from "../../fixtures/auth0Events.js";
import { interceptManagementApi } from "../../helpers/fakeManagementHost.js";

export interface ListFault {
  /** The search page (0-based) that fails. */
  page: number;
  status: number;
  headers?: Record<string, string>;
  /** How many requests for that page fail before it answers. Default 1. */
  times?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  at: number;
}

export interface FakeManagementApi {
  domain: string;
  /** AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET for the fake. */
  env: Record<string, string>;
  /** Adds or replaces a user (a SCIM-provisioned user of `connection`, default acme-entra). */
  putUser(options: UserEventOptions): Record<string, unknown>;
  deleteUser(userId: string): void;
  failList(fault: ListFault): void;
  calls: RecordedCall[];
  /** Search requests, in order. */
  searches(): RecordedCall[];
  close(): void;
}

type Reply = [number, unknown, Record<string, string>?];

export function fakeManagementApi(domain = "resync-test.eu.auth0.com"): FakeManagementApi {
  const users = new Map<string, Record<string, unknown>>();
  const faults: Array<Required<ListFault>> = [];
  const calls: RecordedCall[] = [];
  const exportHost = `https://exports.${domain}`;
  let exportPolls = 0;

  const inConnection = (connection: string) =>
    [...users.values()]
      .filter((user) => (user.identities as Array<{ connection: string }>)[0]?.connection === connection)
      .sort((a, b) => String(a.user_id).localeCompare(String(b.user_id)));

  const search = (query: URLSearchParams): Reply => {
    const page = Number(query.get("page") ?? 0);
    const fault = faults.find((candidate) => candidate.page === page && candidate.times > 0);
    if (fault) {
      fault.times -= 1;
      return [fault.status, { statusCode: fault.status, error: "fault", message: "injected" }, fault.headers];
    }
    const connection = /identities\.connection:"([^"]+)"/.exec(query.get("q") ?? "")?.[1] ?? "";
    const perPage = Number(query.get("per_page") ?? 50);
    const all = inConnection(connection);
    if ((page + 1) * perPage > 1000 && all.length > 1000) {
      return [400, { statusCode: 400, message: "You can only page through the first 1000 records" }];
    }
    const slice = all.slice(page * perPage, (page + 1) * perPage);
    return [
      200,
      { start: page * perPage, limit: perPage, length: slice.length, total: all.length, users: slice },
    ];
  };

  // nock 15 hands a reply function the fetch Request (a two-argument function would be callback-style).
  const respond = async (request: Request): Promise<Reply> => {
    const text = await request.text();
    return handle(request.method, request.url, text ? (JSON.parse(text) as unknown) : undefined);
  };

  const handle = (method: string, uri: string, body: unknown): Reply => {
    const url = new URL(uri);
    calls.push({ method, path: url.pathname, query: url.searchParams, at: Date.now() });
    if (method === "GET" && url.pathname === "/api/v2/users") return search(url.searchParams);
    const byId = /^\/api\/v2\/users\/(.+)$/.exec(url.pathname);
    if (method === "GET" && byId) {
      const user = users.get(decodeURIComponent(byId[1] as string));
      return user
        ? [200, user]
        : [404, { statusCode: 404, error: "Not Found", message: "The user does not exist." }];
    }
    if (method === "GET" && url.pathname === "/api/v2/connections") {
      const name = url.searchParams.get("name") ?? "";
      return [200, { connections: [{ id: "con_AbCdEfGh12345678", name, strategy: "samlp" }] }];
    }
    if (method === "POST" && url.pathname === "/api/v2/jobs/users-exports") {
      return [201, { id: "job_export1", type: "users_export", status: "pending", ...(body as object) }];
    }
    if (method === "GET" && url.pathname === "/api/v2/jobs/job_export1") {
      exportPolls += 1;
      const done = exportPolls > 1;
      return [
        200,
        {
          id: "job_export1",
          type: "users_export",
          status: done ? "completed" : "processing",
          ...(done ? { location: `${exportHost}/export.json.gz` } : {}),
        },
      ];
    }
    return [404, { statusCode: 404, message: `not in the fake: ${method} ${url.pathname}` }];
  };

  const scope = interceptManagementApi(domain, "fake-management-token", respond);
  const exportScope = nock(exportHost)
    .persist()
    .get("/export.json.gz")
    .reply(() => {
      const connection = "acme-entra";
      const lines = inConnection(connection)
        .map((user) => JSON.stringify(user))
        .join("\n");
      return [200, gzipSync(Buffer.from(lines)), { "content-type": "application/gzip" }];
    });

  return {
    domain,
    env: {
      AUTH0_DOMAIN: domain,
      AUTH0_CLIENT_ID: "resync-cli-client",
      AUTH0_CLIENT_SECRET: "resync-cli-secret-value",
    },
    putUser(options) {
      const user = makeUserEvent(options).data.object as unknown as Record<string, unknown>;
      users.set(String(user.user_id), user);
      return user;
    },
    deleteUser: (userId) => void users.delete(userId),
    failList: (fault) => void faults.push({ headers: {}, times: 1, ...fault }),
    calls,
    searches: () => calls.filter((call) => call.path === "/api/v2/users"),
    close() {
      scope.persist(false);
      exportScope.persist(false);
      nock.cleanAll();
    },
  };
}
