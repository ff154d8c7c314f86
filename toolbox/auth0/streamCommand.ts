// What the redeliver and stream-status commands share: the --stream option and its default, the
// Management API client from the environment, and --since/--until read as audit reads them.
import type { ManagementClient } from "auth0";
import { readAuth0Credentials } from "../../shared/auth0Credentials.js";
import { makeManagementClient } from "../../worker/auth0/managementApi.js";
import { parseInstant } from "../audit/timeRange.js";
import { UsageError } from "../cli/args.js";
import type { CliIo } from "../cli/command.js";
import type { EventStream } from "./eventStreamSchemas.js";
import { findStream } from "./streamLookup.js";

/** The stream tenant-config/tenant.yaml deploys (its `eventStreams[].name`). */
export const DEFAULT_STREAM = "surecloud-group-sync";

export const streamOption = { stream: { type: "string" } } as const;

export const streamOptionHelp = `  --stream <name|id>  The event stream, by name or id (est_…); default ${DEFAULT_STREAM}`;

export const credentialsHelp =
  "Management API credentials: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (the secret is never printed).";

function streamOf(values: { stream?: string | undefined }): string {
  const stream = values.stream ?? DEFAULT_STREAM;
  if (stream.trim() === "") throw new UsageError("--stream needs an event stream name or id");
  return stream.trim();
}

/** A command's output, its Management API client and the stream it is about. */
export interface StreamSession {
  io: CliIo;
  client: ManagementClient;
  stream: EventStream;
}

/**
 * Connects with the credentials in the environment (a missing one is named) and finds the stream
 * --stream names.
 */
export async function openStream(values: { stream?: string | undefined }, io: CliIo): Promise<StreamSession> {
  const name = streamOf(values);
  const client = makeManagementClient(readAuth0Credentials(io.env));
  return { io, client, stream: await findStream(client, name) };
}

/** The stream as the commands' JSON shows it. */
export function streamJson(stream: EventStream): Pick<EventStream, "id" | "name" | "status"> {
  return { id: stream.id, name: stream.name, status: stream.status };
}

/** --since/--until: an ISO 8601 time or an age (90m, 24h, 7d); a bad value is a usage error. */
export function instantOf(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInstant(value, flag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
