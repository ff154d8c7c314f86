// A tenant with several Auth0 connections (one customer, two Entra directories): a resync lists the
// users of each, queues each user's job under that user's own connection, and reports one tenant.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue } from "../../../dev/catalogue.js";
import type { SyncJob } from "../../../shared/job.js";
import { type Tenant, tenantSchema } from "../../../shared/tenants.js";
import type { Auth0UserPage, Auth0UserSource } from "../../../toolbox/resync/auth0Users.js";
import { runResync } from "../../../toolbox/resync/resync.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let queue: Queue;

beforeAll(() => {
  queue = new Queue(`test-${randomUUID()}`, { connection: { url: REDIS_URL } });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
});

const tenant: Tenant = tenantSchema.parse({
  id: "acme",
  connections: ["acme-entra", "acme-eu-entra"],
  surecloud: { baseUrl: "https://acme.surecloud.example/api/v1", tokenEnv: "SURECLOUD_TOKEN_ACME" },
  groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
});

/** Each connection's users, one page each; `via` differs so the report's merge shows. */
const source: Auth0UserSource = {
  async *connectionUsers(connection: string): AsyncGenerator<Auth0UserPage> {
    const count = connection === "acme-entra" ? 2 : 3;
    const users = Array.from({ length: count }, (_, index) => ({
      user_id: `samlp|${connection}|user-${index}`,
      email: `user-${index}@${connection}.example`,
      identities: [{ connection, provider: "samlp", user_id: `user-${index}` }],
    }));
    yield {
      users,
      rejected: 0,
      listed: count,
      total: count,
      via: connection === "acme-entra" ? "export" : "search",
    };
  },
  getUser: async () => undefined,
};

describe("resync of a tenant with several connections", () => {
  it("lists every connection and queues each user under its own connection", async () => {
    const report = await runResync({
      tenants: [tenant],
      source,
      attributes: { directiveAttribute: "app_metadata.user_type" },
      mode: { kind: "queue", queue },
    });
    expect(report.tenants).toMatchObject([
      { tenantId: "acme", connections: ["acme-entra", "acme-eu-entra"], listed: 5, queued: 5, via: "export" },
    ]);
    const jobs = await Promise.all(report.jobIds.map((id) => queue.getJob(id)));
    const routed = jobs.map((job) => {
      const data = job?.data as SyncJob;
      return `${data.connection} ${data.user.userId}`;
    });
    expect(routed.sort()).toEqual([
      "acme-entra samlp|acme-entra|user-0",
      "acme-entra samlp|acme-entra|user-1",
      "acme-eu-entra samlp|acme-eu-entra|user-0",
      "acme-eu-entra samlp|acme-eu-entra|user-1",
      "acme-eu-entra samlp|acme-eu-entra|user-2",
    ]);
  });
});
