// Both CLIs as npm installs them: started through a symlink (node_modules/.bin, `npm link`). Before
// the entry check compared real paths, each printed nothing and exited 0 when started this way.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(new URL(".", import.meta.url).pathname, "../../..");
let links: string;

beforeAll(async () => {
  links = await mkdtemp(join(tmpdir(), "cli-links-"));
});
afterAll(async () => {
  await rm(links, { recursive: true, force: true });
});

describe.each([
  ["surecloud-sync", "dist/toolbox/cli/main.js", "status"],
  ["surecloud-tenant", "dist/tenant-config/tools/main.js", "tenant-deploy"],
])("%s started through a symlink", (name, target, command) => {
  it("prints its usage with the command list", async () => {
    const link = join(links, name);
    await symlink(join(root, target), link);
    const run = spawnSync(process.execPath, [link, "--help"], { encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: ${name} <command>`);
    expect(run.stdout).toContain(command);
  });
});
