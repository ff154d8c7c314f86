// The one decision the Action and the worker's intake both make about a delivery: a job, nothing to
// do (a test event, a connection outside the allow-list), or an event no retry can make handleable.
import { describe, expect, it } from "vitest";
import { decideDelivery, eventIdOf, parseConnectionList } from "../../shared/deliveryDecision.js";
import { DEFAULT_DIRECTIVE_ATTRIBUTE } from "../../shared/eventToJob.js";
import { makeUserEvent } from "../fixtures/auth0Events.js";

const rules = {
  directiveAttribute: DEFAULT_DIRECTIVE_ATTRIBUTE,
  connections: parseConnectionList("acme-entra"),
  allowListSetting: "INTAKE_CONNECTIONS",
};

describe("decideDelivery", () => {
  it("makes a user event of an allowed connection a job", () => {
    const decision = decideDelivery(makeUserEvent({ userType: "IGNORE" }), rules);
    expect(decision.kind).toBe("enqueue");
    expect(decision.kind === "enqueue" && decision.job.directive).toEqual({
      state: "present",
      raw: "IGNORE",
    });
  });

  it("ignores the stream's test event and other connections, naming the allow-list's setting", () => {
    expect(decideDelivery(makeUserEvent({ purpose: "test" }), rules)).toEqual({
      kind: "ignore",
      reason: "test event",
    });
    expect(decideDelivery(makeUserEvent({ connection: "other" }), rules)).toEqual({
      kind: "ignore",
      reason: "connection other is not in INTAKE_CONNECTIONS",
    });
  });

  it("rejects what is not a user CloudEvent, with the first problem", () => {
    const decision = decideDelivery({ id: "evt_1", type: "organization.created" }, rules);
    expect(decision.kind).toBe("reject");
    expect(decision.kind === "reject" && decision.reason).toMatch(/^type: /);
  });
});

describe("parseConnectionList and eventIdOf", () => {
  it("reads `a, b,,c` as three names, and empty as every connection", () => {
    expect(parseConnectionList(" a, b,,c ")).toEqual(new Set(["a", "b", "c"]));
    expect(parseConnectionList(" , ")).toBeUndefined();
    expect(parseConnectionList(undefined)).toBeUndefined();
  });

  it("gives an id cut to 64 characters, or none", () => {
    expect(eventIdOf({ id: "x".repeat(100) })).toHaveLength(64);
    expect(eventIdOf([1])).toBeUndefined();
  });
});
