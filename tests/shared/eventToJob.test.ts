// Auth0 user CloudEvents, shaped as the auth0 SDK types them, mapped to queue jobs: what the
// worker is told about each change, and which events the Action refuses (with the field named).
import type { Management } from "auth0";
import { describe, expect, it } from "vitest";
import { DEFAULT_DIRECTIVE_ATTRIBUTE, type EventMapping, eventToJob } from "../../shared/eventToJob.js";
import { jobIdFor, type SyncJob, syncJobSchema } from "../../shared/job.js";

type CreatedEvent = Management.EventStreamCloudEventUserCreatedCloudEvent;
type UpdatedEvent = Management.EventStreamCloudEventUserUpdatedCloudEvent;
type DeletedEvent = Management.EventStreamCloudEventUserDeletedCloudEvent;

const GROUP = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";
const USER_ID = "samlp|acme-entra|0b6d7f3e-5c1a-4e2b-9f8d-7a6c5b4e3d21";
const IDP_SECRET = "idp-access-token-must-not-leak";

/** A SCIM-provisioned user as Auth0 puts it in `data.object`. */
function scimUser() {
  return {
    user_id: USER_ID,
    email: "ada.lovelace@acme.example",
    email_verified: true,
    username: "ada",
    given_name: "Ada",
    family_name: "Lovelace",
    name: "Ada Lovelace",
    nickname: "ada.lovelace",
    picture: "https://cdn.example/ada.png",
    blocked: false,
    created_at: "2024-05-01T09:00:00.000Z",
    updated_at: "2024-05-01T10:15:30.000Z",
    app_metadata: { user_type: GROUP, external_id: "ext-42", scim_secret: "app-secret" },
    user_metadata: { theme: "dark" },
    identities: [
      {
        connection: "acme-entra",
        provider: "samlp" as const,
        user_id: "acme-entra|0b6d7f3e-5c1a-4e2b-9f8d-7a6c5b4e3d21",
        isSocial: false,
        access_token: IDP_SECRET,
      },
    ],
  };
}

const envelope = () => ({
  specversion: "1.0" as const,
  source: "urn:auth0:acme.eu.auth0.com",
  id: "evt_4Zp6TqX9bYw2Lk8Rm1Nc",
  time: "2024-05-01T10:15:31.250Z",
  a0tenant: "acme",
  a0stream: "est_6Yq2Wm9Vx4Pd",
});

const context = () => ({
  tenant: { id: "acme" },
  connection: { id: "con_9Kd2Lq7Wm3", name: "acme-entra", strategy: "samlp" },
});

// Typed with the SDK's own CloudEvent types, so the fixtures follow what Auth0 sends.
function created(): CreatedEvent {
  return { ...envelope(), type: "user.created", data: { object: scimUser(), context: context() } };
}

function deleted(): DeletedEvent {
  const object = { ...scimUser(), deleted_at: "2024-05-01T10:15:31.000Z" };
  return { ...envelope(), type: "user.deleted", data: { object, context: context() } };
}

/** An update whose previous_object holds `previous` (Auth0 sends only what changed). */
function updated(
  previous: Record<string, unknown>,
  change?: (user: Record<string, unknown>) => void,
): UpdatedEvent {
  const event: UpdatedEvent = {
    ...envelope(),
    type: "user.updated",
    data: {
      object: scimUser(),
      previous_object: {
        user_id: USER_ID,
        created_at: "2024-05-01T09:00:00.000Z",
        updated_at: "2024-05-01T09:30:00.000Z",
        identities: scimUser().identities,
        ...previous,
      },
      context: context(),
    },
  };
  if (change) withUser(event, change);
  return event;
}

function jobOf(message: unknown, attribute?: string): SyncJob {
  const mapping: EventMapping = eventToJob(message, attribute);
  if (mapping.kind !== "job") throw new Error(`expected a job, got reject: ${mapping.reason}`);
  return mapping.job;
}

function rejectionOf(message: unknown): string {
  const mapping = eventToJob(message);
  if (mapping.kind !== "reject") throw new Error(`expected a reject, got job ${JSON.stringify(mapping.job)}`);
  return mapping.reason;
}

/** Typed-object surgery for variants: the SDK types are strict, the messages Auth0 sends are not. */
function withUser(event: { data: { object: unknown } }, change: (user: Record<string, unknown>) => void) {
  change(event.data.object as Record<string, unknown>);
  return event;
}

