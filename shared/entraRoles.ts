// A user's Entra app roles as Auth0 stores what Entra sent in SCIM `roles`, read into role names.
// Entra sends `{primary, type, display|displayName, value}` items, on updates sometimes as JSON
// text (a whole item, or an item whose `value` is the JSON of the real one); how Auth0 stores the
// array is not documented. Each of those shapes is read; anything else is invalid-directive with
// what was received, never a guess. No dependencies beyond the error classes, so the Action and a
// browser page can bundle it.
import { boundedJson } from "./boundedJson.js";
import { PermanentError } from "./errors.js";

/** Which field of a role item names the role: the app role's `value`, or its display name. */
export const roleMatches = ["value", "displayName"] as const;
export type RoleMatch = (typeof roleMatches)[number];

/**
 * Most characters of the roles' JSON a job carries: about 100 roles as Entra sends them. More is
 * refused as invalid-directive rather than cut, since a cut list would drop roles.
 */
export const MAX_ROLES_JSON = 16_384;

/** Deep enough for an array of items whose value is JSON text; deeper is no shape Entra sends. */
export const MAX_ROLES_DEPTH = 4;

/** How much of what was received an error shows. */
const SHOWN = { maxChars: 200, maxDepth: MAX_ROLES_DEPTH };

/** The JSON text a job carries for a roles value, cut at the limits (then unreadable, so refused). */
export function rolesJson(value: unknown): string {
  return boundedJson(value, { maxChars: MAX_ROLES_JSON + 1, maxDepth: MAX_ROLES_DEPTH });
}

/** Reads the roles JSON a job carries into role names. Throws PermanentError("invalid-directive"). */
export function roleNamesFromJson(json: string, matchBy: RoleMatch): string[] {
  if (json.length > MAX_ROLES_JSON) {
    throw invalidText(`are over ${MAX_ROLES_JSON} characters of JSON`, json);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // rolesJson wrote `[...]` or `{...}` for what lies deeper than MAX_ROLES_DEPTH.
    throw invalidText(`are nested over ${MAX_ROLES_DEPTH} levels deep`, json);
  }
  return roleNames(value, matchBy);
}

/** The role names in a roles value of any accepted shape, in the order given. */
export function roleNames(value: unknown, matchBy: RoleMatch): string[] {
  if (Array.isArray(value)) return value.map((item, index) => nameOfItem(item, index, matchBy, value));
  if (isRecord(value)) return [nameOfObject(value, matchBy, value, "the object")];
  throw invalid(
    "must be a list of roles (objects, JSON text of objects, or names) or one role object",
    value,
  );
}

function nameOfItem(item: unknown, index: number, matchBy: RoleMatch, received: unknown): string {
  const where = `item ${index + 1}`;
  if (typeof item === "string") {
    if (item === "") throw invalid(`${where} is an empty string`, received);
    const decoded = decodedObject(item, received, where);
    return decoded ? nameOfObject(decoded, matchBy, received, where) : item;
  }
  if (isRecord(item)) return nameOfObject(item, matchBy, received, where);
  throw invalid(`${where} is ${describeType(item)}, not a role object or name`, received);
}

function nameOfObject(
  item: Record<string, unknown>,
  matchBy: RoleMatch,
  received: unknown,
  where: string,
): string {
  // Entra's PATCH "Add" of AppRoleAssignmentsComplex: {"value": "{\"id\":…,\"value\":…,\"displayName\":…}"}.
  const inner = typeof item.value === "string" ? decodedObject(item.value, received, where) : undefined;
  const role = inner ?? item;
  const name = matchBy === "value" ? role.value : (role.displayName ?? role.display);
  if (typeof name === "string" && name !== "") return name;
  const field = matchBy === "value" ? '"value"' : '"displayName" or "display"';
  throw invalid(`${where} has no ${field} (the tenant matches roles by ${matchBy})`, received);
}

/** The object a JSON-text role holds; undefined when the text is a plain name (no opening brace). */
function decodedObject(text: string, received: unknown, where: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed)) return parsed;
  throw invalid(`${where} holds text that opens like a JSON object but is not one`, received);
}

function invalid(detail: string, received: unknown): PermanentError {
  return invalidText(detail, boundedJson(received, SHOWN));
}

/** `json` is what was received, as JSON text; its start is shown. */
function invalidText(detail: string, json: string): PermanentError {
  const shown = json.length > SHOWN.maxChars ? `${json.slice(0, SHOWN.maxChars - 3)}...` : json;
  return new PermanentError("invalid-directive", `The user's app roles ${detail}; received: ${shown}`);
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
