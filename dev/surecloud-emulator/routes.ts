// The contract's operations on one tenant: the route table (404/405) and one handler per
// operationId, each validating its input and delegating the rules to the tenant's store.
import type { IncomingMessage, ServerResponse } from "node:http";
import { userPatchSchema, userWriteSchema } from "../../contract/surecloud.js";
import { decodeSegment, methodNotAllowed, parseBody, readJsonBody, sendJson, sendNoContent } from "./http.js";
import { HttpError } from "./httpError.js";
import type { ApiOperation } from "./requestLog.js";
import type { TenantStore, UserLookupKey } from "./store.js";

interface Route {
  /** Segments after `/api/v1`; `:name` captures one segment. */
  pattern: readonly string[];
  methods: Readonly<Partial<Record<string, ApiOperation>>>;
}

const ROUTES: readonly Route[] = [
  { pattern: ["groups"], methods: { GET: "listGroups" } },
  { pattern: ["users"], methods: { GET: "findUsers", POST: "createUser" } },
  { pattern: ["users", ":userId"], methods: { GET: "getUser", PATCH: "updateUser" } },
  { pattern: ["users", ":userId", "groups"], methods: { GET: "listUserGroups" } },
  {
    pattern: ["groups", ":groupId", "members", ":userId"],
    methods: { PUT: "addMember", DELETE: "removeMember" },
  },
];

export interface MatchedRoute {
  operation: ApiOperation;
  params: Record<string, string>;
}

/** The operation for a method and path, or the 404/405 HttpError to answer with. */
export function matchRoute(method: string, segments: readonly string[]): MatchedRoute | HttpError {
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = route.pattern.every((part, index) => {
      const segment = segments[index] ?? "";
      if (part.startsWith(":")) {
        params[part.slice(1)] = segment;
        return segment !== "";
      }
      return part === segment;
    });
    if (!fits) continue;
    const operation = route.methods[method];
    if (!operation) return methodNotAllowed(method, Object.keys(route.methods));
    return { operation, params };
  }
  return new HttpError(404, "not_found", `no route for /${segments.join("/")}`);
}

export interface OperationInput {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  store: TenantStore;
  route: MatchedRoute;
}

/** Runs one matched operation; throws HttpError for every contract failure. */
export async function runOperation(input: OperationInput): Promise<void> {
  const { req, res, url, store, route } = input;
  const param = (name: string) => decodeSegment(route.params[name] ?? "");
  switch (route.operation) {
    case "listGroups": {
      const cursor = singleParam(url, "cursor");
      sendJson(res, 200, store.listGroupsPage(cursor, parseLimit(singleParam(url, "limit"))));
      return;
    }
    case "findUsers": {
      const { key, value } = parseLookup(url);
      sendJson(res, 200, { items: store.findUsers(key, value) });
      return;
    }
    case "createUser": {
      const body = parseBody(userWriteSchema, await readJsonBody(req, { requireJsonContentType: true }));
      sendJson(res, 201, store.createUser(body));
      return;
    }
    case "getUser":
      sendJson(res, 200, store.getUser(param("userId")));
      return;
    case "updateUser": {
      const userId = param("userId");
      // Unknown user first: a PATCH to nobody is 404 whatever its body.
      store.getUser(userId);
      const patch = parseBody(userPatchSchema, await readJsonBody(req, { requireJsonContentType: true }));
      if (Object.values(patch).every((value) => value === undefined)) {
        throw new HttpError(400, "bad_request", "invalid request body: at least one property is required");
      }
      sendJson(res, 200, store.updateUser(userId, patch));
      return;
    }
    case "listUserGroups":
      sendJson(res, 200, { items: store.userGroups(param("userId")) });
      return;
    case "addMember":
      store.addMember(param("groupId"), param("userId"));
      sendNoContent(res);
      return;
    case "removeMember":
      store.removeMember(param("groupId"), param("userId"));
      sendNoContent(res);
      return;
    default: {
      const never: never = route.operation;
      throw new Error(`unhandled operation ${String(never)}`);
    }
  }
}

/** A query parameter given at most once; repeats are ambiguous, so 400. */
function singleParam(url: URL, name: string): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) throw new HttpError(400, "bad_request", `query parameter ${name} is repeated`);
  return values[0];
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 100;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= 500)) {
    throw new HttpError(400, "bad_request", "limit must be an integer from 1 to 500");
  }
  return limit;
}

const LOOKUP_KEYS: readonly UserLookupKey[] = ["externalId", "userName", "email"];

/** Exactly one of externalId, userName, email, with a non-empty value. */
function parseLookup(url: URL): { key: UserLookupKey; value: string } {
  const given = LOOKUP_KEYS.filter((key) => url.searchParams.has(key));
  const key = given[0];
  if (given.length !== 1 || key === undefined) {
    throw new HttpError(400, "bad_request", "give exactly one of externalId, userName, email");
  }
  const value = singleParam(url, key);
  if (!value) throw new HttpError(400, "bad_request", `${key} must not be empty`);
  return { key, value };
}
