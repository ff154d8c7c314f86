// The Event Stream Action's secrets as a deploy writes them: every secret the Action reads
// (shared/actionSecrets.ts), each from the environment variable ACTION_<NAME> and listed only when set,
// CONNECTIONS computed from the organisations. tenant.yaml takes the whole list as one `@@…@@`
// keyword, since deploy-cli rewrites an Action's secrets with the list it is given: a secret added by
// hand in Auth0 is dropped by the next deploy, so every one must come from here. The Redis settings
// are checked with the Action's own schema first, naming the ACTION_ variable, never quoting a value.
import { type ActionSecretName, actionSecretNames } from "../../shared/actionSecrets.js";
import { formatIssues } from "../../shared/configIssues.js";
import { ConfigError } from "../../shared/errors.js";
import { readRedisSettings } from "../../shared/redisSettings.js";
import { type KeywordSources, resolveKeywords, secretsFingerprint } from "./keywords.js";

/** tenant.yaml's keyword for the Action's whole secrets list (`secrets: "@@ACTION_SECRETS@@"`). */
export const ACTION_SECRETS_KEYWORD = "ACTION_SECRETS";

/** The Action secret's name whose suffix is the fingerprint of every other secret's value. */
export const FINGERPRINT_SECRET_PREFIX = "SECRETS_FINGERPRINT_";

/** The deploy's environment variable for an Action secret. */
export function actionSecretVariable(name: ActionSecretName): string {
  return `ACTION_${name}`;
}

export interface ActionSecret {
  name: string;
  value: string;
}

export interface ResolvedActionSecrets {
  /** The secrets given a value, in shared/actionSecrets.ts's order. */
  values: Partial<Record<ActionSecretName, string>>;
  /** `NAME (why)` when no Redis is named at all: the one thing the Action cannot run without. */
  missing: string[];
}

const redisForms = ["REDIS_URL", "REDIS_CLUSTER_NODES", "REDIS_SENTINELS"] as const;

/** Each secret's value: computed (CONNECTIONS), else ACTION_<NAME>, else .auth0rc.json's default. */
export function resolveActionSecrets(sources: KeywordSources): ResolvedActionSecrets {
  const resolved = resolveKeywords(actionSecretNames.map(actionSecretVariable), sources);
  const values: Partial<Record<ActionSecretName, string>> = {};
  for (const name of actionSecretNames) {
    const value = resolved.values[actionSecretVariable(name)];
    if (typeof value === "string") values[name] = value;
  }
  const namesRedis = redisForms.some((name) => values[name] !== undefined);
  const [url, cluster, sentinels] = redisForms.map(actionSecretVariable);
  const missing = namesRedis
    ? []
    : [
        `${url} (the Action's Redis; or ${cluster}, or ${sentinels} with ${actionSecretVariable("REDIS_SENTINEL_NAME")})`,
      ];
  return { values, missing };
}

/**
 * The Action's secrets list, then the fingerprint secret: its name carries a keyed hash of the values
 * (Auth0 never returns them), so a changed value renames it and the deploy sees the Action as changed.
 * Throws ConfigError for Redis settings the Action would refuse, before any call to Auth0.
 */
export function actionSecretsList(values: ResolvedActionSecrets["values"], key: string): ActionSecret[] {
  checkRedisSettings(values);
  const secrets: ActionSecret[] = [];
  const fingerprinted: Record<string, string> = {};
  for (const name of actionSecretNames) {
    const value = values[name];
    if (value === undefined) continue;
    // deploy-cli replaces keywords after pasting this list, and strips a value that is one.
    if (/##[A-Za-z0-9_]+##|@@[A-Za-z0-9_]+@@/.test(value)) {
      throw new ConfigError(
        `${actionSecretVariable(name)} must not contain ##NAME## or @@NAME@@: deploy-cli would replace it`,
      );
    }
    secrets.push({ name, value });
    // By the variable's name, as when each value was a keyword of its own: an upgrade rewrites nothing.
    fingerprinted[actionSecretVariable(name)] = value;
  }
  const fingerprint = secretsFingerprint(fingerprinted, key);
  return [...secrets, { name: `${FINGERPRINT_SECRET_PREFIX}${fingerprint}`, value: fingerprint }];
}

/** The Action's own check of its Redis secrets, its issues named by the deploy's variables. */
function checkRedisSettings(values: ResolvedActionSecrets["values"]): void {
  const redis = readRedisSettings(values);
  if (redis.success) return;
  const describePath = (path: readonly PropertyKey[]) =>
    actionSecretVariable(String(path[0]) as ActionSecretName);
  throw new ConfigError(
    `Cannot deploy the Action's Redis settings: ${formatIssues(redis.issues, { describePath })}`,
  );
}
