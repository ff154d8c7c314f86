// The request log and the /_emulator/ admin surface, driven over HTTP as another process would.
import { describe, expect, it } from "vitest";
import { isLoopback } from "../../../dev/surecloud-emulator/admin.js";
import { emulatorForFile, G1, G2 } from "./setup.js";

const emulator = await emulatorForFile([
  {
    id: "acme",
    token: "t",
    groups: [
      { id: G1, name: "One" },
      { id: G2, name: "Two" },
    ],
  },
  { id: "beta", token: "b", groups: [] },
]);

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.baseUrlFor("acme")}${path}`, {
    method,
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: await res.text() }));

describe("request log", () => {
  it("records method, path, tenant, operation, status and time; reads are not writes", async () => {
    await api("GET", "/groups?limit=1");
    await api("GET", "/users?email=a@b.c");
    await fetch(`${emulator.baseUrlFor("acme")}/groups`);
    const log = emulator.requests();
    expect(log).toMatchObject([
      {
        method: "GET",
        path: "/acme/api/v1/groups",
        query: "limit=1",
        tenant: "acme",
        operation: "listGroups",
      },
      { method: "GET", path: "/acme/api/v1/users", operation: "findUsers", status: 200, write: false },
      { operation: "listGroups", status: 401 },
    ]);
    expect(log.every((entry) => !Number.isNaN(Date.parse(entry.time)))).toBe(true);
    expect(emulator.requests({ write: true })).toEqual([]);
    emulator.resetLog();
    expect(emulator.requests()).toEqual([]);
  });

  it("marks POST, PATCH, PUT and DELETE as writes and filters by tenant over HTTP", async () => {
    const created = JSON.parse(
      (await api("POST", "/users", { externalId: "e", userName: "u", email: "u@x.io", status: "ACTIVE" }))
        .body,
    );
    await api("PATCH", `/users/${created.id}`, { givenName: "U" });
    await api("PUT", `/groups/${G1}/members/${created.id}`);
    await api("DELETE", `/groups/${G1}/members/${created.id}`);
    await fetch(`${emulator.baseUrlFor("beta")}/groups`, { headers: { authorization: "Bearer b" } });
    const writes = (await admin("GET", "/requests?tenant=acme&write=true")).body.items;
    expect(writes.map((entry: { operation: string }) => entry.operation)).toEqual([
      "createUser",
      "updateUser",
      "addMember",
      "removeMember",
    ]);
    expect((await admin("GET", "/requests?tenant=beta")).body.items).toHaveLength(1);
    expect((await admin("DELETE", "/requests")).status).toBe(204);
    expect((await admin("GET", "/requests")).body.items).toEqual([]);
  });
});

describe("admin surface", () => {
  it("seeds a user with memberships that the API then sees, and reports full state", async () => {
    const seeded = await admin("POST", "/tenants/acme/users", {
      userName: "Legacy",
      email: "legacy@x.io",
      groupIds: [G2],
    });
    expect(seeded.status).toBe(201);
    expect(seeded.body).toMatchObject({
      externalId: null,
      status: "ACTIVE",
      groups: [{ id: G2, name: "Two" }],
    });
    const found = JSON.parse((await api("GET", "/users?userName=legacy")).body);
    expect(found.items[0].id).toBe(seeded.body.id);
    const state = (await admin("GET", "/tenants/acme")).body;
    expect(state.tenant).toBe("acme");
    expect(state.groups).toHaveLength(2);
    expect(state.users).toEqual([seeded.body]);
    expect(emulator.requests()).toHaveLength(1);
  });

  it("sets and edits memberships by hand and rejects unknown groups, users and bad bodies", async () => {
    const { id } = (await admin("POST", "/tenants/acme/users", { userName: "a", email: "a@x.io" })).body;
    const set = await admin("PUT", `/tenants/acme/users/${id}/groups`, { groupIds: [G1, G2] });
    expect(set.body.groups.map((g: { id: string }) => g.id)).toEqual([G1, G2]);
    expect((await admin("DELETE", `/tenants/acme/groups/${G1}/members/${id}`)).status).toBe(204);
    expect((await admin("PUT", `/tenants/acme/users/${id}/groups`, { groupIds: ["nope"] })).status).toBe(404);
    expect((await admin("PUT", `/tenants/acme/users/usr_x/groups`, { groupIds: [] })).status).toBe(404);
    expect((await admin("POST", "/tenants/acme/users", { userName: "b" })).status).toBe(400);
    expect((await admin("POST", "/tenants/acme/users", { userName: "A", email: "z@x.io" })).status).toBe(409);
    expect((await admin("GET", "/tenants/ghost")).status).toBe(404);
    expect(emulator.state("acme").users.map((user) => user.groups)).toEqual([[{ id: G2, name: "Two" }]]);
  });

  it("renames, creates and deletes groups as SureCloud's own UI would", async () => {
    const { id } = (
      await admin("POST", "/tenants/acme/users", { userName: "a", email: "a@x.io", groupIds: [G1] })
    ).body;
    await admin("PUT", `/tenants/acme/groups/${G1}`, { name: "One renamed" });
    expect(emulator.state("acme").users[0]?.groups).toEqual([{ id: G1, name: "One renamed" }]);
    expect((await admin("DELETE", `/tenants/acme/groups/${G1}`)).status).toBe(204);
    expect(JSON.parse((await api("GET", `/users/${id}/groups`)).body).items).toEqual([]);
    expect((await api("PUT", `/groups/${G1}/members/${id}`)).status).toBe(404);
  });

  it("sets faults, lists tenants and resets everything", async () => {
    const faults = await admin("PUT", "/faults", { throttle: { count: 1, retryAfterSeconds: 3 } });
    expect(faults.body.throttle).toEqual({ remaining: 1, retryAfterSeconds: 3 });
    expect((await admin("PUT", "/faults", { latency: 5 })).status).toBe(400);
    expect((await api("GET", "/groups")).status).toBe(429);
    const tenants = (await admin("GET", "/tenants")).body.items;
    expect(tenants.map((t: { baseUrl: string }) => t.baseUrl)).toEqual([
      emulator.baseUrlFor("acme"),
      emulator.baseUrlFor("beta"),
    ]);
    await admin("POST", "/tenants/acme/users", { userName: "a", email: "a@x.io" });
    await admin("PUT", "/faults", { errorEvery: 1 });
    expect((await admin("POST", "/reset")).status).toBe(204);
    expect(emulator.state("acme").users).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect((await api("GET", "/groups")).status).toBe(200);
    expect((await admin("GET", "/health")).body).toEqual({ ok: true });
    expect((await admin("GET", "/nope")).status).toBe(404);
    expect((await admin("DELETE", "/faults")).status).toBe(405);
  });

  it("treats only loopback peers as admin clients", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("10.0.0.5")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
