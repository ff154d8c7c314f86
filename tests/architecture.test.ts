// The layout of docs/architecture.md, enforced: each folder imports only what its row of the table
// allows, plus the page's two extra rules, and the worker process never loads the operators' tools.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type Edge,
  forbiddenEdges,
  importEdges,
  importSpecifiers,
  parseLayerTable,
  reachedInto,
  relativeImports,
  tableViolations,
} from "./helpers/layering.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourceFolders = ["shared", "contract", "actions", "worker", "toolbox", "tenant-config", "dev", "bench"];
const table = parseLayerTable(readFileSync(join(root, "docs", "architecture.md"), "utf8"));
const edges = importEdges(root, sourceFolders);

const emulatorAndAdapterEdges = (all: Edge[]) => [
  ...forbiddenEdges(all, ["dev/surecloud-emulator"], ["worker/surecloud"]),
  ...forbiddenEdges(all, ["worker/surecloud"], ["dev/surecloud-emulator"]),
];
const syncRulesEdges = (all: Edge[]) =>
  forbiddenEdges(all, ["worker/sync"], ["worker/queue", "worker/http", "worker/audit"]);
const operatorTools = ["toolbox", "tenant-config"];

describe("the layout of docs/architecture.md", () => {
  it("has a row for every source folder, and the scan finds imports to check", () => {
    for (const folder of sourceFolders) expect(table.get(folder), `row for ${folder}/`).toContain(folder);
    expect(edges.length).toBeGreaterThan(100);
  });

  it("each folder imports only the folders its row allows", () => {
    expect(tableViolations(edges, table)).toEqual([]);
  });

  it("the SureCloud emulator and the worker's adapter never import each other", () => {
    expect(emulatorAndAdapterEdges(edges)).toEqual([]);
  });

  it("worker/sync/ never imports worker/queue/, worker/http/ or worker/audit/", () => {
    expect(syncRulesEdges(edges)).toEqual([]);
  });

  it("the worker process never reaches toolbox/ or tenant-config/ from worker/main.ts", () => {
    const walk = reachedInto("worker/main.ts", (file) => relativeImports(root, file), operatorTools);
    expect(walk.reached).toBeGreaterThan(10);
    expect(walk.paths).toEqual([]);
  });
});

describe("the layering checker", () => {
  it("finds every import form, comments left out", () => {
    const source = [
      'import type { A } from "./a.js";',
      'import {\n  b,\n  c,\n} from "../b.js";',
      'export { d } from "./d.js";',
      'import "./e.js";',
      'const f = await import("./f.js");',
      '// import { g } from "./g.js";',
      'const h = "fetched from the API";',
    ].join("\n");
    expect(importSpecifiers(source).sort()).toEqual(["../b.js", "./a.js", "./d.js", "./e.js", "./f.js"]);
  });

  it("fails on a fake edge for each rule", () => {
    const upward = { from: "worker/x.ts", to: "toolbox/y.ts" };
    expect(tableViolations([upward], table)).toEqual(["worker/x.ts → toolbox/y.ts"]);
    expect(tableViolations([{ from: "shared/x.ts", to: "scripts/y.ts" }], table)).toHaveLength(1);
    expect(
      emulatorAndAdapterEdges([{ from: "dev/surecloud-emulator/x.ts", to: "worker/surecloud/y.ts" }]),
    ).toHaveLength(1);
    expect(syncRulesEdges([{ from: "worker/sync/x.ts", to: "worker/audit/y.ts" }])).toEqual([
      "worker/sync/x.ts → worker/audit/y.ts",
    ]);
    const graph: Record<string, string[]> = {
      "worker/main.ts": ["shared/a.ts"],
      "shared/a.ts": ["tenant-config/tools/b.ts"],
    };
    expect(reachedInto("worker/main.ts", (file) => graph[file] ?? [], operatorTools).paths).toEqual([
      "worker/main.ts → shared/a.ts → tenant-config/tools/b.ts",
    ]);
  });
});
