// Reading a connection too large for the user search (over 1000 users) through a users-export job:
// create the job for the connection, poll it, download the gzipped NDJSON file, and hand the users
// on in pages. The file is read whole: about 0.5 kB a user with the fields below.
import { gunzipSync } from "node:zlib";
import { type ManagementClient, ManagementError } from "auth0";
import { describeManagementError } from "../../worker/auth0/managementApi.js";
import { type Auth0UserPage, validUsers } from "./userPage.js";

/** The profile fields the sync rules read; JSON exports carry whole objects such as app_metadata. */
export const EXPORT_FIELDS = [
  "user_id",
  "email",
  "username",
  "preferred_username",
  "given_name",
  "family_name",
  "name",
  "blocked",
  "updated_at",
  "app_metadata",
  "identities",
] as const;

export interface ExportOptions {
  pollMs?: number;
  sleep: (ms: number) => Promise<void>;
  /** What the search said the connection holds, for progress. */
  total?: number;
  /** Longest wait for the job. Default 30 minutes. */
  timeoutMs?: number;
}

const PAGE_SIZE = 100;

export async function* exportConnectionUsers(
  client: ManagementClient,
  connection: string,
  options: ExportOptions,
): AsyncGenerator<Auth0UserPage> {
  const location = await runExportJob(client, connection, options);
  const records = await download(location);
  for (let start = 0; start < records.length; start += PAGE_SIZE) {
    const slice = records.slice(start, start + PAGE_SIZE);
    const { users, rejected } = validUsers(slice);
    yield { users, rejected, listed: start + slice.length, total: records.length, via: "export" };
  }
}

async function runExportJob(
  client: ManagementClient,
  connection: string,
  options: ExportOptions,
): Promise<string> {
  const what = `exporting users of connection "${connection}"`;
  try {
    const found = await client.connections.list({ name: connection, take: 1, fields: "id,name" });
    const connectionId = found.data.find((candidate) => candidate.name === connection)?.id;
    if (!connectionId) throw new Error(`Auth0 has no connection named "${connection}"`);
    const job = await client.jobs.usersExports.create({
      connection_id: connectionId,
      format: "json",
      fields: EXPORT_FIELDS.map((name) => ({ name })),
    });
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    while (Date.now() < deadline) {
      const status = await client.jobs.get(job.id);
      if (status.status === "completed" && status.location) return status.location;
      if (status.status === "failed")
        throw new Error(`Auth0 export job ${job.id} failed: ${status.status_details ?? ""}`);
      await options.sleep(options.pollMs ?? 2000);
    }
    throw new Error(`Auth0 export job ${job.id} did not finish in time`);
  } catch (error) {
    throw error instanceof ManagementError ? describeManagementError(error, what) : error;
  }
}

/** The export file: gzipped NDJSON (one user a line). */
async function download(location: string): Promise<unknown[]> {
  const response = await fetch(location, { signal: AbortSignal.timeout(5 * 60_000) });
  if (!response.ok) throw new Error(`downloading the Auth0 users export failed: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`the Auth0 users export has a line that is not JSON (line ${index + 1})`);
      }
    });
}
