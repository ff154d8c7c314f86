// The SureCloudDirectory over HTTP, as surecloud-api.yaml describes it. Every answer is checked against
// the contract before it reaches the sync rules, and every failure leaves as a RetryableError or PermanentError.
import {
  type Group,
  groupPageSchema,
  groupRefListSchema,
  MAX_GROUP_PAGE_LIMIT,
  type SureCloudUser,
  sureCloudUserSchema,
  type UserLookup,
  userListSchema,
} from "../../contract/surecloud.js";
import { PermanentError } from "../../shared/errors.js";
import { workerDefaults } from "../defaults.js";
import type { SureCloudDirectory } from "./directory.js";
import { type ApiRequest, makeTransport, type TransportOptions } from "./transport.js";

export type { SureCloudCall } from "./transport.js";

export interface SureCloudClientOptions extends TransportOptions {
  /** Most pages one listing reads. Default workerDefaults.SURECLOUD_MAX_PAGES. */
  maxPages?: number;
  /** Longest one listing may run, in ms. Default workerDefaults.SURECLOUD_PAGING_BUDGET_MS. */
  pagingBudgetMs?: number;
  /** Clock of the paging budget, in ms. Default `Date.now`. */
  now?: () => number;
}

/** The largest page the contract allows, so a big tenant takes few requests. */
const groupPageLimit = MAX_GROUP_PAGE_LIMIT;

export function makeSureCloudClient(options: SureCloudClientOptions): SureCloudDirectory {
  const { send, sendForJson, forTenant } = makeTransport(options);
  const path = (...segments: string[]) => `/${segments.map(encodeURIComponent).join("/")}`;
  const maxPages = options.maxPages ?? workerDefaults.SURECLOUD_MAX_PAGES;
  const pagingBudgetMs = options.pagingBudgetMs ?? workerDefaults.SURECLOUD_PAGING_BUDGET_MS;
  const now = options.now ?? Date.now;

  return {
    async listGroups() {
      const started = now();
      const groups: Group[] = [];
      const seenCursors = new Set<string>();
      let cursor: string | null = null;
      for (let pages = 1; ; pages += 1) {
        const query: Record<string, string> = {
          limit: String(groupPageLimit),
          ...(cursor ? { cursor } : {}),
        };
        const request: ApiRequest = { operation: "listGroups", method: "GET", path: "/groups", query };
        const page = await sendForJson(request, groupPageSchema);
        groups.push(...page.items);
        cursor = page.nextCursor || null;
        if (!cursor) return groups;
        // A server that hands back a cursor it gave before would keep us paging for ever.
        if (seenCursors.has(cursor)) {
          throw new PermanentError(
            "surecloud-rejected",
            `SureCloud listGroups${forTenant} repeated a page cursor`,
          );
        }
        seenCursors.add(cursor);
        // So would one that hands out new cursors for ever: 1,502 empty pages once held a tenant's jobs.
        const elapsedMs = now() - started;
        if (pages >= maxPages || elapsedMs >= pagingBudgetMs) {
          throw new PermanentError(
            "surecloud-rejected",
            `SureCloud listGroups${forTenant} was given up after ${pages} pages (${groups.length} groups) in ${(elapsedMs / 1000).toFixed(1)} s, and the server still offered a next page; a listing may take ${maxPages} pages and ${pagingBudgetMs / 1000} s`,
          );
        }
      }
    },

    async findUser(lookup) {
      const [key, value] = lookupFilter(lookup);
      const request: ApiRequest = {
        operation: "findUsers",
        method: "GET",
        path: "/users",
        query: { [key]: value },
      };
      const { items } = await sendForJson(request, userListSchema);
      // Linking the wrong person is the worst mistake this worker can make: trust only a real match.
      const match = items.find((user) => matchesLookup(user, key, value));
      if (items.length > 0 && !match) {
        throw new PermanentError(
          "surecloud-rejected",
          `SureCloud findUsers answered users that do not match ${key}`,
        );
      }
      return match;
    },

    async getUser(userId) {
      const request: ApiRequest = { operation: "getUser", method: "GET", path: path("users", userId) };
      try {
        return await sendForJson(request, sureCloudUserSchema);
      } catch (error) {
        // Gone (or never there): the caller falls back to the look-ups.
        if (error instanceof PermanentError && error.status === 404) return undefined;
        throw error;
      }
    },

    createUser(user) {
      return sendForJson(
        { operation: "createUser", method: "POST", path: "/users", body: user },
        sureCloudUserSchema,
      );
    },

    updateUser(userId, patch) {
      const request: ApiRequest = {
        operation: "updateUser",
        method: "PATCH",
        path: path("users", userId),
        body: patch,
      };
      return sendForJson(request, sureCloudUserSchema);
    },

    async listUserGroups(userId) {
      const request: ApiRequest = {
        operation: "listUserGroups",
        method: "GET",
        path: path("users", userId, "groups"),
      };
      return (await sendForJson(request, groupRefListSchema)).items;
    },

    async addMember(groupId, userId) {
      await send({ operation: "addMember", method: "PUT", path: path("groups", groupId, "members", userId) });
    },

    async removeMember(groupId, userId) {
      await send({
        operation: "removeMember",
        method: "DELETE",
        path: path("groups", groupId, "members", userId),
      });
    },
  };
}

type LookupKey = "externalId" | "userName" | "email";

function lookupFilter(lookup: UserLookup): [LookupKey, string] {
  if ("externalId" in lookup) return ["externalId", lookup.externalId];
  if ("userName" in lookup) return ["userName", lookup.userName];
  return ["email", lookup.email];
}

/** The contract's matching rules: externalId exact, userName and email case-insensitive. */
function matchesLookup(user: SureCloudUser, key: LookupKey, value: string): boolean {
  switch (key) {
    case "externalId":
      return user.externalId === value;
    case "userName":
    case "email":
      return user[key].toLowerCase() === value.toLowerCase();
    default: {
      const never: never = key;
      return never;
    }
  }
}
