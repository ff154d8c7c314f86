// `npm run build`: compiles the worker and shared code with tsc (ESM) and bundles the Auth0 Action
// with esbuild into one CommonJS file, and the Entra kit page's browser script into one IIFE. All run at
// once; any error exits non-zero.
// `node scripts/build.mjs --action-only` rebuilds just the Action bundle (the Action's tests use it);
// `--kit-only` just the Entra kit page's browser script.
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

/** tsc emits worker/, shared/, dev/ and bench/ to dist/ as ESM. */
function compileTypeScript() {
  const tsc = join(root, "node_modules", ".bin", "tsc");
  return new Promise((resolve, reject) => {
    const child = spawn(tsc, ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`tsc failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

/**
 * The Action is pasted into Auth0 as one CommonJS file: everything is bundled except bullmq and
 * ioredis, which the Action declares as Auth0 dependencies. Auth0 asks for Actions under 100 kB,
 * so the bundle is minified and the Action's schemas use zod/mini, which esbuild tree-shakes to
 * the few parts they use (classic zod cannot be, and weighs ~200 kB). That needs
 * `import * as z from "zod/mini"` (its `{ z }` export keeps everything) and English messages
 * imported by name from "zod/locales" (`z.locales` keeps every language). The Action must not
 * import classic zod or pino (shared/logger.ts); tests/actions/group-sync.test.ts checks the size.
 */
async function bundleAction() {
  const outdir = join(dist, "actions");
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ["actions/group-sync.ts"],
    outfile: join(outdir, "group-sync.js"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node22",
    external: ["bullmq", "ioredis"],
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
  // The root package is ESM; this makes Node load the bundle as CommonJS.
  await writeFile(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
}

/**
 * The Entra administrator's kit page inlines one browser script: toolbox/entra/kitPage/browser.ts and
 * what it imports (the expression evaluator, the directive parser, the role union), as one IIFE that
 * `surecloud-sync entra-kit` reads from beside its module (toolbox/entra/kitPage/kitBundle.ts; run
 * from the sources, it reads this same file in dist/).
 */
async function bundleKitPage() {
  await build({
    absWorkingDir: root,
    entryPoints: ["toolbox/entra/kitPage/browser.ts"],
    outfile: join(dist, "toolbox", "entra", "kitPage", "kit-page.bundle.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
}

async function main() {
  if (process.argv.includes("--action-only")) return bundleAction();
  if (process.argv.includes("--kit-only")) return bundleKitPage();
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  await Promise.all([compileTypeScript(), bundleAction(), bundleKitPage()]);
}

main().catch((error) => {
  console.error(`build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
