// Which of deploy-cli 8.44's log entries report a Management API call refused or skipped, so that the
// deploy fails on them: the messages below are the shapes its handlers log before carrying on.
import { describe, expect, it } from "vitest";
import { refusalIn } from "../../../tenant-config/tools/deployCliRefusals.js";

describe("refusalIn", () => {
  it.each([
    [
      "error",
      "Unable to update enabled clients for connections: con_1: BadRequestError\nStatus code: 400",
      "con_1",
    ],
    ["warn", "Unable to retrieve enabled clients for connection con_2: Insufficient scope", "con_2"],
    [
      "warn",
      "Unable to find ID for newly created connections 'acme-entra' when updating enabled clients",
      undefined,
    ],
    ["warn", "Unable to fetch directory provisioning for connections. Insufficient scope", undefined],
    ["error", "Unable to fetch directory provisioning for connections. ", undefined],
    ["warn", 'Insufficient scope, "create:scim_config". Required "read:scim_config"', undefined],
    ["warn", 'SCIM configuration already exists on connection "con_3".', "con_3"],
    ["error", "The global rate limit has been exceeded, resulting in a 429 error.", undefined],
    ["warn", "Cannot retrieve actions due to missing scopes: read:actions", undefined],
    ["warn", "Feature not enabled (feature_not_enabled) - Skipping eventStreams", undefined],
  ])("a %s entry %j is a refusal", (level, message, connectionId) => {
    const refusal = refusalIn(level, message);
    expect(refusal?.message).toBe(message.replace(/\s+/g, " ").trim());
    expect(refusal?.connectionId).toBe(connectionId);
  });

  it.each([
    ["warn", "Detected the following actions should be deleted. Doing so may be destructive."],
    ["warn", 'Skipping DELETE scim_configuration on "con_1". Enable deletes by setting "AUTH0_ALLOW_DELETE"'],
    ["warn", "Rate limit hit for [connections]. Retrying attempt 1/5 after 1s..."],
    ["warn", "Insufficient scope the read:connections_options scope is required to get connections options."],
    ["info", "Unable to fetch anything, said at info level"],
  ])("a %s entry %j is not", (level, message) => {
    expect(refusalIn(level, message)).toBeUndefined();
  });
});