describe("eventToJob: a user.created event", () => {
  it("becomes a job carrying exactly what the sync rules read", () => {
    expect(jobOf(created())).toEqual({
      schema: 1,
      origin: "event",
      event: { id: "evt_4Zp6TqX9bYw2Lk8Rm1Nc", type: "user.created", time: "2024-05-01T10:15:31.250Z" },
      connection: "acme-entra",
      version: "2024-05-01T10:15:30.000Z",
      user: {
        userId: USER_ID,
        userName: "ada",
        email: "ada.lovelace@acme.example",
        givenName: "Ada",
        familyName: "Lovelace",
        displayName: "Ada Lovelace",
        blocked: false,
      },
      directive: { state: "present", raw: GROUP },
    });
  });

  it("parses with syncJobSchema and carries no extra field, Auth0 profile or token", () => {
    const job = jobOf(created());
    const plain = JSON.parse(JSON.stringify(job));
    // Parsing strips unknown keys, so equality means the job had none.
    expect(plain).toEqual(JSON.parse(JSON.stringify(syncJobSchema.parse(job))));
    const text = JSON.stringify(job);
    for (const leak of [
      "app_metadata",
      "identities",
      "user_metadata",
      "access_token",
      IDP_SECRET,
      "app-secret",
    ]) {
      expect(text).not.toContain(leak);
    }
  });
});

describe("eventToJob: user.updated and user.deleted", () => {
  it("maps each user event type to a job of that type", () => {
    expect(jobOf(updated({ email: "old@acme.example" })).event.type).toBe("user.updated");
    expect(jobOf(deleted()).event.type).toBe("user.deleted");
    expect(syncJobSchema.safeParse(jobOf(deleted())).success).toBe(true);
  });

  it("carries the blocked flag (Entra active=false)", () => {
    expect(jobOf(withUser(created(), (u) => (u.blocked = true))).user.blocked).toBe(true);
    expect(jobOf(withUser(created(), (u) => (u.blocked = false))).user.blocked).toBe(false);
    expect(jobOf(withUser(created(), (u) => delete u.blocked)).user.blocked).toBe(false);
  });
});

describe("eventToJob: userName precedence (preferred_username > username > email)", () => {
  it("prefers preferred_username (SCIM userName)", () => {
    const job = jobOf(withUser(created(), (u) => (u.preferred_username = "ada@acme.example")));
    expect(job.user.userName).toBe("ada@acme.example");
  });

  it("falls back to username", () => {
    expect(jobOf(created()).user.userName).toBe("ada");
  });

  it("falls back to email when there is no username", () => {
    const job = jobOf(withUser(created(), (u) => delete u.username));
    expect(job.user.userName).toBe("ada.lovelace@acme.example");
  });

  it("skips blank values rather than sending an empty userName", () => {
    const job = jobOf(
      withUser(created(), (u) => {
        u.preferred_username = "  ";
        u.username = "";
      }),
    );
    expect(job.user.userName).toBe("ada.lovelace@acme.example");
  });

  it("leaves userName out when Auth0 has none of the three", () => {
    const job = jobOf(
      withUser(created(), (u) => {
        delete u.username;
        delete u.email;
      }),
    );
    expect(job.user.userName).toBeUndefined();
    expect(job.user.email).toBeUndefined();
    expect(syncJobSchema.safeParse(job).success).toBe(true);
  });
});

describe("eventToJob: version orders changes for a user", () => {
  it("is updated_at when Auth0 sends it", () => {
    expect(jobOf(created()).version).toBe("2024-05-01T10:15:30.000Z");
  });

  it("is the event time when updated_at is missing", () => {
    expect(jobOf(withUser(created(), (u) => delete u.updated_at)).version).toBe("2024-05-01T10:15:31.250Z");
  });

  it("is the event time when updated_at is not a date", () => {
    expect(jobOf(withUser(created(), (u) => (u.updated_at = "yesterday"))).version).toBe(
      "2024-05-01T10:15:31.250Z",
    );
  });

  it.each(["2024-05-01T10:15:30+01:00", "2024-05-01T10:15:30Z", "2024-05-01T10:15:30", "2024-05-01"])(
    "always yields a job the worker accepts (updated_at %j)",
    (updatedAt) => {
      const job = jobOf(withUser(created(), (u) => (u.updated_at = updatedAt)));
      expect(syncJobSchema.safeParse(job).success).toBe(true);
    },
  );
});

describe("eventToJob: connection routes the job to a tenant", () => {
  it("comes from data.context.connection.name", () => {
    const event = created();
    if (event.data.context?.connection) event.data.context.connection.name = "acme-entra-context";
    expect(jobOf(event).connection).toBe("acme-entra-context");
  });

  it("falls back to the first identity's connection without a context", () => {
    const event = created();
    delete event.data.context;
    expect(jobOf(event).connection).toBe("acme-entra");
  });

  it("falls back to the first identity's connection when the context has no connection", () => {
    const event = created();
    if (event.data.context) delete event.data.context.connection;
    expect(jobOf(event).connection).toBe("acme-entra");
  });

  it("rejects a user with no connection anywhere, naming identities", () => {
    const event = withUser(created(), (u) => (u.identities = []));
    delete (event as CreatedEvent).data.context;
    expect(rejectionOf(event)).toMatch(/identities/);
  });
});

