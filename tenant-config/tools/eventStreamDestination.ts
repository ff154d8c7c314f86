// Where the event stream delivers, chosen per deploy with EVENT_STREAM_DESTINATION:
//   action   (default) tenant.yaml as written: the Action, and the stream bound to it. Simplest, but
//            the Action writes to Redis, so Redis must be reachable from Auth0's egress.
//   webhook  the same stream (name + `-webhook`), posting to the worker's intake at INTAKE_URL with
//            INTAKE_TOKEN as its bearer token; no Action is deployed and Redis stays private.
// The token is a deploy-cli keyword: the staged file holds `##INTAKE_TOKEN##`, never the value.
import { isMap, isNode, isSeq, parseDocument, Scalar, visit } from "yaml";
import { ConfigError } from "../../shared/errors.js";
import { INTAKE_PATH, intakeTokenProblem } from "../../shared/intake.js";
import type { KeywordValues } from "./keywords.js";

export const eventStreamDestinations = ["action", "webhook"] as const;
export type EventStreamDestination = (typeof eventStreamDestinations)[number];

/** The environment variables of the webhook destination, also its keywords in the staged file. */
export const webhookKeywords = { url: "INTAKE_URL", token: "INTAKE_TOKEN" } as const;

/** Auth0 cannot change a stream's destination type, so the webhook stream has a name of its own. */
export const WEBHOOK_STREAM_SUFFIX = "-webhook";

/** EVENT_STREAM_DESTINATION, `action` when unset. */
export function eventStreamDestinationOf(env: NodeJS.ProcessEnv): EventStreamDestination {
  const value = env.EVENT_STREAM_DESTINATION?.trim() || "action";
  const known = eventStreamDestinations.find((destination) => destination === value);
  if (!known) {
    throw new ConfigError(
      `EVENT_STREAM_DESTINATION must be ${eventStreamDestinations.join(" or ")}, not "${value.slice(0, 40)}"`,
    );
  }
  return known;
}

/** tenant.yaml's text for the destination: as it is for `action`; for `webhook`, rewritten. */
export function tenantTextFor(
  destination: EventStreamDestination,
  tenantText: string,
  origin: string,
): string {
  switch (destination) {
    case "action":
      return tenantText;
    case "webhook":
      return toWebhook(tenantText, origin);
    default: {
      const never: never = destination;
      throw new Error(`unknown destination ${String(never)}`);
    }
  }
}

/** Drops the Action and points every event stream at the intake, keeping its subscriptions. */
function toWebhook(tenantText: string, origin: string): string {
  const document = parseDocument(tenantText);
  const streams = document.get("eventStreams");
  if (!isSeq(streams) || streams.items.length === 0) {
    throw new ConfigError(`${origin}: has no eventStreams to point at the intake`);
  }
  document.delete("actions");
  for (const stream of streams.items) {
    if (!isMap(stream)) throw new ConfigError(`${origin}: an eventStreams entry is not a mapping`);
    stream.set("name", `${String(stream.get("name"))}${WEBHOOK_STREAM_SUFFIX}`);
    stream.set(
      "destination",
      document.createNode({
        type: "webhook",
        configuration: {
          webhook_endpoint: keyword(webhookKeywords.url),
          webhook_authorization: { method: "bearer", token: keyword(webhookKeywords.token) },
        },
      }),
    );
  }
  // tenant.yaml's comments name the Action's keywords, and every keyword in the text must have a value.
  visit(document, (_key, node) => {
    if (isNode(node)) {
      node.commentBefore = null;
      node.comment = null;
    }
  });
  document.commentBefore = ` Staged from ${origin} for EVENT_STREAM_DESTINATION=webhook: no Action, the stream posts to the intake.`;
  document.comment = null;
  return document.toString();
}

/** A `##NAME##` keyword in double quotes, as deploy-inputs' value check expects. */
function keyword(name: string): Scalar {
  const scalar = new Scalar(`##${name}##`);
  scalar.type = Scalar.QUOTE_DOUBLE;
  return scalar;
}

/** Refuses a webhook deploy whose URL or token the intake would not take; never quotes the token. */
export function checkWebhookValues(values: KeywordValues): void {
  const url = values[webhookKeywords.url];
  const token = values[webhookKeywords.token];
  if (typeof url === "string") {
    const problem = intakeUrlProblem(url);
    if (problem) throw new ConfigError(`${webhookKeywords.url} ${problem}`);
  }
  if (typeof token === "string") {
    const problem = intakeTokenProblem(token);
    if (problem) throw new ConfigError(`${webhookKeywords.token} ${problem}`);
  }
}

function intakeUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be a URL, e.g. https://sync.example.com/events";
  }
  if (url.protocol !== "https:")
    return "must be an https:// URL (the intake behind a TLS-terminating ingress)";
  if (url.username || url.password) return "must not carry credentials: the bearer token is INTAKE_TOKEN";
  if (!url.pathname.endsWith(INTAKE_PATH)) return `must end with ${INTAKE_PATH}, the intake's route`;
  return undefined;
}
