// The built Action reads exactly the secrets of shared/actionSecrets.ts: the list the tenant deploy
// writes from ACTION_<NAME> (tests/tenant-config/tools/actionSecrets.test.ts checks that side). A
// secret the Action read outside that list could only be set by hand in Auth0, where the next deploy
// would drop it.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { actionSecretNames } from "../../shared/actionSecrets.js";
import { type ActionModule, loadBuiltAction } from "../helpers/actionBundle.js";

let action: ActionModule;

beforeAll(() => {
  action = loadBuiltAction();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Action's secrets", () => {
  it("are read by name from the one shared list, and no other name is read", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const read = new Set<string>();
    const secrets = new Proxy({ REDIS_URL: "redis://127.0.0.1:6379" } as Record<string, string>, {
      get(target, name, receiver) {
        if (typeof name === "string") read.add(name);
        return Reflect.get(target, name, receiver);
      },
    });
    // A message that is no event: acknowledged after the secrets are read, with no Redis call.
    await action.onExecuteEventStream({ message: { not: "an event" }, secrets });
    expect([...read].sort()).toEqual([...actionSecretNames].sort());
  });
});
