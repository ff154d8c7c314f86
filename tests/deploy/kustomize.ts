// Renders deploy/kubernetes/ as `kubectl apply -k` would, for the features those manifests use:
// resources (files and folders), components, configMapGenerator (literals, files, merge), inline
// JSON 6902 patches (add, remove, replace) aimed by kind and name, namespace and images. Anything
// else in a kustomization fails loudly, so a manifest never quietly escapes the tests. Generated
// names keep no hash suffix: the tests read content, not names.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments, parse as parseYaml } from "yaml";

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
} & Record<
  string,
  // biome-ignore lint/suspicious/noExplicitAny: manifests are free-form until validated by their model.
  any
>;

interface Kustomization {
  kind?: string;
  namespace?: string;
  resources?: string[];
  components?: string[];
  configMapGenerator?: Array<{
    name: string;
    behavior?: "create" | "merge";
    literals?: string[];
    files?: string[];
    options?: { disableNameSuffixHash?: boolean };
  }>;
  patches?: Array<{ target: { kind: string; name: string }; patch: string }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}

const known = new Set([
  "apiVersion",
  "kind",
  "namespace",
  "resources",
  "components",
  "configMapGenerator",
  "patches",
  "images",
]);

/** Every YAML document of a file, parsed; a syntax error names the file. */
export function readYamlDocuments(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, "utf8")).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message}`);
    return document.toJS() as K8sObject;
  });
}

export function readKustomization(dir: string): Kustomization {
  const kustomization = parseYaml(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as Kustomization;
  const unknown = Object.keys(kustomization).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: unsupported ${unknown.join(", ")}`);
  return kustomization;
}

/** The files a kustomization names in its own folder (resources, generator files). */
export function filesNamedBy(dir: string): string[] {
  const k = readKustomization(dir);
  const resources = (k.resources ?? []).filter((entry) => statSync(join(dir, entry)).isFile());
  const generated = (k.configMapGenerator ?? []).flatMap((generator) => generator.files ?? []);
  return [...resources, ...generated].map((file) => basename(file));
}

export function render(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = join(dir, entry);
    objects.push(...(statSync(path).isDirectory() ? render(path) : readYamlDocuments(path)));
  }
  for (const generator of k.configMapGenerator ?? []) objects = generate(dir, generator, objects);
  for (const component of k.components ?? []) objects = applyComponent(join(dir, component), objects);
  for (const patch of k.patches ?? []) applyPatch(objects, patch);
  for (const image of k.images ?? []) setImage(objects, image);
  if (k.namespace) {
    for (const object of objects) if (object.kind !== "Namespace") object.metadata.namespace = k.namespace;
  }
  return objects;
}

function applyComponent(dir: string, objects: K8sObject[]): K8sObject[] {
  const k = readKustomization(dir);
  if (k.kind !== "Component") throw new Error(`${dir} is listed as a component but is a ${k.kind}`);
  let all = [...objects, ...(k.resources ?? []).flatMap((file) => readYamlDocuments(join(dir, file)))];
  for (const generator of k.configMapGenerator ?? []) all = generate(dir, generator, all);
  for (const patch of k.patches ?? []) applyPatch(all, patch);
  return all;
}

function generate(
  dir: string,
  generator: NonNullable<Kustomization["configMapGenerator"]>[number],
  objects: K8sObject[],
): K8sObject[] {
  const data: Record<string, string> = {};
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf("=");
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  for (const file of generator.files ?? []) data[basename(file)] = readFileSync(join(dir, file), "utf8");
  const existing = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === generator.name);
  if (generator.behavior === "merge") {
    if (!existing)
      throw new Error(`${dir}: merges into ConfigMap ${generator.name}, which no base generates`);
    Object.assign(existing.data, data);
    return objects;
  }
  if (existing) throw new Error(`${dir}: generates ConfigMap ${generator.name} twice`);
  return [...objects, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: generator.name }, data }];
}

function applyPatch(objects: K8sObject[], patch: NonNullable<Kustomization["patches"]>[number]): void {
  const target = objects.find((o) => o.kind === patch.target.kind && o.metadata.name === patch.target.name);
  if (!target) throw new Error(`patch target ${patch.target.kind}/${patch.target.name} not found`);
  const operations = parseYaml(patch.patch) as Array<{ op: string; path: string; value?: unknown }>;
  for (const { op, path, value } of operations) {
    const keys = path.split("/").slice(1);
    const last = keys.pop() as string;
    // biome-ignore lint/suspicious/noExplicitAny: walking a free-form manifest.
    const parent = keys.reduce((node: any, key) => node?.[key], target);
    if (parent === undefined) throw new Error(`patch path ${path} not found in ${patch.target.name}`);
    if (op === "remove" || op === "replace") {
      if (!(last in parent)) throw new Error(`patch ${op} ${path}: nothing there`);
      if (op === "remove") Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
      else parent[last] = value;
    } else if (op === "add") {
      if (Array.isArray(parent)) parent.splice(last === "-" ? parent.length : Number(last), 0, value);
      else parent[last] = value;
    } else throw new Error(`patch op ${op} is not supported here`);
  }
}

function setImage(objects: K8sObject[], image: NonNullable<Kustomization["images"]>[number]): void {
  for (const object of objects) {
    for (const container of object.spec?.template?.spec?.containers ?? []) {
      if (container.image !== image.name) continue;
      container.image = `${image.newName ?? image.name}${image.newTag ? `:${image.newTag}` : ""}`;
    }
  }
}

/** Every folder under root that holds a kustomization. */
export function kustomizationDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.name === "kustomization.yaml")) found.push(dir);
    for (const entry of entries) if (entry.isDirectory()) walk(join(dir, entry.name));
  };
  walk(root);
  return found;
}
