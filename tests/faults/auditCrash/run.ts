// One scenario on a lane: its user seeded in SureCloud, its event sent, one kill per attempt with a
// new worker after each, the job run to completion; then the end check of the audit trail.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import type { JobResult } from "../../../dev/localStack.js";
import type { LoggedRequest } from "../../../dev/surecloud-emulator/requestLog.js";
import { queryAuditTrail } from "../../../toolbox/audit/auditQuery.js";
import { type Auth0UserCloudEvent, makeUserEvent } from "../../fixtures/auth0Events.js";
import { acknowledgedWrites, auditedWrites, describeWrites, isSubMultiset } from "./compare.js";
import { type KillRecord, type Lane, TENANT, WAIT_MS } from "./lane.js";
import type { JobKind, Scenario } from "./scenarios.js";

const { readOnly, riskManager, breachReporter } = groups;

export interface Run {
  auth0UserId: string;
  /** The emulator's log from here on is this scenario's. */
  sinceSeq: number;
  result: JobResult;
  kills: KillRecord[];
  /** The scenario's requests, as the emulator logged them. */
  requests: LoggedRequest[];
  /** The same requests by attempt: up to the first kill, between each kill and the next, after the last. */
  attempts: LoggedRequest[][];
}

/** Seeds what the job needs in SureCloud and returns its event. */
function prepare(lane: Lane, job: JobKind): { auth0UserId: string; event: Auth0UserCloudEvent } {
  const tag = `auditcrash-${randomUUID().slice(0, 8)}`;
  const auth0UserId = `samlp|acme-entra|${tag}`;
  const email = `${tag}@acme.example`;
  const person = { userId: auth0UserId, email, givenName: "Ada", familyName: "Lovelace" };
  if (job === "joiner") {
    const userType = `${readOnly.id},${riskManager.id}`;
    return { auth0UserId, event: makeUserEvent({ ...person, type: "user.created", userType }) };
  }
  lane.stack.emulator.store(TENANT).seedUser({
    externalId: auth0UserId,
    userName: email,
    email,
    givenName: "Ada",
    familyName: "Lovelace",
    displayName: "Ada Lovelace",
    groupIds: [readOnly.id],
  });
  if (job === "leaver") return { auth0UserId, event: makeUserEvent({ ...person, type: "user.deleted" }) };
  // One PATCH (given and display name), then Breach Reporter added and Read Only removed.
  const moved = { ...person, givenName: "Ada M.", type: "user.updated" as const };
  return { auth0UserId, event: makeUserEvent({ ...moved, userType: breachReporter.id }) };
}

/** Runs the scenario: one kill per attempt, a new worker after each, then the job to completion. */
export async function runScenario(lane: Lane, scenario: Scenario): Promise<Run> {
  const { auth0UserId, event } = prepare(lane, scenario.job);
  const sinceSeq = lane.logged().at(-1)?.seq ?? 0;
  if (scenario.freshWorker || !lane.worker) await lane.freshWorker();
  lane.served = true;
  const kills: KillRecord[] = [];
  lane.beginAttempt(scenario.kills[0]?.point);
  await lane.stack.send(event);
  for (const [index, kill] of scenario.kills.entries()) {
    const record = await lane.killAt(kill, scenario.title, index + 1, auth0UserId);
    kills.push(record);
    // Whatever the point, the trail never lists a write SureCloud did not acknowledge.
    const { acknowledged, audited } = await writes(lane, auth0UserId, sinceSeq);
    expect(
      isSubMultiset(audited, acknowledged),
      `after the kill "${kill.label}" the trail lists writes SureCloud did not acknowledge\n` +
        describeWrites(acknowledged, audited, kills, lane.tail()),
    ).toBe(true);
    lane.beginAttempt(scenario.kills[index + 1]?.point);
    await lane.startWorker();
  }
  const result = await lane.stack.result(event.id, WAIT_MS);
  await lane.until("the emulator to serve every request", () => lane.inFlight() === 0);
  const requests = lane.logged().filter((request) => request.seq > sinceSeq);
  const bounds = [sinceSeq, ...kills.map((kill) => kill.afterSeq), Number.POSITIVE_INFINITY];
  const attempts = bounds
    .slice(1)
    .map((end, index) =>
      requests.filter((request) => request.seq > (bounds[index] ?? 0) && request.seq <= end),
    );
  return { auth0UserId, sinceSeq, result, kills, requests, attempts };
}

/** The scenario's writes: as SureCloud acknowledged them (2xx) and as the audit trail lists them. */
async function writes(
  lane: Lane,
  auth0UserId: string,
  sinceSeq: number,
): Promise<{ acknowledged: string[]; audited: string[] }> {
  const requests = lane.logged().filter((request) => request.seq > sinceSeq);
  const entries = await queryAuditTrail(lane.redis, lane.stack.queueName, {
    tenantId: TENANT,
    user: auth0UserId,
  });
  return { acknowledged: acknowledgedWrites(requests), audited: auditedWrites(entries) };
}

/** The end check: job completed, trail equal to the acknowledged writes, no intent left. */
export async function expectAudited(lane: Lane, run: Run): Promise<void> {
  const { acknowledged, audited } = await writes(lane, run.auth0UserId, run.sinceSeq);
  const context = describeWrites(acknowledged, audited, run.kills, lane.tail());
  expect(run.result.state, context).toBe("completed");
  expect(audited, context).toEqual(acknowledged);
  expect(await lane.redis.exists(lane.intentKey(run.auth0UserId)), context).toBe(0);
}
