// A tenant whose directive comes from Entra app roles, end to end: Auth0 events through the built
// Action, the queue on real Redis, a worker process, the SureCloud emulator. A person's groups are
// exactly the union of their roles' groups at every change, and a role taken out of the role mapping
// file changes the next event's outcome once the worker reloads (SIGHUP).
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue, groups } from "../../dev/catalogue.js";
import { freePort } from "../../dev/freePort.js";
import type { AuditEntry } from "../../worker/audit/auditEntry.js";
import { auditStreamKey } from "../../worker/redisKeys.js";
import { makeUserEvent, newEventId, type UserEventOptions } from "../fixtures/auth0Events.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";

const { breachReporter, readOnly, riskManager, vulnAdmin } = groups;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const MAPPING = `
tenant: acme
roles:
  Risk Manager: ["Risk | Manager", "Read Only"]
  Breach Reporter: ["Privacy | Breach Reporter", "Read Only"]
  Vulnerability Admin: ["Vulnerability | Admin"]
default: NONE
`;

let dir: string;
let mappingPath: string;
let pipeline: Pipeline;
let worker: ChildProcess;
let httpPort: number;
const redis = new Redis(REDIS_URL);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roles-source-"));
  mappingPath = join(dir, "acme-roles.yaml");
  await writeFile(mappingPath, MAPPING);
  const tenantsPath = join(dir, "tenants.yaml");
  const tenants = {
    tenants: [
      {
        id: "acme",
        connection: "acme-entra",
        surecloud: { baseUrl: "https://acme.surecloud.example/api/v1", tokenEnv: "SURECLOUD_TOKEN_ACME" },
        groups: catalogue.map((group) => ({ groupId: group.id, name: group.name })),
        directiveSource: "roles",
        roles: { mapping: "acme-roles.yaml", matchBy: "displayName" },
      },
    ],
  };
  await writeFile(tenantsPath, JSON.stringify(tenants));
  pipeline = await startPipeline({ tenantsFile: tenantsPath, workers: 0 });
  httpPort = await freePort();
  worker = await pipeline.startWorker({ HTTP_PORT: String(httpPort) });
});
afterAll(async () => {
  await pipeline?.stop();
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

let clock = Date.parse("2026-11-01T09:00:00.000Z");
function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

async function deliver(options: UserEventOptions) {
  const time = nextTime();
  const message = makeUserEvent({
    id: newEventId(),
    time,
    updatedAt: time,
    type: "user.updated",
    ...options,
  });
  await pipeline.send(message);
  return pipeline.result(message.id);
}

function groupIdsOf(externalId: string): string[] {
  const user = pipeline.emulator.state("acme").users.find((candidate) => candidate.externalId === externalId);
  return (user?.groups ?? []).map((group) => group.id).sort();
}

const ids = (...list: Array<{ id: string }>) => list.map((group) => group.id).sort();

/** Waits for the worker's log line that says the reload of this trigger finished. */
async function reloaded(from: number): Promise<Record<string, unknown>> {
  for (let tries = 0; tries < 400; tries += 1) {
    const line = pipeline.logs.slice(from).find((record) => String(record.msg).startsWith("tenants file"));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the worker did not reload:\n${pipeline.output().slice(-3000)}`);
}

describe("directiveSource: roles", () => {
  const userId = "samlp|acme-entra|two-roles";
  const person = { userId, email: "rosa.roles@acme.example", givenName: "Rosa", familyName: "Roles" };

  it("a user whose roles go {A} -> {A, B} -> {B} has exactly the union each time", async () => {
    const first = await deliver({ ...person, type: "user.created", roles: ["Risk Manager"] });
    expect(first.state).toBe("completed");
    expect(groupIdsOf(userId)).toEqual(ids(riskManager, readOnly));

    await deliver({ ...person, roles: ["Risk Manager", "Breach Reporter"] });
    expect(groupIdsOf(userId)).toEqual(ids(riskManager, readOnly, breachReporter));

    const last = await deliver({ ...person, roles: ["Breach Reporter"] });
    expect(groupIdsOf(userId)).toEqual(ids(breachReporter, readOnly));
    expect(last.outcome).toMatchObject({ outcome: "applied", removed: [riskManager] });
  });

  it("the audit trail records which roles produced which groups", async () => {
    const stream = await redis.xrange(auditStreamKey(pipeline.queueName), "-", "+");
    const entries = stream.map(
      ([, fields]) => JSON.parse(fields[fields.indexOf("entry") + 1] ?? "{}") as AuditEntry,
    );
    const mine = entries.filter((entry) => entry.auth0UserId === userId);
    expect(mine.at(-2)?.directive.roles?.contributions).toEqual([
      { role: "Risk Manager", directive: { kind: "exact", groupIds: [riskManager.id, readOnly.id] } },
      { role: "Breach Reporter", directive: { kind: "exact", groupIds: [breachReporter.id, readOnly.id] } },
    ]);
  });

  it("an unknown role is left out, reported in the outcome with a did-you-mean, and counted", async () => {
    const result = await deliver({ ...person, roles: ["Breach Reporter", "risk manager"] });
    expect(groupIdsOf(userId)).toEqual(ids(breachReporter, readOnly));
    expect(result.outcome).toMatchObject({
      roles: {
        unknownRoles: ["risk manager"],
        nearMisses: [{ role: "risk manager", didYouMean: "Risk Manager" }],
      },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metrics).toContain('group_sync_unknown_roles_total{tenant="acme",role="risk manager"} 1');
  });

  it("roles in a shape nobody sends fail invalid-directive, kept, showing what came, groups unchanged", async () => {
    const result = await deliver({ ...person, extra: { app_metadata: { roles: { everyone: true } } } });
    expect(result.state).toBe("failed");
    expect(result.failedReason).toContain("invalid-directive");
    expect(result.failedReason).toContain('received: {"everyone":true}');
    expect(groupIdsOf(userId)).toEqual(ids(breachReporter, readOnly));
  });

  it("a role taken out of the mapping file changes the next event's outcome after a reload", async () => {
    const other = { ...person, userId: "samlp|acme-entra|reload", email: "rene.reload@acme.example" };
    await deliver({ ...other, type: "user.created", roles: ["Vulnerability Admin", "Breach Reporter"] });
    expect(groupIdsOf(other.userId)).toEqual(ids(vulnAdmin, breachReporter, readOnly));

    await writeFile(mappingPath, MAPPING.replace(/ {2}Vulnerability Admin: .*\n/, ""));
    const from = pipeline.logs.length;
    worker.kill("SIGHUP");
    expect((await reloaded(from)).msg).toMatch(/^tenants file reloaded/);

    const next = await deliver({ ...other, roles: ["Vulnerability Admin", "Breach Reporter"] });
    expect(groupIdsOf(other.userId)).toEqual(ids(breachReporter, readOnly));
    expect(next.outcome).toMatchObject({
      removed: [vulnAdmin],
      roles: { unknownRoles: ["Vulnerability Admin"] },
    });
  });
});
