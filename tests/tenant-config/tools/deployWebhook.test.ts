// EVENT_STREAM_DESTINATION=webhook, with the real auth0-deploy-cli against the faked Management API:
// the deploy creates the event stream with a webhook destination to INTAKE_URL and INTAKE_TOKEN as
// its bearer token, deploys no Action and needs no Redis URL, refuses values the intake would refuse,
// and never writes the token to a file or a report.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../shared/errors.js";
import { type DeployHarness, makeDeployHarness } from "./deployHarness.js";
import { type FakeTenantState, sharedTenant } from "./fakeAuth0.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const INTAKE_URL = "https://sync.surecloud.example/events";
const INTAKE_TOKEN = "itk_Wq8Zt3Lx9Nc2Vb7Rm4Hs6Jd1Kf5Gp0Ya";

/** No ACTION_REDIS_URL: with the webhook destination Redis never leaves the private network. */
const env: NodeJS.ProcessEnv = {
  AUTH0_DOMAIN: "surecloud-webhook-test.eu.auth0.com",
  AUTH0_CLIENT_ID: "deploy-client",
  AUTH0_CLIENT_SECRET: "deploy-client-secret",
  ACME_ENTRA_CLIENT_ID: "acme-app-id",
  ACME_ENTRA_CLIENT_SECRET: "acme-app-secret",
  EVENT_STREAM_DESTINATION: "webhook",
  INTAKE_URL,
  INTAKE_TOKEN,
};

/** As deploy.test.ts: deploy-cli paces the real Management API, and CI machines are slow and shared. */
const DEPLOY_TEST_TIMEOUT_MS = 60_000;

interface StreamBody {
  name: string;
  subscriptions: { event_type: string }[];
  destination: { type: string; configuration: Record<string, unknown> };
}

const state = sharedTenant();
let harness: DeployHarness;
beforeAll(async () => {
  harness = await makeDeployHarness({ root, domain: String(env.AUTH0_DOMAIN), env, state });
}, 120_000);
afterEach(() => harness.settle(), DEPLOY_TEST_TIMEOUT_MS);
afterAll(() => harness.close());

/** A deploy, after which the fake reads back as Auth0 does: a bearer authorization without its token. */
async function deploy(mode: "apply" | "preview", overrides: NodeJS.ProcessEnv = {}) {
  const report = await harness.deploy(mode, overrides);
  forgetWebhookTokens(state);
  return report;
}

function forgetWebhookTokens(tenant: FakeTenantState): void {
  for (const stream of tenant.eventStreams as Partial<StreamBody>[]) {
    const configuration = stream.destination?.configuration;
    const authorization = configuration?.webhook_authorization as Record<string, unknown> | undefined;
    if (!stream.destination || !authorization) continue;
    // Replaced, not edited: the recorded request shares the stored stream's objects.
    const { token: _token, ...kept } = authorization;
    stream.destination = {
      ...stream.destination,
      configuration: { ...configuration, webhook_authorization: kept },
    };
  }
}

const writes = () => harness.fake().writes();
const streamWrites = () => writes().filter((request) => request.path.startsWith("/api/v2/event-streams"));
const stagedText = () => readFile(join(harness.paths.stagingDir, "tenant.yaml"), "utf8");

describe("tenant deploy with EVENT_STREAM_DESTINATION=webhook", { timeout: DEPLOY_TEST_TIMEOUT_MS }, () => {
  it("stops before any request without INTAKE_URL and INTAKE_TOKEN, and never asks for a Redis URL", async () => {
    const error = await harness.refusal({ INTAKE_URL: undefined, INTAKE_TOKEN: undefined });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/INTAKE_URL \(keyword/);
    expect(error.message).toMatch(/INTAKE_TOKEN \(keyword/);
    expect(error.message).not.toMatch(/ACTION_REDIS_URL/);
  });

  it.each([
    [
      "EVENT_STREAM_DESTINATION",
      { EVENT_STREAM_DESTINATION: "kafka" },
      /EVENT_STREAM_DESTINATION must be action or webhook/,
    ],
    [
      "an http:// INTAKE_URL",
      { INTAKE_URL: "http://sync.surecloud.example/events" },
      /INTAKE_URL must be an https:\/\/ URL/,
    ],
    [
      "an INTAKE_URL off the intake's route",
      { INTAKE_URL: "https://sync.surecloud.example/" },
      /INTAKE_URL must end with \/events/,
    ],
    [
      "a short INTAKE_TOKEN",
      { INTAKE_TOKEN: "short-token-value" },
      /INTAKE_TOKEN must be at least 32 characters/,
    ],
  ])("refuses %s before any request, never quoting the token", async (_case, overrides, message) => {
    const error = await harness.refusal(overrides);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("short-token-value");
  });

  it("creates the stream with a webhook destination and the token, and no Action", async () => {
    await deploy("apply");

    const [created, ...others] = streamWrites();
    expect(others).toEqual([]);
    expect(created?.method).toBe("POST");
    const stream = created?.body as StreamBody;
    expect(stream.name).toBe("surecloud-group-sync-webhook");
    expect(stream.destination).toEqual({
      type: "webhook",
      configuration: {
        webhook_endpoint: INTAKE_URL,
        webhook_authorization: { method: "bearer", token: INTAKE_TOKEN },
      },
    });
    expect(stream.subscriptions.map((subscription) => subscription.event_type)).toEqual([
      "user.created",
      "user.updated",
      "user.deleted",
    ]);
    expect(
      writes()
        .map((request) => `${request.method} ${request.path.replace(/con_\w+/, "con_x")}`)
        .sort(),
    ).toEqual(
      [
        "POST /api/v2/connections",
        "POST /api/v2/connections/con_x/scim-configuration",
        "POST /api/v2/event-streams",
      ].sort(),
    );
    // The shared tenant's own webhook stream is not touched.
    expect(state.eventStreams.find((candidate) => candidate.id === "est_other")).toEqual(
      sharedTenant().eventStreams[0],
    );

    const staged = await stagedText();
    expect(staged).toContain('token: "##INTAKE_TOKEN##"');
    expect(staged).not.toContain(INTAKE_TOKEN);
    expect(staged).not.toMatch(/ACTION_|^actions:/m);
  });

  it("re-sends the token on every deploy, since Auth0 cannot show whether it changed; nothing else is written", async () => {
    const preview = await deploy("preview");
    expect(writes()).toEqual([]);
    expect(preview.changedFields).toEqual([
      "eventStreams surecloud-group-sync-webhook.destination.configuration.webhook_authorization.token",
    ]);

    await deploy("apply");
    const streamId = state.eventStreams.find((stream) => stream.name === "surecloud-group-sync-webhook")?.id;
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `PATCH /api/v2/event-streams/${streamId}`,
    ]);
    const patch = writes()[0]?.body as Partial<StreamBody>;
    expect(patch.destination?.configuration.webhook_authorization).toEqual({
      method: "bearer",
      token: INTAKE_TOKEN,
    });
  });

  it("rotates the token with the next deploy, the new value in the request and in no report", async () => {
    const rotated = "itk_Rotated7Pq2Ws9Xe4Cv1Bn6Mk3Lj8Hg5";
    const preview = await deploy("preview", { INTAKE_TOKEN: rotated });
    expect(preview.changedFields.join("\n")).not.toContain(rotated);

    await deploy("apply", { INTAKE_TOKEN: rotated });
    const patch = streamWrites()[0]?.body as Partial<StreamBody>;
    expect(patch.destination?.configuration.webhook_authorization).toEqual({
      method: "bearer",
      token: rotated,
    });
    expect(await stagedText()).not.toContain(rotated);
  });
});
