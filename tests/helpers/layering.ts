// The layering check behind tests/architecture.test.ts: the "may import" column of
// docs/architecture.md, the relative imports of the source files, and the edges that break them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";

/** One relative import, as repository paths: `worker/main.ts` → `shared/errors.ts`. */
export interface Edge {
  from: string;
  to: string;
}

export const showEdge = (edge: Edge) => `${edge.from} → ${edge.to}`;
const topFolder = (file: string) => file.split("/")[0] ?? "";
const isUnder = (file: string, folders: string[]) => folders.some((folder) => file.startsWith(`${folder}/`));

/** Folder → the folders its row may import, from every `| \`folder/\` | … | … |` table row. */
export function parseLayerTable(markdown: string): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const line of markdown.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const folder = /^`([\w-]+)\/`$/.exec(cells[1] ?? "")?.[1];
    if (cells.length !== 5 || !folder) continue;
    table.set(
      folder,
      [...(cells[3] ?? "").matchAll(/`([\w-]+)\/`/g)].map((match) => match[1] ?? ""),
    );
  }
  return table;
}

/** Specifiers of `import … from`, `export … from`, `import "…"` and `import("…")`, comments left out. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? ""));
}

/** The files a source file imports relatively, as repository paths (`.js` specifiers name `.ts` files). */
export function relativeImports(root: string, file: string): string[] {
  const path = posix.join(root, file);
  if (!existsSync(path)) return [];
  return importSpecifiers(readFileSync(path, "utf8"))
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => posix.join(posix.dirname(file), specifier).replace(/\.(m|c)?js$/, ".$1ts"));
}

/** Every relative import of every `.ts` file under the given folders. */
export function importEdges(root: string, folders: string[]): Edge[] {
  return folders.flatMap((folder) =>
    readdirSync(posix.join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((entry) => entry.endsWith(".ts"))
      .map((entry) => posix.join(folder, entry))
      .flatMap((from) => relativeImports(root, from).map((to) => ({ from, to }))),
  );
}

/** Edges into a top folder that the importing file's row does not list (or a folder with no row). */
export function tableViolations(edges: Edge[], table: Map<string, string[]>): string[] {
  return edges.filter((edge) => !table.get(topFolder(edge.from))?.includes(topFolder(edge.to))).map(showEdge);
}

/** Edges from a file under one of `from` to a file under one of `to`. */
export function forbiddenEdges(edges: Edge[], from: string[], to: string[]): string[] {
  return edges.filter((edge) => isUnder(edge.from, from) && isUnder(edge.to, to)).map(showEdge);
}

/** Walks the imports from `start`, file by file; returns each path that ends under a forbidden folder. */
export function reachedInto(start: string, importsOf: (file: string) => string[], forbidden: string[]) {
  const via = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const next of importsOf(file)) {
      if (via.has(next)) continue;
      via.set(next, file);
      queue.push(next);
    }
  }
  const chain = (file: string): string[] => {
    const parent = via.get(file);
    return parent === undefined ? [file] : [...chain(parent), file];
  };
  return {
    reached: via.size,
    paths: [...via.keys()].filter((file) => isUnder(file, forbidden)).map((file) => chain(file).join(" → ")),
  };
}
