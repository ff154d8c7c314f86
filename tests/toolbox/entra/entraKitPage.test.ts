// The Entra administrator's kit page as the administrator uses it: opened from a file in real headless
// Chromium with the network off, its Copy button, its evaluator (every role, and several roles under
// both directive sources) and its checker, each against what the CLI and the worker's rule say.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directiveForRoles, directiveWord } from "../../../shared/roleDirective.js";
import { parseRoleMapping, resolveRoleMapping } from "../../../shared/roleMapping.js";
import { parseTenantsFile } from "../../../shared/tenants.js";
import { runTenantCli } from "../../../tenant-config/tools/main.js";
import { cli } from "../cli/cliHarness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const tenantsPath = join(root, "docs", "examples", "acme-tenants.yaml");
const exampleMapping = join(root, "docs", "examples", "acme-entra-mapping.yaml");

/** Roles whose groups overlap, an IGNORE role, a role with no groups. */
const overlappingMapping = `
tenant: acme
ignore: [Break glass]
roles:
  Risk managers: ["Risk | Manager", "Read Only"]
  Breach reporters: ["Privacy | Breach Reporter", "Read Only"]
  Leavers: []
default: ["Read Only"]
`;

let scratch: string;
let browser: Browser;
let context: BrowserContext;
/** Every request any page made, and the ones that were not for a file. */
const requests: string[] = [];
const pageErrors: string[] = [];

/** The expression and the userType the CLI (surecloud-tenant expression) gives one role. */
async function tenantCli(args: string[]): Promise<string> {
  const out: string[] = [];
  const io = { out: (line: string) => out.push(line), err: () => {}, env: {} };
  expect(await runTenantCli(["expression", "--tenants", tenantsPath, ...args], io)).toBeLessThan(2);
  return out.join("\n");
}

async function cliUserType(
  mapping: string,
  role: string | undefined,
  expressionFile?: string,
): Promise<string> {
  const pick = role === undefined ? ["--no-role"] : ["--evaluate", role];
  const extra = expressionFile ? ["--expression", expressionFile] : [];
  const output = await tenantCli(["--mapping", mapping, ...pick, ...extra]);
  return /^userType:\s+(.*)$/m.exec(output)?.[1] ?? `no userType in: ${output}`;
}

