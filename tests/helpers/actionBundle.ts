// The built Auth0 Action (dist/actions/group-sync.js), loaded as Auth0 loads it: CommonJS. A direct
// `vitest run` rebuilds the bundle first when its sources are newer (`npm test` builds anyway).
// Also a queue per test for the files that run it against the shared Redis.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { afterEach, beforeEach, vi } from "vitest";

export interface ActionModule {
  onExecuteEventStream(
    event: { message: unknown; secrets?: Record<string, string> },
    api?: unknown,
  ): Promise<void>;
  closeQueues(): Promise<void>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bundlePath = join(root, "dist", "actions", "group-sync.js");

export function ensureBundle(): void {
  const sources = ["actions", "shared"].flatMap((dir) =>
    readdirSync(join(root, dir)).map((name) => join(root, dir, name)),
  );
  sources.push(join(root, "scripts", "build.mjs"));
  const newest = Math.max(...sources.map((path) => statSync(path).mtimeMs));
  if (existsSync(bundlePath) && statSync(bundlePath).mtimeMs >= newest) return;
  execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--action-only"], { cwd: root });
}

/** The bundle, rebuilt first if stale. */
export function loadBuiltAction(): ActionModule {
  ensureBundle();
  return createRequire(import.meta.url)(bundlePath) as ActionModule;
}

export interface TestQueue {
  /** `test-<uuid>`, new for each test. */
  readonly name: string;
  readonly queue: Queue;
}

/**
 * Gives each test of the file a queue of its own on the shared Redis, obliterated after the test
 * with the Action's cached connections closed, and silences (while recording) the Action's console.log.
 */
export function queuePerTest(action: () => ActionModule): TestQueue {
  const current = { name: "", queue: undefined as unknown as Queue };
  beforeEach(() => {
    current.name = `test-${randomUUID()}`;
    current.queue = new Queue(current.name, { connection: { host: "127.0.0.1", port: 6379 } });
    vi.spyOn(console, "log").mockImplementation(() => undefined);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await action().closeQueues();
    await current.queue.obliterate({ force: true });
    await current.queue.close();
  });
  return current;
}
