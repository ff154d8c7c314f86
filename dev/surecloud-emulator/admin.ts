// The admin surface under /_emulator/, for tests that drive the emulator from another process.
// No auth, loopback clients only (403 otherwise); bodies are JSON; not written to the request log.
//
//   GET    /_emulator/health                                       {"ok":true}
//   GET    /_emulator/tenants                                      {items:[{id,baseUrl,groups}]}
//   GET    /_emulator/tenants/:t                                   {tenant,groups,users:[User & {groups:[{id,name}]}]}
//   POST   /_emulator/tenants/:t/users                             seed a user: {userName,email,externalId?,
//                                                                  givenName?,familyName?,displayName?,status?,
//                                                                  id?,groupIds?} -> 201 user with groups
//   PUT    /_emulator/tenants/:t/users/:u/groups                   {groupIds:[…]}: exactly these -> user with groups
//   PUT    /_emulator/tenants/:t/groups/:g/members/:u              add one membership by hand -> 204
//   DELETE /_emulator/tenants/:t/groups/:g/members/:u              remove one membership by hand -> 204
//   PUT    /_emulator/tenants/:t/groups/:g                         {name,description?}: create or rename -> group
//   DELETE /_emulator/tenants/:t/groups/:g                         delete a group and its memberships -> 204
//   GET    /_emulator/requests?tenant=&operation=&write=true|false {items:[LoggedRequest]}
//   DELETE /_emulator/requests                                     clear the request log -> 204
//   GET    /_emulator/faults                                       current faults (FaultsStatus)
//   PUT    /_emulator/faults                                       replace faults: {latencyMs?,errorRate?,seed?,
//                                                                  errorEvery?,throttle?:{count,retryAfterSeconds?}}
//   POST   /_emulator/reset                                        seeded groups only, no users, log cleared,
//                                                                  faults off -> 204
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { EmulatorCore, TenantRuntime } from "./core.js";
import { faultsSchema } from "./faults.js";
import { decodeSegment, methodNotAllowed, parseBody, readJsonBody, sendJson, sendNoContent } from "./http.js";
import { HttpError } from "./httpError.js";
import type { ApiOperation, RequestFilter } from "./requestLog.js";
import { groupSeedSchema, userSeedSchema } from "./store.js";

export const ADMIN_PREFIX = "/_emulator";

const membershipsBodySchema = z.object({ groupIds: z.array(z.string()) });
const groupBodySchema = groupSeedSchema.omit({ id: true });

export interface AdminContext {
  core: EmulatorCore;
  baseUrlFor(tenantId: string): string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** Answers one admin request; throws HttpError for client mistakes. */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, ctx: AdminContext) {
  if (!isLoopback(req.socket.remoteAddress)) {
    throw new HttpError(403, "forbidden", "the admin surface answers loopback clients only");
  }
  const method = req.method ?? "GET";
  const segments = url.pathname.slice(ADMIN_PREFIX.length).split("/").filter(Boolean).map(decodeSegment);
  const [head, tenantId, ...rest] = segments;
  if (head === "tenants" && tenantId !== undefined) {
    await handleTenant(req, res, method, rest, requireTenant(ctx.core, tenantId));
    return;
  }
  const only = (allowed: string) => {
    if (method !== allowed) throw methodNotAllowed(method, [allowed]);
  };
  const path = segments.join("/");
  if (path === "health") {
    only("GET");
    sendJson(res, 200, { ok: true });
  } else if (path === "tenants") {
    only("GET");
    const items = [...ctx.core.tenants.entries()].map(([id, tenant]) => ({
      id,
      baseUrl: ctx.baseUrlFor(id),
      groups: tenant.store.groups(),
    }));
    sendJson(res, 200, { items });
  } else if (path === "requests") {
    if (method === "GET") sendJson(res, 200, { items: ctx.core.log.list(requestFilter(url)) });
    else if (method === "DELETE") {
      ctx.core.log.clear();
      sendNoContent(res);
    } else throw methodNotAllowed(method, ["GET", "DELETE"]);
  } else if (path === "faults") {
    if (method === "GET") sendJson(res, 200, ctx.core.faults.current());
    else if (method === "PUT") {
      ctx.core.faults.set(parseBody(faultsSchema, await readAdminBody(req)));
      sendJson(res, 200, ctx.core.faults.current());
    } else throw methodNotAllowed(method, ["GET", "PUT"]);
  } else if (path === "reset") {
    only("POST");
    ctx.core.reset();
    sendNoContent(res);
  } else {
    throw new HttpError(404, "not_found", `no admin route ${url.pathname}`);
  }
}

async function handleTenant(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  rest: string[],
  tenant: TenantRuntime,
): Promise<void> {
  const { store } = tenant;
  // Odd positions hold ids: `users/:/groups`, `groups/:/members/:`, …
  const shape = rest.map((segment, index) => (index % 2 === 1 ? ":" : segment)).join("/");
  const id = rest[1] ?? "";
  const allow = (allowed: string[]) => {
    if (!allowed.includes(method)) throw methodNotAllowed(method, allowed);
  };
  if (shape === "") {
    allow(["GET"]);
    sendJson(res, 200, store.state());
  } else if (shape === "users") {
    allow(["POST"]);
    sendJson(res, 201, store.seedUser(parseBody(userSeedSchema, await readAdminBody(req))));
  } else if (shape === "users/:/groups") {
    allow(["PUT"]);
    const body = parseBody(membershipsBodySchema, await readAdminBody(req));
    sendJson(res, 200, store.setMemberships(id, body.groupIds));
  } else if (shape === "groups/:/members/:") {
    allow(["PUT", "DELETE"]);
    if (method === "PUT") store.addMember(id, rest[3] ?? "");
    else store.removeMember(id, rest[3] ?? "");
    sendNoContent(res);
  } else if (shape === "groups/:") {
    allow(["PUT", "DELETE"]);
    if (method === "PUT") {
      const body = parseBody(groupBodySchema, await readAdminBody(req));
      sendJson(res, 200, store.upsertGroup({ ...body, id }));
    } else {
      store.deleteGroup(id);
      sendNoContent(res);
    }
  } else {
    throw new HttpError(404, "not_found", "no such admin route");
  }
}

function requireTenant(core: EmulatorCore, tenantId: string): TenantRuntime {
  const tenant = core.tenants.get(tenantId);
  if (!tenant) throw new HttpError(404, "not_found", `tenant "${tenantId}" not found`);
  return tenant;
}

/** Lenient about Content-Type: a test's hand-written fetch should not trip on it. */
function readAdminBody(req: IncomingMessage): Promise<unknown> {
  return readJsonBody(req, { requireJsonContentType: false });
}

function requestFilter(url: URL): RequestFilter {
  const filter: RequestFilter = {};
  const tenant = url.searchParams.get("tenant");
  const operation = url.searchParams.get("operation");
  const write = url.searchParams.get("write");
  if (tenant) filter.tenant = tenant;
  if (operation) filter.operation = operation as ApiOperation;
  if (write === "true" || write === "false") filter.write = write === "true";
  else if (write !== null) throw new HttpError(400, "bad_request", "write must be true or false");
  return filter;
}
