// The tenant API over real HTTP: every rule of surecloud-api.yaml the worker relies on.
import { describe, expect, it } from "vitest";
import { emulatorForFile, G1, G2 } from "./setup.js";

const OTHER_TENANT_GROUP = "11111111-1111-4111-8111-111111111111";

const emulator = await emulatorForFile([
  {
    id: "acme",
    token: "acme-token",
    groups: [
      { id: G1, name: "Privacy | Breach Reporter", description: "reports breaches" },
      { id: G2, name: "Risk | Assessor" },
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        name: `Extra ${i}`,
      })),
    ],
  },
  { id: "beta", token: "beta-token", groups: [{ id: OTHER_TENANT_GROUP, name: "Beta group" }] },
]);

async function call(method: string, path: string, body?: unknown, token = "acme-token", tenant = "acme") {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${emulator.baseUrlFor(tenant)}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const ann = { externalId: "auth0|ann", userName: "Ann.Lee", email: "Ann@Example.com", status: "ACTIVE" };

describe("authentication and errors", () => {
  it("answers 401 with the error shape without a token or with another tenant's token", async () => {
    const bare = await fetch(`${emulator.baseUrlFor("acme")}/groups`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe("Bearer");
    expect(await bare.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect((await call("GET", "/groups", undefined, "beta-token")).status).toBe(401);
    expect((await call("GET", "/groups", undefined, "beta-token", "beta")).status).toBe(200);
  });

  it("answers 404 for unknown routes and tenants, 405 with Allow for a wrong method", async () => {
    expect((await call("GET", "/nope")).body.error.code).toBe("not_found");
    expect((await call("GET", "/users/")).status).toBe(404);
    expect((await fetch(`${emulator.url}/ghost/api/v1/groups`)).status).toBe(404);
    const wrong = await call("DELETE", "/users");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
  });

  it("keeps tenants apart: users and groups of one are invisible to the other", async () => {
    await call("POST", "/users", ann);
    expect(
      (await call("GET", "/users?email=ann@example.com", undefined, "beta-token", "beta")).body.items,
    ).toEqual([]);
    const groups = await call("GET", "/groups", undefined, "beta-token", "beta");
    expect(groups.body.items.map((g: { id: string }) => g.id)).toEqual([OTHER_TENANT_GROUP]);
  });
});

describe("listGroups", () => {
  it("pages with cursor and limit until nextCursor is null", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : "?limit=3";
      const page = await call("GET", `/groups${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((g: { id: string }) => g.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const first = await call("GET", "/groups");
    expect(first.body.items[0]).toEqual({
      id: G1,
      name: "Privacy | Breach Reporter",
      description: "reports breaches",
    });
    expect(first.body.nextCursor).toBeNull();
  });

  it("rejects a limit outside 1..500 and a cursor it never issued", async () => {
    for (const limit of ["0", "501", "abc", "2.5", ""]) {
      expect((await call("GET", `/groups?limit=${limit}`)).status).toBe(400);
    }
    expect((await call("GET", "/groups?limit=500")).status).toBe(200);
    expect((await call("GET", "/groups?cursor=garbage")).status).toBe(400);
  });
});

describe("findUsers", () => {
  it("matches userName and email in any case, externalId only exactly", async () => {
    const created = (await call("POST", "/users", ann)).body;
    expect((await call("GET", "/users?userName=ANN.LEE")).body.items).toEqual([created]);
    expect((await call("GET", "/users?email=ann%40example.COM")).body.items).toEqual([created]);
    expect((await call("GET", "/users?externalId=auth0%7Cann")).body.items).toEqual([created]);
    expect((await call("GET", "/users?externalId=AUTH0%7CANN")).body.items).toEqual([]);
    expect((await call("GET", "/users?email=ann@example")).body.items).toEqual([]);
  });

  it("needs exactly one non-empty filter", async () => {
    for (const query of ["", "?email=a@b.c&userName=a", "?email=", "?other=1", "?email=a&email=b"]) {
      const res = await call("GET", `/users${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
  });
});

describe("createUser", () => {
  it("creates a user with a generated id and timestamps, ignoring unknown fields", async () => {
    const res = await call("POST", "/users", { ...ann, givenName: "Ann", extra: true });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      ...ann,
      id: expect.stringMatching(/^usr_/),
      givenName: "Ann",
      familyName: null,
      displayName: null,
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    expect((await call("GET", `/users/${res.body.id}`)).body).toEqual(res.body);
  });

  it("answers 400 for missing fields, wrong types, a bad status, non-JSON and a non-JSON content type", async () => {
    const { email: _email, ...noEmail } = ann;
    for (const body of [noEmail, { ...ann, status: "active" }, { ...ann, userName: 7 }, [], "x"]) {
      expect((await call("POST", "/users", body)).status).toBe(400);
    }
    const raw = (contentType: string, body: string) =>
      fetch(`${emulator.baseUrlFor("acme")}/users`, {
        method: "POST",
        headers: { authorization: "Bearer acme-token", "content-type": contentType },
        body,
      });
    expect((await raw("application/json", "{not json")).status).toBe(400);
    expect((await raw("text/plain", JSON.stringify(ann))).status).toBe(415);
    expect((await call("POST", "/users")).status).toBe(400);
    expect(emulator.state("acme").users).toEqual([]);
  });

  it("answers 409 when userName or email (any case) or externalId already belongs to a user", async () => {
    await call("POST", "/users", ann);
    const clashes = [
      { ...ann, externalId: "auth0|x", email: "x@example.com", userName: "ANN.LEE" },
      { ...ann, externalId: "auth0|x", userName: "x", email: "ann@EXAMPLE.com" },
      { ...ann, userName: "x", email: "x@example.com" },
    ];
    for (const body of clashes) {
      const res = await call("POST", "/users", body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("conflict");
    }
    // externalId is case-sensitive, so a different case is a different user.
    const other = {
      externalId: "AUTH0|ANN",
      userName: "other",
      email: "other@example.com",
      status: "INACTIVE",
    };
    expect((await call("POST", "/users", other)).status).toBe(201);
    expect(emulator.state("acme").users).toHaveLength(2);
  });
});

describe("getUser and updateUser", () => {
  it("changes only the fields sent and bumps updatedAt", async () => {
    const created = (await call("POST", "/users", { ...ann, givenName: "Ann", displayName: "Ann Lee" })).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await call("PATCH", `/users/${created.id}`, { status: "INACTIVE", givenName: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...created,
      status: "INACTIVE",
      givenName: null,
      updatedAt: expect.any(String),
    });
    expect(res.body.updatedAt > created.updatedAt).toBe(true);
    expect((await call("GET", `/users/${created.id}`)).body).toEqual(res.body);
  });

  it("needs at least one known property and valid types", async () => {
    const { id } = (await call("POST", "/users", ann)).body;
    for (const body of [{}, { unknown: 1 }, { status: "GONE" }, { email: null }, { externalId: 5 }]) {
      expect((await call("PATCH", `/users/${id}`, body)).status).toBe(400);
    }
    expect(emulator.store("acme").getUser(id).status).toBe("ACTIVE");
  });

  it("answers 409 on collisions with another user but not with the user itself", async () => {
    const first = (await call("POST", "/users", ann)).body;
    const second = (
      await call("POST", "/users", { ...ann, externalId: "e2", userName: "b", email: "b@x.io" })
    ).body;
    expect((await call("PATCH", `/users/${second.id}`, { userName: "ann.LEE" })).status).toBe(409);
    expect((await call("PATCH", `/users/${second.id}`, { externalId: "auth0|ann" })).status).toBe(409);
    expect((await call("PATCH", `/users/${first.id}`, { email: "ANN@example.com" })).status).toBe(200);
    expect(emulator.store("acme").getUser(second.id).userName).toBe("b");
  });

  it("answers 404 for unknown user ids", async () => {
    expect((await call("GET", "/users/usr_missing")).status).toBe(404);
    expect((await call("PATCH", "/users/usr_missing", { status: "ACTIVE" })).status).toBe(404);
    expect((await call("GET", "/users/usr_missing/groups")).status).toBe(404);
  });
});

describe("memberships", () => {
  it("adds and removes idempotently and lists GroupRefs", async () => {
    const { id } = (await call("POST", "/users", ann)).body;
    for (let i = 0; i < 2; i += 1) {
      expect((await call("PUT", `/groups/${G2}/members/${id}`)).status).toBe(204);
      expect((await call("PUT", `/groups/${G1.toUpperCase()}/members/${id}`)).status).toBe(204);
    }
    expect((await call("GET", `/users/${id}/groups`)).body).toEqual({
      items: [
        { id: G1, name: "Privacy | Breach Reporter" },
        { id: G2, name: "Risk | Assessor" },
      ],
    });
    for (let i = 0; i < 2; i += 1) {
      expect((await call("DELETE", `/groups/${G1}/members/${id}`)).status).toBe(204);
    }
    expect((await call("GET", `/users/${id}/groups`)).body.items).toEqual([
      { id: G2, name: "Risk | Assessor" },
    ]);
  });

  it("answers 404 for an unknown group, another tenant's group or an unknown user", async () => {
    const { id } = (await call("POST", "/users", ann)).body;
    expect((await call("PUT", `/groups/${OTHER_TENANT_GROUP}/members/${id}`)).status).toBe(404);
    expect((await call("PUT", `/groups/not-a-uuid/members/${id}`)).status).toBe(404);
    expect((await call("DELETE", `/groups/${G1}/members/usr_missing`)).status).toBe(404);
    expect((await call("PUT", `/groups/${G1}/members/usr_missing`)).status).toBe(404);
    expect(emulator.state("acme").users[0]?.groups).toEqual([]);
  });

  it("never creates groups through the API", async () => {
    expect((await call("POST", "/groups", { name: "new" })).status).toBe(405);
    expect((await call("PUT", `/groups/${G1}`, { name: "renamed" })).status).toBe(404);
    expect(emulator.store("acme").groups()).toHaveLength(7);
  });
});
