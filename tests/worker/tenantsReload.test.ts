// The worker reloads its tenants file while it runs, run as operators run it (`node dist/worker/main.js`)
// with real Redis, the built Action and the SureCloud emulator: a change on disk or a SIGHUP applies
// a good file without a restart; a bad one is refused, and the running file keeps serving.
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { groups } from "../../dev/catalogue.js";
import { freePort } from "../../dev/freePort.js";
import { REDIS_URL } from "../../dev/localStack.js";
import { makeUserEvent, newEventId } from "../fixtures/auth0Events.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { cli } from "../toolbox/cli/cliHarness.js";
import { getReady, getText, message, saveTenants, waitForLog } from "./tenantsReloadHarness.js";

let stack: Pipeline | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A local stack for tenant acme with one worker serving /readyz and /metrics on `port`. */
async function startAcme(env: Record<string, string> = {}) {
  const running = await startPipeline({ tenants: [{ id: "acme", connection: "acme-entra" }], workers: 0 });
  stack = running;
  const port = await freePort();
  const worker = await running.startWorker({ HTTP_PORT: String(port), ...env });
  const started = await waitForLog(running, message("worker started"));
  return { stack: running, worker, port, fingerprint: String(started.tenantsFingerprint) };
}

function groupIdsOf(running: Pipeline, userId: string): string[] {
  const user = running.emulator.state("acme").users.find((candidate) => candidate.externalId === userId);
  return (user?.groups ?? []).map((group) => group.id).sort();
}

/** Sends a user.created for a new acme user with this directive and waits for its job to end. */
async function joiner(running: Pipeline, label: string, userType: string) {
  const userId = `samlp|acme-entra|${label}`;
  const event = makeUserEvent({ id: newEventId(), userId, email: `${label}@acme.example`, userType });
  await running.send(event);
  return { userId, event, result: await running.result(event.id) };
}

const addOutsideGroup = (file: { tenants: Array<{ groups: unknown[] }> }) => {
  file.tenants[0]?.groups.push({ groupId: groups.outside.id, name: groups.outside.name });
};

