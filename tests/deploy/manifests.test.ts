// The Kubernetes manifests (deploy/kubernetes/) against the Kubernetes and KEDA schemas and against
// the worker itself: every variable they set is one the worker reads, ports and grace period agree
// with its settings, the tenants ConfigMap is a file the worker accepts, and the sizing follows the
// benchmark. tests/deploy/workerFit.test.ts runs the worker with these settings.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { Deployment } from "kubernetes-models/apps/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { credentialVariables } from "../../shared/auth0Credentials.js";
import { parseTenantsFile } from "../../shared/tenants.js";
import { parseWorkerEnv, workerEnvSchema } from "../../worker/config.js";
import { filesNamedBy, type K8sObject, kustomizationDirs, readKustomization, render } from "./kustomize.js";
import {
  clusterOverlay,
  exampleOverlay,
  kubernetesDir,
  mebibytes,
  renderExample,
  root,
} from "./manifests.js";

const models: Record<string, new (data: never) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
};

function validate(object: K8sObject): void {
  const Model = models[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind} (${object.metadata?.name})`);
  new Model(object as never).validate();
}

const example = renderExample();
const { deployment, container, settings } = example;
const podSpec = deployment.spec.template.spec;
const workerSettings = parseWorkerEnv({ ...settings, INTAKE_TOKEN: "x".repeat(40) });
const tenantsVolume = podSpec.volumes.find((v: K8sObject) => v.configMap?.name === "surecloud-sync-tenants");
const tenantsFile = parseTenantsFile(
  example.find("ConfigMap", "surecloud-sync-tenants").data["tenants.yaml"],
);

describe("the manifests as Kubernetes and KEDA read them", () => {
  const dirs = kustomizationDirs(kubernetesDir);

  it("every object of each kustomization, and each example Secret, passes its schema", () => {
    const rendered = dirs
      .filter((dir) => readKustomization(dir).kind !== "Component")
      .flatMap((dir) => render(dir));
    const kinds = new Set([...rendered, ...example.secrets].map((object) => object.kind));
    expect([...kinds].sort()).toEqual(
      Object.keys(models)
        .map((key) => key.split("/").at(-1))
        .sort(),
    );
    for (const object of [...rendered, ...example.secrets]) validate(object);
  });

  it("a schema check refuses a wrong type, so the check above can fail", () => {
    const broken = structuredClone(example.find("ScaledObject", "surecloud-sync"));
    broken.spec.minReplicaCount = "1";
    expect(() => validate(broken)).toThrow(/minReplicaCount must be integer/);
  });

  it("each kustomization names exactly the files beside it, and some overlay uses each component", () => {
    for (const dir of dirs) {
      const present = readdirSync(dir).filter(
        (f) => f !== "kustomization.yaml" && statSync(join(dir, f)).isFile(),
      );
      expect(filesNamedBy(dir).sort(), relative(root, dir)).toEqual(present.sort());
    }
    const components = readdirSync(join(kubernetesDir, "components")).map((c) => `../../components/${c}`);
    const overlays = readdirSync(join(kubernetesDir, "overlays")).map((o) =>
      join(kubernetesDir, "overlays", o),
    );
    const used = new Set(overlays.flatMap((overlay) => readKustomization(overlay).components ?? []));
    expect([...used].sort()).toEqual(components.sort());
  });
});

describe("the Deployment against the worker's configuration", () => {
  it("sets only variables the worker reads, and the Secret holds each tenant's token", () => {
    const tokenEnvs = tenantsFile.tenants.map((tenant) => tenant.surecloud.tokenEnv);
    const known = new Set([...Object.keys(workerEnvSchema.shape), ...credentialVariables, ...tokenEnvs]);
    const explicit = (container.env ?? []).map((v: { name: string }) => v.name);
    const set = [...explicit, ...Object.keys(settings), ...example.secretKeys];
    expect(set.filter((name) => !known.has(name))).toEqual([]);
    for (const token of tokenEnvs) expect(example.secretKeys).toContain(token);
    expect(example.secretKeys).toContain("REDIS_URL");
  });

  it("exposes the worker's HTTP_PORT and INTAKE_PORT, and the Services and NetworkPolicies name those ports", () => {
    expect(example.port("http")).toBe(workerSettings.HTTP_PORT);
    expect(example.port("intake")).toBe(workerSettings.INTAKE_PORT);
    expect(deployment.spec.template.metadata.annotations["prometheus.io/port"]).toBe(
      String(workerSettings.HTTP_PORT),
    );
    for (const probe of [container.livenessProbe, container.readinessProbe])
      expect(probe.httpGet.port).toBe("http");
    const named = example.objects.flatMap((o) => [
      ...(o.kind === "Service" ? o.spec.ports.map((p: { targetPort: string }) => p.targetPort) : []),
      ...(o.kind === "NetworkPolicy"
        ? o.spec.ingress.flatMap((r: K8sObject) => r.ports.map((p: K8sObject) => p.port))
        : []),
    ]);
    expect(new Set(named)).toEqual(new Set(["http", "intake"]));
  });

  it("gives a stopping pod longer than SHUTDOWN_GRACE_SECONDS", () => {
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(workerSettings.SHUTDOWN_GRACE_SECONDS);
  });

  it("runs as the image's non-root user, read-only, with no capabilities and no privilege escalation", () => {
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(podSpec.automountServiceAccountToken).toBe(false);
  });

  it("mounts the tenants ConfigMap as a directory holding TENANTS_FILE, under a name that never changes", () => {
    const mount = container.volumeMounts.find((m: K8sObject) => m.name === tenantsVolume.name);
    expect(mount.subPath).toBeUndefined();
    expect(workerSettings.TENANTS_FILE).toBe(`${mount.mountPath}/tenants.yaml`);
    const generator = readKustomization(join(kubernetesDir, "base")).configMapGenerator?.find(
      (g) => g.name === "surecloud-sync-tenants",
    );
    expect(generator?.options?.disableNameSuffixHash).toBe(true);
    expect(tenantsFile.tenants.map((tenant) => tenant.id)).toEqual(["acme"]);
  });

  it("asks for the memory the benchmark measured, and limits it above the image's heap cap", () => {
    const bench = JSON.parse(readFileSync(join(root, "bench/results/latest.json"), "utf8"));
    const peakMiB = (bench.worker.rssPeakMb * 1e6) / 2 ** 20;
    const heapCap = Number(
      /--max-old-space-size=(\d+)/.exec(readFileSync(join(root, "Dockerfile"), "utf8"))?.[1],
    );
    const { requests, limits } = container.resources;
    expect(mebibytes(requests.memory)).toBeGreaterThanOrEqual(peakMiB);
    expect(mebibytes(limits.memory)).toBeGreaterThanOrEqual(1.5 * peakMiB);
    expect(mebibytes(limits.memory)).toBeGreaterThan(heapCap);
  });
});

describe("the example Secrets", () => {
  it("hold placeholders only, and the worker refuses the ones left in REDIS_URL and INTAKE_TOKEN", () => {
    for (const secret of example.secrets) {
      for (const value of Object.values(secret.stringData as Record<string, string>))
        expect(value).toMatch(/<[^>]+>/);
    }
    const values = example.find("Secret", "surecloud-sync-secrets").stringData;
    expect(() => parseWorkerEnv({ ...settings, ...values })).toThrow(
      /REDIS_URL[\s\S]*INTAKE_TOKEN|INTAKE_TOKEN[\s\S]*REDIS_URL/,
    );
  });

  it("give KEDA's TriggerAuthentication every key it names", () => {
    const auth = example.find("TriggerAuthentication", "surecloud-sync-keda-redis");
    for (const ref of auth.spec.secretTargetRef)
      expect(Object.keys(example.find("Secret", ref.name).stringData)).toContain(ref.key);
  });
});

describe.each([
  { overlay: exampleOverlay, type: "redis", address: "address" },
  { overlay: clusterOverlay, type: "redis-cluster", address: "addresses" },
])("the KEDA ScaledObject of $overlay", ({ overlay, type, address }) => {
  const rendered = renderExample(overlay);
  const scaled = rendered.find("ScaledObject", "surecloud-sync");

  it(`scales the worker Deployment with a ${type} trigger, never below one replica, and owns its replica count`, () => {
    expect(scaled.spec.scaleTargetRef.name).toBe(rendered.deployment.metadata.name);
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
    expect(rendered.deployment.spec.replicas).toBeUndefined();
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe(type);
    const auth = rendered.find("TriggerAuthentication", trigger.authenticationRef.name);
    const parameters = auth.spec.secretTargetRef.map((ref: { parameter: string }) => ref.parameter);
    expect(parameters.sort()).toEqual([address, "password", "username"]);
  });
});
