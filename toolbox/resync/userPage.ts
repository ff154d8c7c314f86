// A page of Auth0 users as the listing hands it on, whether it came from the search or an export.
import { type Auth0User, auth0UserSchema } from "../../shared/auth0Event.js";

export interface Auth0UserPage {
  users: Auth0User[];
  /** Records Auth0 returned that are not usable users (no user_id…). */
  rejected: number;
  /** Users read so far, this page included. */
  listed: number;
  /** Users in the connection, when Auth0 said. */
  total: number | undefined;
  via: "search" | "export";
}

/** Keeps the records that are users the sync rules can read, and counts the others. */
export function validUsers(records: unknown[]): { users: Auth0User[]; rejected: number } {
  const users: Auth0User[] = [];
  let rejected = 0;
  for (const record of records) {
    const parsed = auth0UserSchema.safeParse(record);
    if (parsed.success) users.push(parsed.data);
    else rejected += 1;
  }
  return { users, rejected };
}
