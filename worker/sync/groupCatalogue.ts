// Resolves a directive's UUIDs to groups, all-or-nothing: each must be in the tenant's catalogue
// and exist in SureCloud, checked before the first write. SureCloud's group list is cached briefly
// so an unchanged user costs no group listing.

import type { Group, GroupRef } from "../../contract/surecloud.js";
import type { Directive } from "../../shared/directive.js";
import { PermanentError } from "../../shared/errors.js";
import type { Tenant } from "../../shared/tenants.js";
import type { SureCloudDirectory } from "../surecloud/directory.js";

export type ResolvedDirective = { kind: "clear" } | { kind: "exact"; groups: GroupRef[] };

export interface GroupCatalogue {
  /** Resolves `clear` / `exact`; throws PermanentError("unknown-group") naming every bad UUID. */
  resolve(directive: Exclude<Directive, { kind: "ignore" }>): Promise<ResolvedDirective>;
}

export interface GroupCatalogueOptions {
  /** How long SureCloud's group list is trusted. Default 60 s. */
  ttlMs?: number;
  now?: () => number;
}

export function makeGroupCatalogue(
  tenant: Tenant,
  directory: SureCloudDirectory,
  options: GroupCatalogueOptions = {},
): GroupCatalogue {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const catalogue = new Map(tenant.groups.map((group) => [group.groupId, group]));
  let cached: { at: number; groups: Map<string, Group> } | undefined;

  let loading: Promise<Map<string, Group>> | undefined;

  /** SureCloud's groups, cached; concurrent jobs share one listing rather than each sending their own. */
  function sureCloudGroups(fresh: boolean): Promise<Map<string, Group>> {
    if (!fresh && cached && now() - cached.at < ttlMs) return Promise.resolve(cached.groups);
    loading ??= directory
      .listGroups()
      .then((groups) => {
        cached = { at: now(), groups: new Map(groups.map((group) => [group.id.toLowerCase(), group])) };
        return cached.groups;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  return {
    async resolve(directive) {
      if (directive.kind === "clear") return { kind: "clear" };
      const outside = directive.groupIds.filter((id) => !catalogue.has(id));
      if (outside.length > 0) {
        throw new PermanentError(
          "unknown-group",
          `Group(s) not in tenant "${tenant.id}"'s catalogue: ${outside.join(", ")}`,
        );
      }
      let known = await sureCloudGroups(false);
      // A group may have been created since the list was cached: look once more before failing.
      if (directive.groupIds.some((id) => !known.has(id))) known = await sureCloudGroups(true);
      const missing = directive.groupIds.filter((id) => !known.has(id));
      if (missing.length > 0) {
        throw new PermanentError("unknown-group", `Group(s) not found in SureCloud: ${missing.join(", ")}`);
      }
      return {
        kind: "exact",
        groups: directive.groupIds.map((id) => {
          const group = known.get(id) as Group;
          return { id: group.id, name: group.name };
        }),
      };
    },
  };
}