describe("eventToJob: the directive attribute", () => {
  it("is present when app_metadata.user_type has a value, even an empty one", () => {
    const job = jobOf(withUser(created(), (u) => (u.app_metadata = { user_type: "" })));
    expect(job.directive).toEqual({ state: "present", raw: "" });
  });

  it("is cleared when absent now but present in previous_object (Entra cleared it)", () => {
    const event = updated({ app_metadata: { user_type: GROUP } }, (u) => (u.app_metadata = {}));
    expect(jobOf(event).directive).toEqual({ state: "cleared" });
  });

  it("is cleared when app_metadata itself vanished but previous_object had the attribute", () => {
    const event = updated({ app_metadata: { user_type: "NONE" } }, (u) => delete u.app_metadata);
    expect(jobOf(event).directive).toEqual({ state: "cleared" });
  });

  it("is present (current value wins) when both the object and previous_object have it", () => {
    const event = updated({ app_metadata: { user_type: "IGNORE" } });
    expect(jobOf(event).directive).toEqual({ state: "present", raw: GROUP });
  });

  it("is absent when never seen", () => {
    const event = updated({ email: "old@acme.example" }, (u) => (u.app_metadata = { external_id: "x" }));
    expect(jobOf(event).directive).toEqual({ state: "absent" });
    expect(jobOf(withUser(created(), (u) => delete u.app_metadata)).directive).toEqual({ state: "absent" });
  });

  it("keeps a non-string value as present so the worker fails it as invalid, not silently ignores it", () => {
    const job = jobOf(withUser(created(), (u) => (u.app_metadata = { user_type: [GROUP] })));
    expect(job.directive.state).toBe("present");
  });

  it("reads a custom attribute path instead of the default", () => {
    expect(DEFAULT_DIRECTIVE_ATTRIBUTE).toBe("app_metadata.user_type");
    const event = withUser(created(), (u) => {
      u.app_metadata = { user_type: "IGNORE", surecloud: { groups: GROUP } };
    });
    expect(jobOf(event, "app_metadata.surecloud.groups").directive).toEqual({ state: "present", raw: GROUP });
    expect(jobOf(event, "app_metadata.surecloud.other").directive).toEqual({ state: "absent" });
  });

  it("detects a cleared value on a custom attribute path", () => {
    const event = updated({ user_metadata: { groups: GROUP } });
    expect(jobOf(event, "user_metadata.groups").directive).toEqual({ state: "cleared" });
  });
});

describe("eventToJob: events that can never be handled are rejected with the field named", () => {
  it("rejects an event type this Action does not serve", () => {
    const event = { ...created(), type: "organization.created" };
    expect(rejectionOf(event)).toMatch(/^type\b/);
  });

  it("rejects a missing data.object", () => {
    const event = created() as unknown as { data: Record<string, unknown> };
    delete event.data.object;
    expect(rejectionOf(event)).toMatch(/^data\.object\b/);
  });

  it("rejects a missing user_id", () => {
    expect(rejectionOf(withUser(created(), (u) => delete u.user_id))).toMatch(/^data\.object\.user_id\b/);
  });

  it("rejects an empty user_id", () => {
    expect(rejectionOf(withUser(created(), (u) => (u.user_id = "")))).toMatch(/^data\.object\.user_id\b/);
  });

  it.each(["not a time", "2024-13-45T99:00:00Z", ""])("rejects a bad time %j", (time) => {
    expect(rejectionOf({ ...created(), time })).toMatch(/^time\b/);
  });

  it("rejects a missing time", () => {
    const event: Record<string, unknown> = { ...created() };
    delete event.time;
    expect(rejectionOf(event)).toMatch(/^time\b/);
  });

  it("rejects a missing id", () => {
    const event: Record<string, unknown> = { ...created() };
    delete event.id;
    expect(rejectionOf(event)).toMatch(/^id\b/);
  });

  it.each([[null], ["user.created"], [42], [[]]])(
    "rejects a message that is not an object (%j)",
    (message) => {
      expect(rejectionOf(message)).toMatch(/^message: \S/);
    },
  );
});

describe("jobIdFor", () => {
  it("keeps an Auth0 event id readable and prefixes the origin", () => {
    expect(jobIdFor("event", "evt_4Zp6TqX9bYw2Lk8Rm1Nc")).toBe("event-evt_4Zp6TqX9bYw2Lk8Rm1Nc");
    expect(jobIdFor("resync", "evt_4Zp6TqX9bYw2Lk8Rm1Nc")).toBe("resync-evt_4Zp6TqX9bYw2Lk8Rm1Nc");
  });

  it("strips ':' and other characters a BullMQ id must not carry", () => {
    const id = jobIdFor("event", "evt:abc/def ghi\n{x}|*");
    expect(id).not.toMatch(/[:/\s{}|*]/);
    expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(id.startsWith("event-")).toBe(true);
  });

  it("is deterministic, so a redelivered event is the same job", () => {
    expect(jobIdFor("event", "evt_a:b")).toBe(jobIdFor("event", "evt_a:b"));
  });

  it("never yields an integer id (BullMQ refuses those) even for a numeric event id", () => {
    expect(Number.isInteger(Number(jobIdFor("event", "12345")))).toBe(false);
  });
});
