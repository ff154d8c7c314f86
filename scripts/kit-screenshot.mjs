// `npm run kit:screenshot`: docs/entra-kit.png, the Entra administrator's kit page for the example
// tenant (docs/examples/acme-*.yaml) in headless Chromium, with two roles picked in the evaluator and
// an expression with a role-name case mistake in the checker. Needs the build (dist/) and Chromium
// (CHROMIUM, default /usr/bin/chromium).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = join(root, "docs", "entra-kit.png");

async function main() {
  const { runCli } = await import(pathToFileURL(join(root, "dist", "toolbox", "cli", "main.js")).href);
  const out = await mkdtemp(join(tmpdir(), "entra-kit-"));
  const io = { out: () => {}, err: (line) => console.error(line), env: {} };
  const args = [
    "--mapping",
    "docs/examples/acme-entra-mapping.yaml",
    "--tenants",
    "docs/examples/acme-tenants.yaml",
  ];
  const code = await runCli(
    ["entra-kit", ...args.map((arg) => (arg.startsWith("docs/") ? join(root, arg) : arg)), "--out", out],
    io,
  );
  if (code !== 0) throw new Error(`entra-kit exited ${code}`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(pathToFileURL(join(out, "acme-entra-kit.html")).href);
    await page.check('input[name="role"][value="SureCloud TPRM admins"]');
    await page.check('input[name="role"][value="SureCloud TPRM users"]');
    const expression = await page.textContent("#expression-text");
    await page.fill(
      "#pasted",
      (expression ?? "").replace('"SureCloud TPRM users"', '"SureCloud TPRM Users"'),
    );
    await page.click("#check");
    await page.screenshot({ path: output, fullPage: true });
  } finally {
    await browser.close();
    await rm(out, { recursive: true, force: true });
  }
  console.log(`Wrote ${output}`);
}

main().catch((error) => {
  console.error(`kit screenshot failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
