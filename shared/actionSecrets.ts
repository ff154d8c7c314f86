// The Event Stream Action's secrets, by name: the Action reads these and no others from
// `event.secrets`, and the tenant deploy writes each one it is given from ACTION_<NAME>. One list, so
// that a secret the Action learns to read is one the deploy can set (tests/actions and
// tests/tenant-config check both sides against it).
import { redisSettingNames } from "./redisSettings.js";

/** The Action's settings besides its Redis; each optional, with a default in the Action. */
export const actionOptionNames = [
  "QUEUE_NAME",
  "CONNECTIONS",
  "DIRECTIVE_ATTRIBUTE",
  "ROLES_ATTRIBUTE",
] as const;
export type ActionOptionName = (typeof actionOptionNames)[number];

/** Every secret the Action reads, in the order a deploy lists them. */
export const actionSecretNames = [...redisSettingNames, ...actionOptionNames] as const;
export type ActionSecretName = (typeof actionSecretNames)[number];