async function writeKit(mapping: string, tenants = tenantsPath): Promise<string> {
  const out = await mkdtemp(join(scratch, "kit-"));
  const run = await cli(["entra-kit", "--mapping", mapping, "--tenants", tenants, "--out", out]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return join(out, "acme-entra-kit.html");
}

async function open(file: string): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  page.on("dialog", (dialog) => {
    pageErrors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  return page;
}

/** What a part of the page says a user gets: IGNORE, NONE, the groupIds joined, or the failure kind. */
async function effectIn(page: Page, selector: string): Promise<string> {
  const outcome = page.locator(`${selector} .outcome`).first();
  const effect = await outcome.getAttribute("data-effect");
  if (effect === "ignore") return "IGNORE";
  if (effect === "clear") return "NONE";
  if (effect !== "exact") return `(${effect})`;
  const ids = await outcome
    .locator("li[data-group-id]")
    .evaluateAll((items) => items.map((item) => item.getAttribute("data-group-id")));
  return ids.join(",");
}

async function pick(page: Page, roles: string[], typed = ""): Promise<void> {
  for (const box of await page.locator('input[name="role"]').all()) {
    await box.setChecked(roles.includes((await box.getAttribute("value")) ?? ""));
  }
  await page.fill("#other-role", typed);
}

async function check(page: Page, expression: string): Promise<string | null> {
  await page.fill("#pasted", expression);
  await page.click("#check");
  return page.locator("#check-result [data-verdict]").getAttribute("data-verdict");
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "entra-kit-"));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  context = await browser.newContext({ offline: true });
  // A broken page then fails on the step that cannot find what it needs, not on the test's timeout.
  context.setDefaultTimeout(10_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  context.on("request", (request) => requests.push(request.url()));
  await context.route(/^(?!file:)/, (route) => route.abort());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("the kit page, opened from a file with the network off", () => {
  it("loads, runs its script and asks for nothing but its own file", async () => {
    const file = await writeKit(exampleMapping);
    const page = await open(file);
    await pick(page, ["SureCloud TPRM admins"]);
    expect(await effectIn(page, "#evaluation [data-source=roles]")).toBe(
      "7866fa5b-124d-4ddd-850b-197d39d806b8",
    );
    expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    expect(requests).toContain(pathToFileURL(file).href);
    expect(pageErrors).toEqual([]);
    const html = await readFile(file, "utf8");
    expect(html).toContain("default-src 'none'");
    // The tenants file's SureCloud address and token variable stay out of what the customer gets.
    expect(html).not.toContain("acme.surecloud.example");
    expect(html).not.toContain("SURECLOUD_TOKEN_ACME");
    expect(html).not.toContain("acme-entra");
    await page.close();
  });

  it("puts exactly the CLI's expression on the clipboard", async () => {
    const page = await open(await writeKit(exampleMapping));
    await page.click("#copy");
    await expect.poll(() => page.textContent("#copy-status")).toMatch(/^Copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await tenantCli(["--mapping", exampleMapping]));
    await page.close();
  });
});

describe("the evaluator", () => {
  const mapping = () => join(scratch, "overlapping.yaml");
  const resolved = () =>
    resolveRoleMapping(
      parseRoleMapping(overlappingMapping, "mapping"),
      parseTenantsFile(readFileSync(tenantsPath, "utf8")),
    );
  let page: Page;

  beforeAll(async () => {
    await writeFile(mapping(), overlappingMapping);
    page = await open(await writeKit(mapping()));
  });
  afterAll(() => page.close());

  it("gives every role, and no role, what the CLI gives it, in the role table and the evaluator", async () => {
    for (const role of ["Break glass", "Risk managers", "Breach reporters", "Leavers", undefined]) {
      const expected = await cliUserType(mapping(), role);
      await pick(page, role === undefined ? [] : [role]);
      expect(await effectIn(page, "#evaluation [data-source=userType]"), `${role}`).toBe(expected);
      expect(await effectIn(page, "#evaluation [data-source=roles]"), `${role} (roles)`).toBe(expected);
      const row = `#role-table tr[data-role="${role ?? "(no role)"}"]`;
      expect(await effectIn(page, row), `${role} (table)`).toBe(expected);
    }
  });

  it("for two roles, flags SingleAppRoleAssignment, shows each possible result and the union", async () => {
    const roles = ["Risk managers", "Breach reporters"];
    await pick(page, roles);
    await expect.poll(() => page.locator("[data-warning=several-roles]").count()).toBe(1);
    const rows = page.locator("#evaluation [data-source=userType] tbody tr");
    expect(await rows.count()).toBe(2);
    for (const [index, role] of roles.entries()) {
      expect(
        await effectIn(page, `#evaluation [data-source=userType] tbody tr:nth-child(${index + 1})`),
      ).toBe(await cliUserType(mapping(), role));
    }
    const union = directiveWord(directiveForRoles(resolved(), roles).directive);
    expect(union.split(",")).toHaveLength(3);
    expect(await effectIn(page, "#evaluation [data-source=roles]")).toBe(union);
  });

  it("makes a user IGNORE under the roles source when one role is IGNORE", async () => {
    await pick(page, ["Break glass", "Risk managers"]);
    expect(await effectIn(page, "#evaluation [data-source=roles]")).toBe("IGNORE");
  });

  it("leaves out and reports a role the mapping does not name, with a did-you-mean for a case slip", async () => {
    await pick(page, ["Risk managers"], "breach Reporters");
    const roles = page.locator("#evaluation [data-source=roles]");
    expect(await roles.locator("[data-near-miss]").getAttribute("data-did-you-mean")).toBe(
      "Breach reporters",
    );
    expect(await effectIn(page, "#evaluation [data-source=roles]")).toBe(
      directiveWord(directiveForRoles(resolved(), ["Risk managers"]).directive),
    );
  });
});

describe("the checker", () => {
  let page: Page;
  let generated: string;

  beforeAll(async () => {
    page = await open(await writeKit(exampleMapping));
    generated = (await page.textContent("#expression-text")) ?? "";
  });
  afterAll(() => page.close());

  it("reports the generated expression, pasted back, as matching", async () => {
    expect(await check(page, `  ${generated}\n`)).toBe("identical");
    expect(await check(page, generated.replaceAll(",", ", "))).toBe("same");
    expect(await page.locator("#check-result tr[data-same=false]").count()).toBe(0);
  });

  it("flags a role name in the wrong letter case, and gives that role what the CLI gives it", async () => {
    const pasted = generated.replace('"SureCloud TPRM admins"', '"SureCloud TPRM Admins"');
    expect(await check(page, pasted)).toBe("differs");
    const miss = page.locator("#check-result [data-near-miss]");
    expect(await miss.getAttribute("data-near-miss")).toBe("SureCloud TPRM Admins");
    expect(await miss.getAttribute("data-did-you-mean")).toBe("SureCloud TPRM admins");
    const file = join(scratch, "pasted.txt");
    await writeFile(file, pasted);
    const row = page.locator("#check-result tr[data-same=false]");
    expect(await row.count()).toBe(1);
    expect(await effectIn(page, "#check-result tr[data-same=false] td:nth-child(3)")).toBe(
      await cliUserType(exampleMapping, "SureCloud TPRM admins", file),
    );
  });

  it("says why it cannot read what is not an expression", async () => {
    expect(await check(page, 'IIF([department]="x","a","b")')).toBe("unreadable");
    expect(await page.textContent("#check-result")).toContain("at character 5");
  });
});

describe("names that look like HTML", () => {
  it("shows them as text and keeps the page working", async () => {
    const tenants = (await readFile(tenantsPath, "utf8"))
      .replace('name: "TPRM | Admin"', 'name: "</script><script>alert(1)</script>"')
      .replace("Administers third-party risk management.", "<img src=x onerror=alert(2)>");
    const hostile = join(scratch, "hostile-tenants.yaml");
    await writeFile(hostile, tenants);
    const mappingFile = join(scratch, "hostile.yaml");
    await writeFile(
      mappingFile,
      'tenant: acme\nroles:\n  "Ops </script><script>alert(3)</script>": ["</script><script>alert(1)</script>"]\ndefault: NONE\n',
    );
    const page = await open(await writeKit(mappingFile, hostile));
    const role = "Ops </script><script>alert(3)</script>";
    await pick(page, [role]);
    expect(await page.locator("#evaluation [data-source=roles] li[data-group-id]").textContent()).toContain(
      "</script><script>alert(1)</script>",
    );
    expect(await page.locator("#catalogue").textContent()).toContain("<img src=x onerror=alert(2)>");
    expect(await check(page, (await page.textContent("#expression-text")) ?? "")).toBe("identical");
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
