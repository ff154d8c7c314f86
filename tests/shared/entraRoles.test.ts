// Every shape in which Entra and Auth0 may hand over a user's app roles reads into the same role
// names; anything else fails as invalid-directive showing what was received.
import { describe, expect, it } from "vitest";
import { roleNames, roleNamesFromJson, rolesJson } from "../../shared/entraRoles.js";
import { PermanentError } from "../../shared/errors.js";

const risk = {
  primary: false,
  type: "WindowsAzureActiveDirectoryRole",
  display: "Risk Manager (display)",
  value: "Risk.Manager",
};
const breach = {
  primary: true,
  type: "WindowsAzureActiveDirectoryRole",
  displayName: "Breach Reporter",
  value: "Breach.Reporter",
};

function refusal(value: unknown, matchBy: "value" | "displayName" = "value"): string {
  try {
    roleNames(value, matchBy);
  } catch (error) {
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).reason).toBe("invalid-directive");
    return (error as Error).message;
  }
  throw new Error("expected the roles to be refused");
}

describe("reading a user's app roles", () => {
  it("an array of objects, matched by value or by display name (display or displayName)", () => {
    expect(roleNames([risk, breach], "value")).toEqual(["Risk.Manager", "Breach.Reporter"]);
    expect(roleNames([risk, breach], "displayName")).toEqual(["Risk Manager (display)", "Breach Reporter"]);
  });

  it("an array of JSON-encoded objects", () => {
    expect(roleNames([JSON.stringify(risk), JSON.stringify(breach)], "value")).toEqual([
      "Risk.Manager",
      "Breach.Reporter",
    ]);
  });

  it("Entra's PATCH Add form: an item whose value is the JSON of the real role", () => {
    const added = {
      value: JSON.stringify({ id: "6a1f", value: "Risk.Manager", displayName: "Risk Manager" }),
    };
    expect(roleNames([added], "value")).toEqual(["Risk.Manager"]);
    expect(roleNames([added], "displayName")).toEqual(["Risk Manager"]);
  });

  it("an array of plain strings, taken exactly as written", () => {
    expect(roleNames(["Risk Manager", " breach reporter"], "displayName")).toEqual([
      "Risk Manager",
      " breach reporter",
    ]);
  });

  it("a single object", () => {
    expect(roleNames(breach, "displayName")).toEqual(["Breach Reporter"]);
  });

  it("an empty array: no roles", () => {
    expect(roleNames([], "value")).toEqual([]);
  });

  it("survives the job: the JSON a job carries reads back to the same names", () => {
    expect(roleNamesFromJson(rolesJson([risk, JSON.stringify(breach)]), "value")).toEqual([
      "Risk.Manager",
      "Breach.Reporter",
    ]);
  });

  it("refuses a malformed shape, showing what was received", () => {
    expect(refusal("Risk Manager")).toBe(
      'The user\'s app roles must be a list of roles (objects, JSON text of objects, or names) or one role object; received: "Risk Manager"',
    );
    expect(refusal(42)).toContain("received: 42");
    expect(refusal(["Risk Manager", 7])).toBe(
      'The user\'s app roles item 2 is a number, not a role object or name; received: ["Risk Manager",7]',
    );
    expect(refusal([["nested"]])).toContain("item 1 is a list");
    expect(refusal([null])).toContain("item 1 is null");
    expect(refusal([""])).toContain("item 1 is an empty string");
    expect(refusal(['{"value": "Risk.Man'])).toContain("item 1 holds text that opens like a JSON object");
  });

  it("refuses an object without the field the tenant matches by", () => {
    expect(refusal([{ value: "Risk.Manager" }], "displayName")).toBe(
      'The user\'s app roles item 1 has no "displayName" or "display" (the tenant matches roles by displayName); received: [{"value":"Risk.Manager"}]',
    );
    expect(refusal([breach, { displayName: "x" }], "value")).toContain('item 2 has no "value"');
  });

  it("shows at most a bounded part of what was received", () => {
    const message = refusal(["ok", { huge: "x".repeat(10_000) }]);
    expect(message.length).toBeLessThan(400);
  });

  it("refuses roles too long or too deep for a job rather than cutting them", () => {
    const many = Array.from({ length: 400 }, (_, index) => ({ ...risk, value: `Role ${index}` }));
    expect(() => roleNamesFromJson(rolesJson(many), "value")).toThrow(/over 16384 characters of JSON/);
    expect(() => roleNamesFromJson(rolesJson([[[[["deep"]]]]]), "value")).toThrow(/nested over 4 levels/);
  });
});
