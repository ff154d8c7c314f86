// The fingerprint of a tenants file: a short hash of the configuration as the worker reads it
// (parsed, defaults filled in, referenced files resolved), not of the file's bytes, so reformatting
// the file changes nothing and a change in a file it references counts. The worker publishes the
// fingerprint it runs (log, /metrics, /readyz, Redis); check-config computes it from the file on
// disk the same way, so the two can be compared.
import { createHash } from "node:crypto";
import type { TenantsFile } from "../shared/tenants.js";

/** Hex digits kept: enough to tell files apart at a glance, short enough for a table. */
const FINGERPRINT_LENGTH = 12;

export function tenantsFingerprint(file: TenantsFile): string {
  return createHash("sha256").update(canonicalJson(file)).digest("hex").slice(0, FINGERPRINT_LENGTH);
}

/** Which tenants (by id) a new file adds, removes, or configures differently. */
export interface TenantsChange {
  added: string[];
  removed: string[];
  changed: string[];
}

export function tenantsChange(before: TenantsFile, after: TenantsFile): TenantsChange {
  const old = new Map(before.tenants.map((tenant) => [tenant.id, canonicalJson(tenant)]));
  const now = new Map(after.tenants.map((tenant) => [tenant.id, canonicalJson(tenant)]));
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed: [...now].filter(([id, json]) => old.has(id) && old.get(id) !== json).map(([id]) => id),
  };
}

/** JSON with object keys in order (Maps as objects, Sets as arrays), so equal values read equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Map) return sortedObject(Object.fromEntries(item));
    if (item instanceof Set) return [...item];
    if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      return sortedObject(item as Record<string, unknown>);
    }
    return item;
  });
}

function sortedObject(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key]]),
  );
}