describe("live reload of the tenants file", () => {
  it("a group added to the catalogue is used without a restart: the failed unknown-group job, retried, is applied", async () => {
    const { stack: running, fingerprint } = await startAcme();
    const { userId, event, result } = await joiner(running, "rita-reload", groups.outside.id);
    expect(result.state).toBe("failed");
    expect(result.failedReason).toMatch(/^unknown-group: /);

    const before = running.logs.length;
    await saveTenants(running.tenantsFile, addOutsideGroup);
    const reloaded = await waitForLog(running, message("tenants file reloaded"), before);
    expect(reloaded).toMatchObject({
      level: "info",
      trigger: "file change",
      previous: fingerprint,
      added: [],
      removed: [],
      changed: ["acme"],
    });
    expect(reloaded.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(reloaded.fingerprint).not.toBe(fingerprint);

    const retry = await cli(["retry", "--reason", "unknown-group"], {
      REDIS_URL,
      QUEUE_NAME: running.queueName,
    });
    expect(retry.code).toBe(0);
    const retried = await running.result(event.id);
    expect(retried).toMatchObject({ state: "completed", outcome: { outcome: "applied" } });
    expect(groupIdsOf(running, userId)).toEqual([groups.outside.id]);
    expect(running.logs.filter(message("worker started"))).toHaveLength(1);
  });

  it("a broken file is refused, the running one keeps serving and /readyz, the log and /metrics say why; the fixed file is applied", async () => {
    const { stack: running, port, fingerprint } = await startAcme();
    const good = await readFile(running.tenantsFile, "utf8");
    let before = running.logs.length;
    // Written in place, as some editors and configuration tools do.
    await writeFile(
      running.tenantsFile,
      good.replace(/"baseUrl":"[^"]*"/, '"baseUrl":"acme.surecloud.example"'),
    );

    const rejected = await waitForLog(running, message("tenants file rejected"), before);
    expect(rejected).toMatchObject({ level: "error", file: running.tenantsFile, fingerprint });
    expect(rejected.msg).toContain(`still running ${fingerprint}: ${running.tenantsFile}`);
    expect(rejected.msg).toMatch(/baseUrl/);
    const ready = await getReady(port);
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
    expect(ready.body.tenants.fingerprint).toBe(fingerprint);
    expect(ready.body.tenants.detail).toMatch(
      new RegExp(`^tenants file on disk rejected: .*baseUrl.*; running fingerprint ${fingerprint}$`),
    );
    const metrics = await getText(port, "/metrics");
    expect(metrics).toContain('group_sync_tenants_reloads_total{result="rejected"} 1');
    expect(metrics).toContain('group_sync_tenants_reloads_total{result="applied"} 0');
    expect(metrics).toContain(`group_sync_tenants_config_info{fingerprint="${fingerprint}"} 1`);

    // The running file still serves.
    const served = await joiner(running, "bea-broken", groups.readOnly.id);
    expect(served.result).toMatchObject({ state: "completed", outcome: { outcome: "applied" } });
    expect(groupIdsOf(running, served.userId)).toEqual([groups.readOnly.id]);

    before = running.logs.length;
    const fixed = JSON.parse(good);
    addOutsideGroup(fixed);
    await writeFile(running.tenantsFile, JSON.stringify(fixed));
    const applied = await waitForLog(running, message("tenants file reloaded"), before);
    expect(applied.previous).toBe(fingerprint);
    const after = await getReady(port);
    expect(after.body.tenants).toMatchObject({
      fingerprint: applied.fingerprint,
      detail: `tenants file loaded, fingerprint ${applied.fingerprint}`,
    });
    expect(after.body.tenants.rejected).toBeUndefined();
    const metricsAfter = await getText(port, "/metrics");
    expect(metricsAfter).toContain('group_sync_tenants_reloads_total{result="applied"} 1');
    expect(metricsAfter).toContain(`group_sync_tenants_config_info{fingerprint="${applied.fingerprint}"} 1`);
    expect(metricsAfter).not.toContain(`fingerprint="${fingerprint}"`);
    const joined = await joiner(running, "otto-outside", groups.outside.id);
    expect(joined.result).toMatchObject({ state: "completed", outcome: { outcome: "applied" } });
  });

  it("SIGHUP reloads a change the directory watch cannot see, and leaves an unchanged file as it is", async () => {
    // The worker is given a symlink into another directory, and the file there is edited in place:
    // no event reaches the directory the worker watches (as with a network file system).
    const dir = await mkdtemp(join(tmpdir(), "tenants-link-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const running = await startPipeline({ tenants: [{ id: "acme", connection: "acme-entra" }], workers: 0 });
    stack = running;
    const link = join(dir, "tenants.json");
    await symlink(running.tenantsFile, link);
    const worker = await running.startWorker({ TENANTS_FILE: link });
    const started = await waitForLog(running, message("worker started"));

    let before = running.logs.length;
    worker.kill("SIGHUP");
    const unchanged = await waitForLog(running, message("tenants file unchanged"), before);
    expect(unchanged).toMatchObject({ trigger: "SIGHUP", fingerprint: started.tenantsFingerprint });

    const file = JSON.parse(await readFile(running.tenantsFile, "utf8"));
    addOutsideGroup(file);
    await writeFile(running.tenantsFile, JSON.stringify(file));
    before = running.logs.length;
    worker.kill("SIGHUP");
    const reloaded = await waitForLog(running, message("tenants file reloaded"), before);
    expect(reloaded).toMatchObject({
      trigger: "SIGHUP",
      previous: started.tenantsFingerprint,
      changed: ["acme"],
    });
    expect(worker.exitCode).toBeNull();
    const joined = await joiner(running, "sigrid-sighup", groups.outside.id);
    expect(joined.result).toMatchObject({ state: "completed", outcome: { outcome: "applied" } });
  });
});
