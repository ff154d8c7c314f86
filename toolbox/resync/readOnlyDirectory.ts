// A guard for dry runs, plans and drift reports: the SureCloud directory with every write method
// replaced by one that throws, so a preview can never change SureCloud, whatever the code calls.
import type { SureCloudDirectory } from "../../worker/surecloud/directory.js";
import { makeGroupCatalogue } from "../../worker/sync/groupCatalogue.js";
import type { TenantRuntime } from "../../worker/sync/tenantRuntime.js";

export class WriteAttemptedError extends Error {
  override readonly name = "WriteAttemptedError";
}

export function readOnlyDirectory(directory: SureCloudDirectory): SureCloudDirectory {
  const refuse = (operation: string) => async (): Promise<never> => {
    throw new WriteAttemptedError(`${operation} attempted during a read-only preview`);
  };
  return {
    listGroups: () => directory.listGroups(),
    getUser: (userId) => directory.getUser(userId),
    findUser: (lookup) => directory.findUser(lookup),
    listUserGroups: (userId) => directory.listUserGroups(userId),
    createUser: refuse("createUser"),
    updateUser: refuse("updateUser"),
    addMember: refuse("addMember"),
    removeMember: refuse("removeMember"),
  };
}

/** The tenants' runtimes with read-only directories, and catalogues that read through them. */
export function readOnlyRuntimes(runtimes: Map<string, TenantRuntime>): Map<string, TenantRuntime> {
  const guarded = new Map<string, TenantRuntime>();
  for (const [id, runtime] of runtimes) {
    const directory = readOnlyDirectory(runtime.directory);
    guarded.set(id, {
      tenant: runtime.tenant,
      directory,
      catalogue: makeGroupCatalogue(runtime.tenant, directory),
    });
  }
  return guarded;
}
