// The Auth0 CloudEvent an Event Stream Action receives for a user change (`event.message`).
// Only the fields the sync rules read are checked; Auth0 sends many more and may add others.
import { z } from "zod";

export const userEventTypes = ["user.created", "user.updated", "user.deleted"] as const;
export const userEventTypeSchema = z.enum(userEventTypes);
export type UserEventType = z.infer<typeof userEventTypeSchema>;

const identitySchema = z.looseObject({
  connection: z.string().min(1),
  provider: z.string().optional(),
  user_id: z.union([z.string(), z.number()]).optional(),
});

/** The Auth0 user as it appears in `data.object` and `data.previous_object`. */
export const auth0UserSchema = z.looseObject({
  user_id: z.string().min(1),
  email: z.string().optional(),
  username: z.string().optional(),
  preferred_username: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  name: z.string().optional(),
  blocked: z.boolean().optional(),
  updated_at: z.string().optional(),
  app_metadata: z.record(z.string(), z.unknown()).optional(),
  identities: z.array(identitySchema).optional(),
});
export type Auth0User = z.infer<typeof auth0UserSchema>;

/** Any CloudEvent: enough to tell a user event from something this Action does not serve. */
export const cloudEventEnvelopeSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  time: z.string().optional(),
  source: z.string().optional(),
  a0tenant: z.string().optional(),
  a0stream: z.string().optional(),
  a0purpose: z.string().optional(),
});

export const userEventSchema = cloudEventEnvelopeSchema.extend({
  type: userEventTypeSchema,
  time: z.iso.datetime({ offset: true }),
  data: z.looseObject({
    object: auth0UserSchema,
    // Auth0 sends only the fields that changed, so nothing in it is required.
    previous_object: z.record(z.string(), z.unknown()).optional(),
    context: z
      .looseObject({
        connection: z
          .looseObject({
            id: z.string().optional(),
            name: z.string().optional(),
            strategy: z.string().optional(),
          })
          .optional(),
      })
      .optional(),
  }),
});
export type UserEvent = z.infer<typeof userEventSchema>;
