// A small stateful Auth0 Management API behind nock: enough of clients, connections (with SCIM),
// actions and event streams for auth0-deploy-cli to deploy against, and a record of every request.
import nock from "nock";

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

type Json = Record<string, unknown>;

interface FakeConnection extends Json {
  id: string;
  name: string;
  strategy: string;
}

export interface FakeTenantState {
  clients: Json[];
  connections: FakeConnection[];
  connectionClients: Record<string, string[]>;
  scim: Record<string, { mapping: unknown; user_id_attribute: unknown }>;
  actions: Json[];
  eventStreams: Json[];
  /** Calls the fake refuses instead of answering, each `times` times; none by default. */
  refusals?: FakeRefusal[];
}

/** A call the fake refuses as Auth0 would: `path` (with /api/v2) matched, `times` more times. */
export interface FakeRefusal {
  method: string;
  path: RegExp;
  status: number;
  message: string;
  times: number;
}

/** One connection, Action and event stream that belong to someone else: a deploy must not touch them. */
export function sharedTenant(): FakeTenantState {
  return {
    clients: [{ client_id: "cli_portal", name: "Customer Portal" }],
    connections: [
      {
        id: "con_other",
        name: "other-saml",
        strategy: "samlp",
        options: { signInEndpoint: "https://idp.example/sso" },
      },
    ],
    connectionClients: { con_other: ["cli_portal"] },
    scim: {
      con_other: { mapping: [{ scim: "userName", auth0: "username" }], user_id_attribute: "externalId" },
    },
    actions: [
      {
        id: "act_other",
        name: "other-post-login",
        code: "exports.onExecutePostLogin = async () => {};",
        runtime: "node22",
        dependencies: [],
        secrets: [],
        supported_triggers: [{ id: "post-login", version: "v3" }],
        all_changes_deployed: true,
        status: "built",
      },
    ],
    eventStreams: [
      {
        id: "est_other",
        name: "other-webhook",
        status: "enabled",
        subscriptions: [{ event_type: "user.created" }],
        destination: { type: "webhook", configuration: { webhook_endpoint: "https://hooks.example/in" } },
      },
    ],
  };
}

export interface FakeAuth0 {
  state: FakeTenantState;
  requests: RecordedRequest[];
  /** Requests to a path the fake does not know, and requests nock could not match at all. */
  unexpected: string[];
  writes(): RecordedRequest[];
  /** Stops recording unmatched requests. */
  stop(): void;
  /** stop(), then fails unless the token and at least one read were requested. */
  done(): void;
}

