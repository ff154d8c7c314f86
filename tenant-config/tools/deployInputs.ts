// Everything a tenant deploy needs, gathered and checked before the first API call: credentials,
// .auth0rc.json, the organisations, the SCIM mapping, the pinned dependencies, every keyword's value
// and the Action's secrets; then tenant.yaml is staged beside the built Action bundle for deploy-cli.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { z } from "zod";
import {
  type Auth0Credentials,
  missingCredentials,
  readAuth0Credentials,
} from "../../shared/auth0Credentials.js";
import { loadConfigFile, parseConfigText, readConfigText } from "../../shared/configFile.js";
import { ConfigError } from "../../shared/errors.js";
import {
  ACTION_SECRETS_KEYWORD,
  actionSecretsList,
  actionSecretVariable,
  type ResolvedActionSecrets,
  resolveActionSecrets,
} from "./actionSecrets.js";
import { checkWebhookValues, eventStreamDestinationOf, tenantTextFor } from "./eventStreamDestination.js";
import { fillKeywords, type KeywordValues, keywordsIn, resolveKeywords, textKeywordsIn } from "./keywords.js";
import { connectionsFor, type DeployCliConnection, loadOrganisations } from "./organisations.js";
import { loadScimConfiguration } from "./scimMapping.js";

/** The only deploy-cli resource types this project manages in a shared tenant. */
export const ownedResourceTypes = ["actions", "connections", "eventStreams"] as const;

/** Keywords the deploy computes; tenant.yaml names them, nobody sets them. */
export const computedKeywords = {
  connections: "ORGANISATION_CONNECTIONS",
  actionSecrets: ACTION_SECRETS_KEYWORD,
} as const;

/** `.auth0rc.json`: strict, so an edit that would widen what a deploy touches is refused. */
const deployCliConfigSchema = z
  .object({
    AUTH0_INCLUDED_ONLY: z
      .array(z.enum(ownedResourceTypes, { error: "may list only actions, connections and eventStreams" }))
      .min(1),
    AUTH0_ALLOW_DELETE: z.literal(false, { error: "must be false: nothing in a shared tenant is deleted" }),
    AUTH0_KEYWORD_REPLACE_MAPPINGS: z.record(z.string(), z.string()).default({}),
    AUTH0_IGNORE_DRY_RUN_FIELDS: z.record(z.string(), z.array(z.string())).default({}),
  })
  .strict();
type DeployCliConfigFile = z.infer<typeof deployCliConfigSchema>;

