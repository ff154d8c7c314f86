// Notices when the tenants file changes on disk. It watches the directory that holds the file, not
// the file: a Kubernetes ConfigMap volume replaces its files by swapping a `..data` symlink, and
// editors save by writing a new file and renaming it over the old one, and a watch on the old file
// sees neither. A burst of events (one save is often several) becomes one call after a quiet spell;
// the reload then compares fingerprints, so an event that changed nothing the worker reads is cheap.
import { type FSWatcher, watch } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../shared/logger.js";

/** Quiet time after the last event before the file is read again. */
export const WATCH_DEBOUNCE_MS = 300;

export interface TenantsWatch {
  close(): void;
}

/**
 * Calls `onChange` after changes in the directories of `files`. A directory that cannot be watched
 * (gone, or the host's inotify limit reached) is logged once; SIGHUP still reloads.
 */
export function watchTenantsFiles(
  files: string[],
  onChange: () => void,
  logger: Logger,
  debounceMs = WATCH_DEBOUNCE_MS,
): TenantsWatch {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const directory of new Set(files.map((file) => dirname(file)))) {
    const cannotWatch = (error: Error) =>
      logger.warn(
        { directory, err: { message: error.message } },
        `cannot watch ${directory} for changes to the tenants file (send SIGHUP to reload): ${error.message}`,
      );
    try {
      // Not persistent: the watch alone must not keep a stopping worker alive.
      const watcher = watch(directory, { persistent: false }, changed);
      watcher.on("error", (error) => {
        cannotWatch(error);
        watcher.close();
      });
      watchers.push(watcher);
    } catch (error) {
      cannotWatch(error as Error);
    }
  }
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
