// What one Event Stream delivery becomes, decided without side effects. The Action and the worker's
// intake (Auth0's webhook destination) both follow it, so an event is handled the same whichever
// way it came in. zod/mini only, through eventToJob: the Action bundles this file.
import { eventToJob } from "./eventToJob.js";
import type { SyncJob } from "./job.js";

export interface DeliveryRules {
  /** Where the group directive lives on the Auth0 user. */
  directiveAttribute: string;
  /** Where the user's Entra app roles live on the Auth0 user. Default DEFAULT_ROLES_ATTRIBUTE. */
  rolesAttribute?: string;
  /** Connection names to sync; undefined syncs every connection. */
  connections: ReadonlySet<string> | undefined;
  /** The setting holding that allow-list (`CONNECTIONS`, `INTAKE_CONNECTIONS`), named in reasons. */
  allowListSetting: string;
}

export type DeliveryDecision =
  | { kind: "enqueue"; job: SyncJob }
  /** A sound delivery with nothing to sync: Auth0's test event, a connection outside the allow-list. */
  | { kind: "ignore"; reason: string }
  /** An event no retry can make handleable (not a user CloudEvent, no connection): never fail for ever on it. */
  | { kind: "reject"; reason: string };

export function decideDelivery(message: unknown, rules: DeliveryRules): DeliveryDecision {
  if (isTestDelivery(message)) return { kind: "ignore", reason: "test event" };
  const mapping = eventToJob(message, rules.directiveAttribute, rules.rolesAttribute);
  switch (mapping.kind) {
    case "reject":
      return { kind: "reject", reason: mapping.reason };
    case "job":
      if (rules.connections && !rules.connections.has(mapping.job.connection)) {
        const reason = `connection ${mapping.job.connection} is not in ${rules.allowListSetting}`;
        return { kind: "ignore", reason };
      }
      return { kind: "enqueue", job: mapping.job };
    default: {
      const never: never = mapping;
      throw new Error(`unexpected event mapping ${JSON.stringify(never)}`);
    }
  }
}

/** A comma-separated allow-list (`a, b,,c`) as a set; empty or unset allows every connection. */
export function parseConnectionList(text: string | undefined): ReadonlySet<string> | undefined {
  const names = text
    ?.split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  return names?.length ? new Set(names) : undefined;
}

/** The delivery's event id, cut short, for a log line about a delivery that is not a job. */
export function eventIdOf(message: unknown): string | undefined {
  return isRecord(message) && typeof message.id === "string" ? message.id.slice(0, 64) : undefined;
}

/** Auth0 sends `a0purpose: "test"` from the stream's "test event" button: nothing to sync. */
function isTestDelivery(message: unknown): boolean {
  return isRecord(message) && message.a0purpose === "test";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
