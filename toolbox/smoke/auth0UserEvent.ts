// Builds Auth0 user CloudEvents (`event.message` of an Event Stream Action), typed with the auth0
// SDK's own CloudEvent types so that they follow what Auth0 sends: the smoke test's `send-event`
// and, through dev/auth0Events.ts, the demo, the benchmark and the tests.
import { randomUUID } from "node:crypto";
import type { Management } from "auth0";

export type Auth0UserEventType = "user.created" | "user.updated" | "user.deleted";
export const auth0UserEventTypes: readonly Auth0UserEventType[] = [
  "user.created",
  "user.updated",
  "user.deleted",
];

export type Auth0UserCloudEvent =
  | Management.EventStreamCloudEventUserCreatedCloudEvent
  | Management.EventStreamCloudEventUserUpdatedCloudEvent
  | Management.EventStreamCloudEventUserDeletedCloudEvent;

export interface UserEventOptions {
  /** Default `user.created`. */
  type?: Auth0UserEventType;
  /** The CloudEvent id; default a fresh `evt_…`. */
  id?: string;
  /** Auth0 `user_id`; default `samlp|<connection>|<uuid>`. */
  userId?: string;
  /** Auth0 connection name (identity and `data.context.connection`); default `acme-entra`. */
  connection?: string;
  /** Connection strategy and identity provider; default `samlp`. */
  strategy?: "samlp" | "oidc" | "waad";
  /** The Auth0 tenant the event comes from (`a0tenant`, `source`); default `acme`. */
  auth0Tenant?: string;
  /** `app_metadata.user_type` (the group directive); omitted when undefined. */
  userType?: string;
  /** Entra app roles, as SCIM `roles` lands in `app_metadata.roles`; omitted when undefined. */
  roles?: string[];
  /** Omitted when undefined, as Auth0 does for a user never blocked. */
  blocked?: boolean;
  /** `data.object.updated_at`; default `time`. */
  updatedAt?: string;
  /** The event `time`; default now. */
  time?: string;
  /** `data.previous_object`: Auth0 sends only the fields that changed. */
  previous?: Record<string, unknown>;
  email?: string;
  /** SCIM `userName`, which Auth0 stores as `preferred_username`. */
  userName?: string;
  givenName?: string;
  familyName?: string;
  /** Display name; default `<givenName> <familyName>`. */
  name?: string;
  /** `a0purpose`: `test` marks the stream's "send test event" deliveries. */
  purpose?: "test";
  /** Leave out `data.context` (Auth0 does not always send it); the identity still names the connection. */
  withoutContext?: boolean;
  /** Extra fields merged into `data.object`. */
  extra?: Record<string, unknown>;
}

/** A user event as Auth0 delivers it to an Event Stream Action for a SCIM-provisioned user. */
export function makeUserEvent(options: UserEventOptions = {}): Auth0UserCloudEvent {
  const connection = options.connection ?? "acme-entra";
  const strategy = options.strategy ?? "samlp";
  const tenant = options.auth0Tenant ?? "acme";
  const time = options.time ?? new Date().toISOString();
  const message = {
    specversion: "1.0" as const,
    type: options.type ?? "user.created",
    source: `urn:auth0:${tenant}.eu.auth0.com`,
    id: options.id ?? newEventId(),
    time,
    a0tenant: tenant,
    a0stream: "est_6Yq2Wm9Vx4PdT3",
    ...(options.purpose ? { a0purpose: options.purpose } : {}),
    data: {
      object: makeUser(options, connection, strategy, time),
      ...(options.previous ? { previous_object: options.previous } : {}),
      ...(options.withoutContext
        ? {}
        : {
            context: {
              tenant: { id: tenant },
              connection: {
                id: `con_${connection.replace(/[^A-Za-z0-9]/g, "")}`,
                name: connection,
                strategy,
              },
            },
          }),
    },
  };
  return message as Auth0UserCloudEvent;
}

function makeUser(
  options: UserEventOptions,
  connection: string,
  strategy: NonNullable<UserEventOptions["strategy"]>,
  time: string,
): Management.EventStreamCloudEventUserCreatedObject {
  const subject = randomUUID();
  const givenName = options.givenName ?? "Ada";
  const familyName = options.familyName ?? "Lovelace";
  const email = options.email ?? `${givenName}.${familyName}@acme.example`.toLowerCase();
  return {
    user_id: options.userId ?? `${strategy}|${connection}|${subject}`,
    email,
    email_verified: true,
    preferred_username: options.userName ?? email,
    given_name: givenName,
    family_name: familyName,
    name: options.name ?? `${givenName} ${familyName}`,
    nickname: givenName.toLowerCase(),
    picture: "https://s.gravatar.com/avatar/0f1e2d3c?s=480&r=pg&d=mp",
    created_at: "2024-05-01T09:00:00.000Z",
    updated_at: options.updatedAt ?? time,
    ...(options.blocked === undefined ? {} : { blocked: options.blocked }),
    app_metadata: {
      external_id: subject,
      ...(options.userType === undefined ? {} : { user_type: options.userType }),
      ...(options.roles === undefined ? {} : { roles: options.roles.map(appRoleAssignment) }),
    },
    user_metadata: {},
    identities: [{ connection, provider: strategy, user_id: subject, isSocial: false }],
    ...options.extra,
  };
}

/** One item of Entra's `AssertiveAppRoleAssignmentsComplex` output, as SCIM `roles` carries it. */
function appRoleAssignment(role: string) {
  return { primary: false, type: "WindowsAzureActiveDirectoryRole", display: role, value: role };
}

/** Auth0 event ids look like `evt_` followed by base62 characters. */
export function newEventId(): string {
  return `evt_${randomUUID().replace(/-/g, "").slice(0, 22)}`;
}
