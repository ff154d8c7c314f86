// The Auth0 CloudEvent an Event Stream Action receives for a user change (`event.message`).
// Only the fields the sync rules read are checked; Auth0 sends many more and may add others.
// zod/mini rather than classic zod keeps the Action bundle well under Auth0's 100 kB.
import * as z from "./zodMini.js";

export const userEventTypes = ["user.created", "user.updated", "user.deleted"] as const;
export const userEventTypeSchema = z.enum(userEventTypes);
export type UserEventType = z.infer<typeof userEventTypeSchema>;

/** A string that is not empty: `z.string().min(1)` in zod's classic API. */
const nonEmptyString = () => z.string().check(z.minLength(1));
const optionalString = () => z.optional(z.string());

const identitySchema = z.looseObject({
  connection: nonEmptyString(),
  provider: optionalString(),
  user_id: z.optional(z.union([z.string(), z.number()])),
});

/** The Auth0 user as it appears in `data.object` and `data.previous_object`. */
export const auth0UserSchema = z.looseObject({
  user_id: nonEmptyString(),
  email: optionalString(),
  username: optionalString(),
  preferred_username: optionalString(),
  given_name: optionalString(),
  family_name: optionalString(),
  name: optionalString(),
  blocked: z.optional(z.boolean()),
  updated_at: optionalString(),
  app_metadata: z.optional(z.record(z.string(), z.unknown())),
  identities: z.optional(z.array(identitySchema)),
});
export type Auth0User = z.infer<typeof auth0UserSchema>;

/** Any CloudEvent: enough to tell a user event from something this Action does not serve. */
export const cloudEventEnvelopeSchema = z.looseObject({
  id: nonEmptyString(),
  type: nonEmptyString(),
  time: optionalString(),
  source: optionalString(),
  a0tenant: optionalString(),
  a0stream: optionalString(),
  a0purpose: optionalString(),
});

export const userEventSchema = z.extend(cloudEventEnvelopeSchema, {
  type: userEventTypeSchema,
  time: z.iso.datetime({ offset: true }),
  data: z.looseObject({
    object: auth0UserSchema,
    // Auth0 sends only the fields that changed, so nothing in it is required.
    previous_object: z.optional(z.record(z.string(), z.unknown())),
    context: z.optional(
      z.looseObject({
        connection: z.optional(
          z.looseObject({
            id: optionalString(),
            name: optionalString(),
            strategy: optionalString(),
          }),
        ),
      }),
    ),
  }),
});
export type UserEvent = z.infer<typeof userEventSchema>;
