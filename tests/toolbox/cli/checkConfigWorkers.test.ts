// check-config and status against a running worker (`node dist/worker/main.js`, real Redis): each
// worker publishes the fingerprint of the tenants file it runs; check-config says whether that is
// the file on disk, and why not; status lists the workers; a stopped worker drops out.
import { readFile, writeFile } from "node:fs/promises";
import { afterEach, expect, it } from "vitest";
import { groups } from "../../../dev/catalogue.js";
import { REDIS_URL, stopProcess } from "../../../dev/localStack.js";
import { type Pipeline, startPipeline, tokenEnvOf, tokenOf } from "../../helpers/pipeline.js";
import { message, waitForLog } from "../../worker/tenantsReloadHarness.js";
import { cli } from "./cliHarness.js";

let stack: Pipeline | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

interface StatusWorker {
  pid: number;
  fingerprint: string;
  rejected?: { reason: string };
}

/** Polls `status --json` until its workers satisfy `ready`; a worker writes its record just after it starts. */
async function workersWhen(env: NodeJS.ProcessEnv, ready: (workers: StatusWorker[]) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await cli(["status", "--json"], env);
    const workers = JSON.parse(run.stdout).workers as StatusWorker[];
    if (ready(workers)) return workers;
    if (Date.now() > deadline) throw new Error(`workers never as expected: ${JSON.stringify(workers)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("check-config reports a running worker whose loaded tenants file is not the one on disk, and why", async () => {
  const running = await startPipeline({
    tenants: [
      { id: "acme", connection: "acme-entra" },
      { id: "beta", connection: "beta-entra" },
    ],
    workers: 0,
  });
  stack = running;
  // Both tenants' SureCloud hold the whole catalogue, so the workers check is the only finding.
  const both = JSON.parse(await readFile(running.tenantsFile, "utf8"));
  for (const tenant of both.tenants) {
    tenant.groups = tenant.groups.filter((group: { groupId: string }) => group.groupId !== groups.retired.id);
  }
  await writeFile(running.tenantsFile, JSON.stringify({ tenants: [both.tenants[0]] }));
  // The worker's environment lacks beta's token: a file that adds beta is refused.
  const worker = await running.startWorker({ [tokenEnvOf("beta")]: "" });
  const started = await waitForLog(running, message("worker started"));
  const env = {
    TENANTS_FILE: running.tenantsFile,
    REDIS_URL,
    QUEUE_NAME: running.queueName,
    [tokenEnvOf("acme")]: tokenOf("acme"),
    [tokenEnvOf("beta")]: tokenOf("beta"),
  };
  await workersWhen(env, (workers) => workers.length === 1);

  const same = await cli(["check-config", "--json"], env);
  expect(same.code).toBe(0);
  const sameReport = JSON.parse(same.stdout);
  expect(sameReport.fingerprint).toBe(started.tenantsFingerprint);
  expect(sameReport.checks.filter((check: { check: string }) => check.check === "workers")).toEqual([
    expect.objectContaining({
      status: "ok",
      worker: expect.objectContaining({ pid: worker.pid, fingerprint: started.tenantsFingerprint }),
    }),
  ]);

  const before = running.logs.length;
  await writeFile(running.tenantsFile, JSON.stringify(both));
  await waitForLog(running, message("tenants file rejected"), before);
  await workersWhen(env, (workers) => workers[0]?.rejected !== undefined);

  const differs = await cli(["check-config"], env);
  expect(differs.code).toBe(0);
  const onDisk = /fingerprint ([0-9a-f]{12})\)/.exec(differs.stdout)?.[1];
  expect(onDisk).toBeDefined();
  expect(onDisk).not.toBe(started.tenantsFingerprint);
  // Whatever the terminal's width: a wrapped cell's lines joined again.
  expect(differs.stdout.replace(/\s+/g, " ")).toMatch(
    new RegExp(
      `- workers WARN \\S+ pid ${worker.pid} runs ${started.tenantsFingerprint}, not the file on disk \\(${onDisk}\\): its last reload was rejected: tenant "beta": surecloud\\.tokenEnv: environment variable SURECLOUD_TOKEN_BETA is not set`,
    ),
  );
  expect(differs.stdout).toContain("All checks passed, with 1 warning(s).");

  const status = await cli(["status"], env);
  expect(status.stdout).toContain(`1 worker(s), all running tenants file ${started.tenantsFingerprint}:`);
  expect(status.stdout).toMatch(new RegExp(`\\s${worker.pid}\\s+${started.tenantsFingerprint}\\s`));
  expect(status.stdout).toMatch(/rejected: .*SURECLOUD_TOKEN_BETA/);

  await stopProcess(worker);
  await workersWhen(env, (workers) => workers.length === 0);
  const gone = await cli(["check-config", "--json"], env);
  expect(JSON.parse(gone.stdout).checks).toContainEqual(
    expect.objectContaining({
      check: "workers",
      status: "info",
      detail: expect.stringMatching(/^no worker of queue/),
    }),
  );
});
