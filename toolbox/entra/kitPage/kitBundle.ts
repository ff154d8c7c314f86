// The kit page's browser script: the file scripts/build.mjs bundles into
// dist/toolbox/entra/kitPage/. The built CLI reads it beside this module; run from the TypeScript
// sources (vitest, after `npm run build` as `npm test` does), it reads the same built file in dist/.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The bundle's file name in dist/toolbox/entra/kitPage/ (scripts/build.mjs). */
export const KIT_BUNDLE_FILE = "kit-page.bundle.js";

export async function kitPageScript(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSources = fileURLToPath(import.meta.url).endsWith(".ts");
  const path = fromSources
    ? join(here, "..", "..", "..", "dist", "toolbox", "entra", "kitPage", KIT_BUNDLE_FILE)
    : join(here, KIT_BUNDLE_FILE);
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new Error(
      `the kit page's script ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); ` +
        "build it with npm run build",
    );
  }
}
