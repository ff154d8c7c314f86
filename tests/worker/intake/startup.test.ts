// The intake's settings are checked at start-up like every other: a port without a token, a token
// too short or with characters a bearer header cannot carry, or the HTTP server's port, stops the
// worker (started as operators start it) with exit code 78 and a message naming the field, and the
// token is never printed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pipeline, startPipeline } from "../../helpers/pipeline.js";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ workers: 0 });
});
afterAll(async () => {
  await pipeline?.stop();
});

describe("the worker refuses a bad intake configuration at start-up", () => {
  it.each([
    [
      "INTAKE_PORT without INTAKE_TOKEN",
      { INTAKE_PORT: "18231" },
      /INTAKE_TOKEN: is required when INTAKE_PORT is set/,
    ],
    [
      "an INTAKE_TOKEN under 32 characters",
      { INTAKE_PORT: "18231", INTAKE_TOKEN: "short-but-secret-token" },
      /INTAKE_TOKEN: must be at least 32 characters/,
    ],
    [
      "an INTAKE_TOKEN with a trailing line break, as a secret file often has",
      { INTAKE_PORT: "18231", INTAKE_TOKEN: `${"k".repeat(40)}\n` },
      /INTAKE_TOKEN: may hold only letters, digits/,
    ],
    [
      "INTAKE_PORT equal to HTTP_PORT",
      { INTAKE_PORT: "18232", HTTP_PORT: "18232", INTAKE_TOKEN: "k".repeat(40) },
      /INTAKE_PORT: must differ from HTTP_PORT/,
    ],
  ])("%s", async (_case, env, message) => {
    const start = pipeline.startWorker(env);
    await expect(start).rejects.toThrow(/worker exited with 78/);
    await expect(start).rejects.toThrow(message);
  });

  it("printed no token it refused", () => {
    expect(pipeline.output()).not.toContain("short-but-secret-token");
    expect(pipeline.output()).not.toContain("k".repeat(40));
  });
});
