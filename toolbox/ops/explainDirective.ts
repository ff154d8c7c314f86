// What a group directive (the SCIM userType value) means, for `surecloud-sync explain`: the row of
// DESIGN rule 7 it falls under and, for a tenant, the catalogue groups it names. It answers as the
// worker would, before any SureCloud call: an invalid value or a UUID outside the catalogue fails.

import type { MissingDirectivePolicy } from "../../shared/directive.js";
import { type Directive, describeDirective, parseDirective } from "../../shared/directive.js";
import { PermanentError, type PermanentReason } from "../../shared/errors.js";
import type { Tenant } from "../../shared/tenants.js";

export interface ExplainedGroup {
  groupId: string;
  /** The catalogue's name for the group; null when the catalogue does not list it. */
  name: string | null;
  inCatalogue: boolean;
}

export interface DirectiveExplanation {
  input: string;
  /** The parsed directive; absent when the value is invalid. */
  directive?: Directive;
  /** One line for people; absent when the value is invalid. */
  meaning?: string;
  tenant?: { id: string; missingDirective: MissingDirectivePolicy; groups: ExplainedGroup[] };
  /** How the worker would fail a job carrying this value; absent when it would not. */
  failure?: { reason: PermanentReason; message: string };
}

export function explainDirective(
  raw: string,
  tenant?: Pick<Tenant, "id" | "missingDirective" | "groups">,
): DirectiveExplanation {
  let directive: Directive;
  try {
    directive = parseDirective(raw);
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    return { input: raw, failure: { reason: error.reason, message: error.message } };
  }
  const explanation: DirectiveExplanation = { input: raw, directive, meaning: describeDirective(directive) };
  if (!tenant) return explanation;

  const groupIds = directive.kind === "exact" ? directive.groupIds : [];
  const catalogue = new Map(tenant.groups.map((group) => [group.groupId, group.name]));
  const groups = groupIds.map((groupId) => ({
    groupId,
    name: catalogue.get(groupId) ?? null,
    inCatalogue: catalogue.has(groupId),
  }));
  explanation.tenant = { id: tenant.id, missingDirective: tenant.missingDirective, groups };
  const outside = groups.filter((group) => !group.inCatalogue).map((group) => group.groupId);
  if (outside.length > 0) {
    // The worker's own wording (worker/sync/groupCatalogue.ts), so a search of the logs finds it.
    explanation.failure = {
      reason: "unknown-group",
      message: `Group(s) not in tenant "${tenant.id}"'s catalogue: ${outside.join(", ")}`,
    };
  }
  return explanation;
}
