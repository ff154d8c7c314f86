// `npm run build`: compiles the worker and shared code with tsc (ESM) and bundles the Auth0 Action
// with esbuild into one CommonJS file. Both run at once; any error exits non-zero.
// `node scripts/build.mjs --action-only` rebuilds just the Action bundle (the Action's tests use it).
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
 * Modules the Action imports but never runs, replaced in its bundle (Auth0 asks for Actions under
 * 100 kB): pino comes in with shared/logger.ts's maskUrl, but the Action logs with console.log; and
 * zod's `z.locales` namespace holds ~280 kB of translated messages (English is imported separately).
 */
const unusedModules = {
  name: "unused-modules",
  setup(pluginBuild) {
    const stubs = {
      pino: 'export function pino() { throw new Error("pino is not bundled into the Auth0 Action"); }',
      "zod-locales": "export {};",
    };
    pluginBuild.onResolve({ filter: /^pino$/ }, () => ({ path: "pino", namespace: "unused" }));
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "unused" } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: "unused" }, (args) => ({
      contents: stubs[args.path],
      loader: "js",
    }));
  },
};

/**
 * The Action is pasted into Auth0 as one CommonJS file: everything is bundled except bullmq and
 * ioredis, which the Action declares as Auth0 dependencies. Auth0 asks for Actions under 100 kB,
 * so the bundle is minified.
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
    plugins: [unusedModules],
    logLevel: "warning",
  });
  // The root package is ESM; this makes Node load the bundle as CommonJS.
  await writeFile(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
}

async function main() {
  if (process.argv.includes("--action-only")) return bundleAction();
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  await Promise.all([compileTypeScript(), bundleAction()]);
}

main().catch((error) => {
  console.error(`build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
