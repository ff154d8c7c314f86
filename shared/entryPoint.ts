// Whether a module is the program Node was asked to run. Compared through real paths, because npm
// starts binaries through symlinks (node_modules/.bin, `npm link`), whose path differs from the module's.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function isEntryPoint(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
