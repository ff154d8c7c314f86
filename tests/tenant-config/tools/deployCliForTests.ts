// Test speed only. Before any API call, each deploy-cli run validates the whole input with a new ajv
// instance, which compiles deploy-cli's schema from scratch. That schema is 8.1 MB, and 8.06 MB of it
// is the `prompts` resource (its customText covers every language). Compiling it and running the
// generated code costs about 18 s of CPU each time; every other resource type together costs ~0.1 s.
// This project never deploys prompts: deployInputs.ts allows only actions, connections and
// eventStreams in AUTH0_INCLUDED_ONLY. So the tests swap the `prompts` schema for one that rejects any
// value. Every resource the project deploys is still checked against deploy-cli's own schema, and an
// input that ever carried prompts would fail validation here instead of passing unchecked.
import { createRequire } from "node:module";

type JsonSchema = Record<string, unknown>;

interface DeployCliSchemaModule {
  default: { properties?: Record<string, JsonSchema> };
}

const fromTests = createRequire(import.meta.url);

/**
 * Loads auth0-deploy-cli into this process, as tenantDeploy.ts later requires it (one module instance,
 * from the shared CommonJS cache), with the `prompts` schema swapped as described above. The load
 * itself takes about 2 s, more on a busy machine: call this from a `beforeAll`, not from a test.
 */
export function loadDeployCliForTests(): void {
  const fromCli = createRequire(fromTests.resolve("auth0-deploy-cli"));
  const { properties } = (fromCli("./tools/auth0/schema") as DeployCliSchemaModule).default;
  const prompts = properties?.prompts;
  if (!properties || !prompts) {
    throw new Error("auth0-deploy-cli's schema has no properties.prompts: revisit deployCliForTests.ts");
  }
  if (!("not" in prompts)) properties.prompts = { not: {} };
  fromTests("auth0-deploy-cli");
}
