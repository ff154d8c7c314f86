// The Kubernetes manifests as the tests read them: the example overlay rendered (base, KEDA, intake),
// the example Secrets, and the pieces of the worker's Deployment the checks look at.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type K8sObject, readYamlDocuments, render } from "./kustomize.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const kubernetesDir = join(root, "deploy/kubernetes");
export const exampleOverlay = join(kubernetesDir, "overlays/example");
/** The same on a Redis Cluster: KEDA's redis-cluster trigger. */
export const clusterOverlay = join(kubernetesDir, "overlays/example-redis-cluster");
export const secretsExample = join(kubernetesDir, "secrets.example.yaml");

export interface Rendered {
  objects: K8sObject[];
  secrets: K8sObject[];
  find(kind: string, name: string): K8sObject;
  deployment: K8sObject;
  /** The worker container. */
  container: K8sObject;
  /** The ConfigMap the container takes its settings from (envFrom). */
  settings: Record<string, string>;
  /** The keys of the Secret the container takes its secret settings from (envFrom). */
  secretKeys: string[];
  /** The container port with this name. */
  port(name: string): number;
}

export function renderExample(overlay = exampleOverlay): Rendered {
  const objects = render(overlay);
  const secrets = readYamlDocuments(secretsExample);
  const find = (kind: string, name: string) => {
    const found = [...objects, ...secrets].find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${kind}/${name} is not in the manifests`);
    return found;
  };
  const deployment = find("Deployment", "surecloud-sync");
  const container = deployment.spec.template.spec.containers[0];
  const sources = container.envFrom as Array<{
    configMapRef?: { name: string };
    secretRef?: { name: string };
  }>;
  const configMaps = sources.flatMap((source) => (source.configMapRef ? [source.configMapRef.name] : []));
  const secretNames = sources.flatMap((source) => (source.secretRef ? [source.secretRef.name] : []));
  return {
    objects,
    secrets,
    find,
    deployment,
    container,
    settings: Object.assign({}, ...configMaps.map((name) => find("ConfigMap", name).data)),
    secretKeys: secretNames.flatMap((name) => Object.keys(find("Secret", name).stringData ?? {})),
    port(name) {
      const port = (container.ports as Array<{ name: string; containerPort: number }>).find(
        (p) => p.name === name,
      );
      if (!port) throw new Error(`the worker container has no port named ${name}`);
      return port.containerPort;
    },
  };
}

/** Mebibytes in a Kubernetes memory quantity (Mi or Gi). */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity}: write it in Mi or Gi`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}
