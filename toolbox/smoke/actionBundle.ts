// The built Event Stream Action (dist/actions/group-sync.js), loaded at run time by path, as Auth0
// loads it: CommonJS. The toolbox may not import actions/ source (docs/architecture.md), and a smoke
// test must exercise exactly the bundle that is deployed. Found from a checkout (toolbox/ or
// dist/toolbox/) and in the worker image (/app/dist/toolbox/), which carries dist/actions.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What the bundle exports; `closeQueues` lets a short-lived process end. */
export interface ActionModule {
  onExecuteEventStream(
    event: { message: unknown; secrets: Record<string, string> },
    api: unknown,
  ): Promise<void>;
  closeQueues(): Promise<void>;
}

export const ACTION_BUNDLE = join("dist", "actions", "group-sync.js");

/** The bundle's path: the first `dist/actions/group-sync.js` above this module. */
export function actionBundlePath(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, ACTION_BUNDLE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`the built Action (${ACTION_BUNDLE}) was not found above ${from}: run npm run build`);
    }
  }
}

export function loadActionBundle(path: string = actionBundlePath()): ActionModule {
  return createRequire(import.meta.url)(path) as ActionModule;
}
