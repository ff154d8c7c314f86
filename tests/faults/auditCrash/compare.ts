// The two lists of a user's writes the test compares, as multisets of `createUser`, `updateUser`,
// `addMember <group>`, `removeMember <group>`: what SureCloud acknowledged (the emulator's request
// log, 2xx only) and what the audit trail lists.
import type { LoggedRequest } from "../../../dev/surecloud-emulator/requestLog.js";
import type { StoredAuditEntry } from "../../../worker/audit/auditEntry.js";

/** The writes SureCloud acknowledged among these requests, sorted. */
export function acknowledgedWrites(requests: LoggedRequest[]): string[] {
  return requests
    .filter((request) => request.status >= 200 && request.status < 300)
    .flatMap((request) => writeOf(request))
    .sort();
}

/** The writes these audit entries list, sorted. */
export function auditedWrites(entries: StoredAuditEntry[]): string[] {
  return entries
    .flatMap((entry) => [
      ...(entry.created ? ["createUser"] : entry.fields.length > 0 ? ["updateUser"] : []),
      ...entry.added.map((group) => `addMember ${group.id.toLowerCase()}`),
      ...entry.removed.map((group) => `removeMember ${group.id.toLowerCase()}`),
    ])
    .sort();
}

/** A logged request as a write: method + path → createUser / updateUser / addMember g / removeMember g. */
function writeOf(request: LoggedRequest): string[] {
  const segments = request.path.split("/").slice(4).map(decodeURIComponent);
  const [collection, id, members] = segments;
  if (request.method === "POST" && collection === "users" && segments.length === 1) return ["createUser"];
  if (request.method === "PATCH" && collection === "users" && segments.length === 2) return ["updateUser"];
  if (collection === "groups" && members === "members" && segments.length === 4 && id) {
    if (request.method === "PUT") return [`addMember ${id.toLowerCase()}`];
    if (request.method === "DELETE") return [`removeMember ${id.toLowerCase()}`];
  }
  return [];
}

/** Every item of `part` is in `whole`, as often at least. */
export function isSubMultiset(part: string[], whole: string[]): boolean {
  const left = [...whole];
  return part.every((item) => {
    const at = left.indexOf(item);
    if (at < 0) return false;
    left.splice(at, 1);
    return true;
  });
}

/** The failure message: both lists, the kills with what each attempt logged, the worker's last output. */
export function describeWrites(
  acknowledged: string[],
  audited: string[],
  kills: Array<{ attempt: number; label: string; detail: string }>,
  tail: string,
): string {
  return [
    `SureCloud acknowledged: ${JSON.stringify(acknowledged)}`,
    `audit trail lists:      ${JSON.stringify(audited)}`,
    ...kills.map((kill) => `kill ${kill.attempt}: ${kill.label} ${kill.detail}`),
    `worker log tail:\n${tail}`,
  ].join("\n");
}
