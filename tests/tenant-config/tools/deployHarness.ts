// One deploy test file's scaffolding: the real deploy-cli run by tenant-deploy's code against
// fakeAuth0, on a tenant state the file's tests build on one after another, with a staging folder of
// its own. A deploy that outlives its test (a timeout) is settled before the next test starts, so one
// slow test fails alone. (deploy.test.ts keeps its own copy of this, from before.)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { expect } from "vitest";
import {
  defaultPaths,
  prepareDeploy,
  type TenantConfigPaths,
} from "../../../tenant-config/tools/deployInputs.js";
import { type DeployReport, runDeployCli } from "../../../tenant-config/tools/tenantDeploy.js";
import { loadDeployCliForTests } from "./deployCliForTests.js";
import { type FakeAuth0, type FakeTenantState, fakeAuth0 } from "./fakeAuth0.js";

export interface DeployHarness {
  paths: TenantConfigPaths;
  /** The fake Management API of the last deploy or refusal: its requests and writes. */
  fake(): FakeAuth0;
  /** A whole deploy; fails the test on a request the fake does not know. */
  deploy(mode: "apply" | "preview", overrides?: NodeJS.ProcessEnv): Promise<DeployReport>;
  /** A deploy expected to stop before any request: its error. Fails the test if a request was made. */
  refusal(overrides: NodeJS.ProcessEnv): Promise<Error>;
  /** For afterEach: lets a deploy still running end against the fake. */
  settle(): Promise<void>;
  /** For afterAll. */
  close(): Promise<void>;
}

export interface DeployHarnessOptions {
  root: string;
  domain: string;
  env: NodeJS.ProcessEnv;
  state: FakeTenantState;
}

/** Call from beforeAll: loading deploy-cli takes seconds. */
export async function makeDeployHarness(options: DeployHarnessOptions): Promise<DeployHarness> {
  const paths = {
    ...defaultPaths(options.root),
    stagingDir: await mkdtemp(join(tmpdir(), "tenant-deploy-")),
  };
  loadDeployCliForTests();
  nock.disableNetConnect();
  let fake: FakeAuth0 | undefined;
  let unfinished: Promise<unknown> | undefined;
  const freshFake = () => {
    fake = fakeAuth0(options.domain, options.state);
    return fake;
  };
  return {
    paths,
    fake: () => {
      if (!fake) throw new Error("no deploy has run yet");
      return fake;
    },
    async deploy(mode, overrides = {}) {
      const current = freshFake();
      const run = prepareDeploy(paths, { ...options.env, ...overrides }).then((prepared) =>
        runDeployCli(prepared, mode),
      );
      unfinished = run;
      const report = await run;
      current.done();
      nock.cleanAll();
      expect(current.unexpected).toEqual([]);
      return report;
    },
    async refusal(overrides) {
      const current = freshFake();
      const error = await prepareDeploy(paths, { ...options.env, ...overrides }).then(
        () => new Error("the deploy was not refused"),
        (refused: Error) => refused,
      );
      current.stop();
      expect(current.requests).toEqual([]);
      return error;
    },
    async settle() {
      await unfinished?.catch(() => undefined);
      unfinished = undefined;
      nock.cleanAll();
    },
    async close() {
      nock.enableNetConnect();
      await rm(paths.stagingDir, { recursive: true, force: true });
    },
  };
}