/** The part of tenant.yaml the deploy checks itself; deploy-cli validates the rest. */
const tenantFileSchema = z
  .object({
    actions: z
      .array(
        z
          .object({
            name: z.string().min(1),
            code: z.string().min(1),
            dependencies: z.array(z.object({ name: z.string(), version: z.string() })).default([]),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();
type TenantFile = z.infer<typeof tenantFileSchema>;

export interface TenantConfigPaths {
  tenantFile: string;
  rcFile: string;
  organisationsFile: string;
  scimMappingFile: string;
  /** package-lock.json: the dependency versions the project tests. */
  lockFile: string;
  /** The built Action (`npm run build`), staged as every Action's code. */
  actionBundle: string;
  /** Where deploy-cli's input is assembled. */
  stagingDir: string;
}

/** The repository's files; relative to the working directory unless a root is given. */
export function defaultPaths(root = "."): TenantConfigPaths {
  return {
    tenantFile: join(root, "tenant-config", "tenant.yaml"),
    rcFile: join(root, ".auth0rc.json"),
    organisationsFile: join(root, "tenant-config", "organisations.yaml"),
    scimMappingFile: join(root, "tenant-config", "scim-mapping.yaml"),
    lockFile: join(root, "package-lock.json"),
    actionBundle: join(root, "dist", "actions", "group-sync.js"),
    stagingDir: join(root, "dist", "tenant-staging"),
  };
}

export interface PreparedDeploy {
  /** The staged tenant.yaml. */
  inputFile: string;
  /** deploy-cli configuration, credentials and keyword values included: never print it. */
  config: Record<string, unknown>;
  /** The organisations' connection names: the only connections a deploy may touch. */
  connectionNames: string[];
  /** Each connection's `enabledClients` (application names), for naming a refused update. */
  enabledClients: Record<string, string[]>;
  /** For reading back what deploy-cli left: never print them. */
  credentials: Auth0Credentials;
}

/** Checks and stages everything; throws ConfigError naming what is missing, before any API call. */
export async function prepareDeploy(
  paths: TenantConfigPaths,
  env: NodeJS.ProcessEnv,
): Promise<PreparedDeploy> {
  const rc = await loadDeployCliConfig(paths.rcFile);
  const [organisations, scim, tenantTemplate] = await Promise.all([
    loadOrganisations(paths.organisationsFile),
    loadScimConfiguration(paths.scimMappingFile),
    readConfigText(paths.tenantFile),
  ]);
  // EVENT_STREAM_DESTINATION: tenant.yaml as written (the Action), or its stream pointed at the intake.
  const tenantText = tenantTextFor(eventStreamDestinationOf(env), tenantTemplate, paths.tenantFile);
  const tenant = parseConfigText(tenantFileSchema, tenantText, paths.tenantFile);
  await checkPinnedDependencies(tenant, paths);

  const resolved = resolveDeployValues(connectionsFor(organisations, scim), tenantText, paths, {
    env,
    defaults: rc.AUTH0_KEYWORD_REPLACE_MAPPINGS,
  });
  const missing = [
    ...resolved.missing,
    ...(resolved.actionSecrets?.missing ?? []),
    ...missingCredentials(env).map((name) => `${name} (Management API credentials)`),
  ];
  if (missing.length > 0) {
    throw new ConfigError(`Cannot deploy; set these environment variables first: ${missing.join(", ")}`);
  }
  const credentials = readAuth0Credentials(env);
  const values = withActionSecrets(resolved, credentials.clientSecret);
  checkTextValues(values, paths.tenantFile);
  checkWebhookValues(values);

  const inputFile = await stage(tenantText, tenant, paths);
  return {
    inputFile,
    connectionNames: resolved.connectionNames,
    enabledClients: Object.fromEntries(
      organisations.map((organisation) => [organisation.connection, organisation.enabledClients ?? []]),
    ),
    credentials,
    config: {
      AUTH0_DOMAIN: credentials.domain,
      AUTH0_CLIENT_ID: credentials.clientId,
      AUTH0_CLIENT_SECRET: credentials.clientSecret,
      AUTH0_INCLUDED_ONLY: rc.AUTH0_INCLUDED_ONLY,
      AUTH0_ALLOW_DELETE: false,
      AUTH0_IGNORE_DRY_RUN_FIELDS: rc.AUTH0_IGNORE_DRY_RUN_FIELDS,
      AUTH0_KEYWORD_REPLACE_MAPPINGS: values,
      // Any other connection in the tenant is out of bounds, even for reporting.
      AUTH0_INCLUDED_CONNECTIONS: resolved.connectionNames,
    },
  };
}

interface ResolvedDeployValues {
  connectionNames: string[];
  /** tenant.yaml's keyword values, except the Action's secrets (their fingerprint needs the credentials). */
  values: KeywordValues;
  /** The Action's secrets, when tenant.yaml names them (not with the webhook destination). */
  actionSecrets: ResolvedActionSecrets | undefined;
  /** `NAME (keyword in FILE)` for each keyword without a value. */
  missing: string[];
}

/**
 * Fills the organisations' own keywords into their connections (so JSON encoding escapes the values),
 * then resolves tenant.yaml's keywords: the computed connections, then the environment; and the
 * Action's secrets, their allow-list computed from the connections.
 */
function resolveDeployValues(
  connections: DeployCliConnection[],
  tenantText: string,
  paths: TenantConfigPaths,
  sources: { env: NodeJS.ProcessEnv; defaults: Record<string, string> },
): ResolvedDeployValues {
  const organisationKeywords = resolveKeywords(textKeywordsIn(connections), { computed: {}, ...sources });
  const filled = fillKeywords(connections, organisationKeywords.values as Record<string, string>);
  const connectionNames = filled.map((connection) => connection.name);
  const computed: KeywordValues = { [computedKeywords.connections]: filled };
  const tenantNames = keywordsIn(tenantText).filter((name) => name !== computedKeywords.actionSecrets);
  const tenantKeywords = resolveKeywords(tenantNames, { computed, ...sources });
  const actionSecrets = keywordsIn(tenantText).includes(computedKeywords.actionSecrets)
    ? resolveActionSecrets({
        computed: { [actionSecretVariable("CONNECTIONS")]: connectionNames.join(",") },
        ...sources,
      })
    : undefined;
  return {
    connectionNames,
    values: tenantKeywords.values,
    actionSecrets,
    missing: [
      ...tenantKeywords.missing.map((name) => `${name} (keyword in ${paths.tenantFile})`),
      ...organisationKeywords.missing.map((name) => `${name} (keyword in ${paths.organisationsFile})`),
    ],
  };
}

export async function loadDeployCliConfig(path: string): Promise<DeployCliConfigFile> {
  return loadConfigFile(deployCliConfigSchema, path);
}

/** The Action must run with the bullmq/ioredis the project tests, or its jobs may not be readable. */
export async function checkPinnedDependencies(tenant: TenantFile, paths: TenantConfigPaths): Promise<void> {
  const lock = JSON.parse(await readConfigText(paths.lockFile)) as {
    packages?: Record<string, { version?: string }>;
  };
  for (const action of tenant.actions) {
    for (const dependency of action.dependencies) {
      const tested = lock.packages?.[`node_modules/${dependency.name}`]?.version;
      if (tested === undefined) {
        throw new ConfigError(
          `${paths.tenantFile}: Action "${action.name}" depends on ${dependency.name}, which ${paths.lockFile} does not install`,
        );
      }
      if (tested !== dependency.version) {
        throw new ConfigError(
          `${paths.tenantFile}: Action "${action.name}" pins ${dependency.name} ${dependency.version}, ` +
            `but the project tests ${tested} (${paths.lockFile}); pin ${tested}`,
        );
      }
    }
  }
}

/** Adds the Action's secrets list, fingerprinted with the deploy client's secret as the key. */
function withActionSecrets(resolved: ResolvedDeployValues, key: string): KeywordValues {
  if (!resolved.actionSecrets) return resolved.values;
  const secrets = actionSecretsList(resolved.actionSecrets.values, key);
  return { ...resolved.values, [computedKeywords.actionSecrets]: secrets };
}

/** deploy-cli pastes `##…##` values into quoted YAML as they are; these characters would break it. */
function checkTextValues(values: KeywordValues, origin: string): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string" && /["\\\r\n]/.test(value)) {
      throw new ConfigError(
        `${name} (keyword in ${origin}) must not contain a double quote, backslash or line break`,
      );
    }
  }
}

/** Writes tenant.yaml and each Action's code (the bundle) where tenant.yaml's `code` points. */
async function stage(tenantText: string, tenant: TenantFile, paths: TenantConfigPaths): Promise<string> {
  const root = resolve(paths.stagingDir);
  await mkdir(root, { recursive: true });
  for (const action of tenant.actions) {
    const target = resolve(root, action.code);
    if (!target.startsWith(root + sep)) {
      throw new ConfigError(
        `${paths.tenantFile}: Action "${action.name}" code must be a path inside tenant-config`,
      );
    }
    await mkdir(dirname(target), { recursive: true });
    try {
      await copyFile(paths.actionBundle, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(
        `cannot stage the Action bundle ${paths.actionBundle} (${code}); run npm run build`,
      );
    }
  }
  const inputFile = join(root, "tenant.yaml");
  await writeFile(inputFile, tenantText);
  return inputFile;
}