/** Intercepts https://<domain>; token and reads must happen, writes may. */
export function fakeAuth0(domain: string, state: FakeTenantState): FakeAuth0 {
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  let serial = 0;
  const nextId = (prefix: string) => `${prefix}_${(++serial).toString().padStart(8, "0")}`;
  const handle = async (request: Request): Promise<[number, unknown]> => {
    const url = new URL(request.url);
    const text = await request.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    requests.push({ method: request.method, path: url.pathname, body });
    const refused = refusal(state, request.method, url.pathname);
    if (refused) return refused;
    const result = route(state, request.method, url, body as Json, nextId);
    if (!result) {
      unexpected.push(`${request.method} ${url.pathname}`);
      return [404, { statusCode: 404, error: "Not Found", message: "not in the fake" }];
    }
    return result;
  };
  const scope = nock(`https://${domain}`)
    .persist()
    .post("/oauth/token")
    .reply(200, { access_token: "fake-management-token", token_type: "Bearer", expires_in: 86400 })
    .get(/.*/)
    .reply(handle);
  for (const method of ["post", "patch", "put", "delete"] as const) {
    scope
      .intercept(/^\/api\/v2\//, method.toUpperCase())
      .optionally()
      .reply(handle);
  }
  const onNoMatch = (request: { method?: string; url?: string; path?: string }) =>
    unexpected.push(`no match: ${request.method} ${request.url ?? request.path}`);
  nock.emitter.on("no match", onNoMatch);
  return {
    state,
    requests,
    unexpected,
    writes: () => requests.filter((request) => request.method !== "GET" && request.path !== "/oauth/token"),
    stop: () => {
      nock.emitter.removeListener("no match", onNoMatch);
    },
    done: () => {
      nock.emitter.removeListener("no match", onNoMatch);
      scope.done();
    },
  };
}

type Route = [number, unknown] | undefined;

/** Uses up the first matching refusal of the state, if any. */
function refusal(state: FakeTenantState, method: string, path: string): Route {
  const found = state.refusals?.find((it) => it.times > 0 && it.method === method && it.path.test(path));
  if (!found) return undefined;
  found.times -= 1;
  return [found.status, { statusCode: found.status, error: "Refused by the fake", message: found.message }];
}

function route(
  state: FakeTenantState,
  method: string,
  url: URL,
  body: Json,
  nextId: (p: string) => string,
): Route {
  const path = url.pathname.replace(/^\/api\/v2/, "");
  const parts = path.split("/").filter(Boolean);
  const [resource, id, sub] = parts;
  if (resource === "clients" && method === "GET" && !id) {
    return [200, { start: 0, limit: 100, total: state.clients.length, clients: state.clients }];
  }
  if (resource === "connections-directory-provisionings" && method === "GET") {
    return [200, { directory_provisionings: [] }];
  }
  if (resource === "connections") return connectionRoute(state, method, url, body, parts, nextId);
  if (resource === "actions" && id === "modules" && method === "GET" && !sub) {
    return [200, { modules: [], total: 0, page: 0, per_page: 100 }];
  }
  if (resource === "actions" && id === "actions")
    return actionRoute(state, method, body, parts.slice(2), nextId);
  if (resource === "event-streams") return eventStreamRoute(state, method, body, id, nextId);
  return undefined;
}

function connectionRoute(
  state: FakeTenantState,
  method: string,
  url: URL,
  body: Json,
  parts: string[],
  nextId: (p: string) => string,
): Route {
  const [, id, sub] = parts;
  if (!id && method === "GET") {
    const name = url.searchParams.get("name");
    const found = state.connections.filter((connection) => !name || connection.name === name);
    return [200, { connections: found }];
  }
  if (!id && method === "POST") {
    const created: FakeConnection = { ...(body as FakeConnection), id: nextId("con") };
    state.connections.push(created);
    return [201, created];
  }
  const connection = state.connections.find((candidate) => candidate.id === id);
  if (!connection || !id) return [404, { statusCode: 404, message: "no such connection" }];
  if (!sub && method === "GET") return [200, connection];
  if (!sub && method === "PATCH") {
    Object.assign(connection, body);
    return [200, connection];
  }
  if (sub === "clients" && method === "GET") {
    return [
      200,
      { clients: (state.connectionClients[id] ?? []).map((clientId) => ({ client_id: clientId })) },
    ];
  }
  if (sub === "clients" && method === "PATCH") {
    const changes = body as unknown as { client_id: string; status: boolean }[];
    // Auth0 refuses the whole update when one id names no application of the tenant.
    const unknown = changes.filter((change) => !state.clients.some((c) => c.client_id === change.client_id));
    if (unknown.length > 0) {
      const ids = unknown.map((change) => change.client_id).join(", ");
      return [400, { statusCode: 400, error: "Bad Request", message: `No client with id: ${ids}` }];
    }
    const enabled = new Set(state.connectionClients[id] ?? []);
    for (const change of changes) {
      if (change.status) enabled.add(change.client_id);
      else enabled.delete(change.client_id);
    }
    state.connectionClients[id] = [...enabled];
    return [204, ""];
  }
  if (sub === "scim-configuration" && method === "GET") {
    const scim = state.scim[id];
    if (!scim) return [404, { statusCode: 404, message: "SCIM is not enabled" }];
    return [
      200,
      { connection_id: id, connection_name: connection.name, strategy: connection.strategy, ...scim },
    ];
  }
  if (sub === "scim-configuration" && (method === "POST" || method === "PATCH")) {
    state.scim[id] = { mapping: body.mapping, user_id_attribute: body.user_id_attribute };
    return [method === "POST" ? 201 : 200, { connection_id: id, ...state.scim[id] }];
  }
  return undefined;
}

function actionRoute(
  state: FakeTenantState,
  method: string,
  body: Json,
  parts: string[],
  nextId: (p: string) => string,
): Route {
  const [id, sub] = parts;
  if (!id && method === "GET") {
    return [200, { actions: state.actions, total: state.actions.length, page: 0, per_page: 100 }];
  }
  if (!id && method === "POST") {
    const created = {
      ...storedAction(body),
      id: nextId("act"),
      all_changes_deployed: false,
      status: "built",
    };
    state.actions.push(created);
    return [201, created];
  }
  const action = state.actions.find((candidate) => candidate.id === id);
  if (!action) return [404, { statusCode: 404, message: "no such action" }];
  if (!sub && method === "PATCH") {
    Object.assign(action, storedAction(body), { all_changes_deployed: false });
    return [200, action];
  }
  if (sub === "deploy" && method === "POST") {
    // A deploy makes the draft the deployed version, as Auth0 reports it on the Action.
    const version = { ...deployedVersionOf(action), id: nextId("ver"), action_id: id };
    Object.assign(action, { all_changes_deployed: true, deployed_version: version });
    return [200, version];
  }
  return undefined;
}

function deployedVersionOf(action: Json): Json {
  const { code, runtime, dependencies, secrets } = action;
  const number = Number((action.deployed_version as Json | undefined)?.number ?? 0) + 1;
  return { code, runtime, dependencies, secrets, deployed: true, status: "built", number };
}

/** Auth0 keeps secret values to itself: it returns names only. */
function storedAction(body: Json): Json {
  const secrets = (body.secrets as { name: string }[] | undefined)?.map((secret) => ({
    name: secret.name,
    updated_at: "2026-01-01T00:00:00.000Z",
  }));
  return { ...body, ...(secrets ? { secrets } : {}) };
}

function eventStreamRoute(
  state: FakeTenantState,
  method: string,
  body: Json,
  id: string | undefined,
  nextId: (p: string) => string,
): Route {
  if (!id && method === "GET") return [200, { eventStreams: state.eventStreams }];
  if (!id && method === "POST") {
    const created = { status: "enabled", ...body, id: nextId("est") };
    state.eventStreams.push(created);
    return [201, created];
  }
  const stream = state.eventStreams.find((candidate) => candidate.id === id);
  if (stream && method === "PATCH") {
    Object.assign(stream, body);
    return [200, stream];
  }
  return undefined;
}
