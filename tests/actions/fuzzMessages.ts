// Seeded generator of hostile Event Stream deliveries for the Action's fuzz test: a sound user event
// bent in one to three places — nested values, huge strings, wrong types, `__proto__` keys, arrays
// and numbers as user_type, Unicode look-alikes. The same seed always yields the same messages.

import { seededRandom } from "../../dev/surecloud-emulator/faults.js";

/** Marks values that only a `__proto__` key carries; a job must never hold it. */
export const PROTO_SENTINEL = "PROTO-SENTINEL-7f3a";

export interface FuzzMessage {
  message: unknown;
  /** The string user_type the job must carry unchanged, when only the user_type was bent. */
  expectedRaw?: string;
}

const GROUP = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";

/**
 * Sets a key as JSON.parse does, as an own property: for `__proto__`, plain assignment would
 * replace the object's prototype, which no delivery from Auth0 can do.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function makeFuzzMessages(seed: number, count: number): FuzzMessage[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (max: number) => Math.floor(random() * max);
  const hex = (length: number) => Array.from({ length }, () => int(16).toString(16)).join("");

  const nested = (depth: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let level = 0; level < depth; level += 1) value = random() < 0.5 ? [value] : { a: value };
    return value;
  };
  const hugeString = () => pick(["x", "é", "😀", "\u0000", "A,", " "]).repeat(10_000 + int(90_000));
  const protoCarrier = () =>
    JSON.parse(
      `{"__proto__": {"user_type": "${PROTO_SENTINEL}", "blocked": true, "user_id": "${PROTO_SENTINEL}", "connection": "${PROTO_SENTINEL}"}, "x": 1}`,
    ) as Record<string, unknown>;
  const junk = (): unknown =>
    pick<() => unknown>([
      () => int(1_000_000) - 500_000,
      () => random() < 0.5,
      () => null,
      () => [],
      () => ({}),
      () => hugeString(),
      () => nested(10 + int(6_000), "deep"),
      () => protoCarrier(),
      () => Number.NaN,
      () => [GROUP, 42, null],
    ])();

  /** Strings a person cannot tell from a valid directive, and other near misses. */
  const lookAlikes = [
    "ＩＧＮＯＲＥ",
    "IGNORΕ",
    "İGNORE",
    "ıgnore",
    "NONE\u200b",
    "\u00a0",
    "\ufeffIGNORE",
    GROUP.replace("a", "а"),
    GROUP.replace(/-/g, "‐"),
    `${GROUP}\u202e`,
    "\ud800IGNORE",
    `${GROUP},\u2028${GROUP}`,
    "NONE",
    "IGNORE",
    "",
    ` ${GROUP} , ${GROUP.toUpperCase()} `,
    ",",
  ];
  const userTypes: Array<() => unknown> = [
    () => pick(lookAlikes),
    () => hugeString(),
    () => nested(1 + int(20_000), pick(["IGNORE", GROUP, 1])),
    () => int(10 ** 9),
    () => random() * 1e300,
    () => [GROUP, GROUP],
    () => [[["IGNORE"]]],
    () => random() < 0.5,
    () => protoCarrier(),
    () => ({ toJSON: "IGNORE", length: 3 }),
  ];

  const messages: FuzzMessage[] = [];
  for (let index = 0; index < count; index += 1) {
    const connection = pick(["acme-entra", "beta-entra", "ａcme-entra", "acme-entra\u0000"]);
    const userId = `samlp|${connection}|${hex(12)}`;
    const time = new Date(Date.UTC(2025, 0, 1) + int(10 ** 10)).toISOString();
    const user: Record<string, unknown> = {
      user_id: userId,
      email: `user${index}@acme.example`,
      preferred_username: `user${index}@acme.example`,
      given_name: "Ada",
      family_name: "Lovelace",
      updated_at: time,
      app_metadata: { external_id: hex(8) },
      identities: [{ connection, provider: "samlp", user_id: hex(8) }],
    };
    const data: Record<string, unknown> = { object: user, context: { connection: { name: connection } } };
    const message: Record<string, unknown> = {
      specversion: "1.0",
      id: `evt_fuzz${seed}x${index}`,
      type: pick(["user.created", "user.updated", "user.deleted"]),
      time,
      source: "urn:auth0:acme.eu.auth0.com",
      data,
    };
    const fuzzed: FuzzMessage = { message };
    const bends = 1 + int(3);
    for (let bend = 0; bend < bends; bend += 1) {
      const which = int(12);
      if (which <= 3) {
        const userType = pick(userTypes)();
        (user.app_metadata as Record<string, unknown>).user_type = userType;
        if (bends === 1 && typeof userType === "string") fuzzed.expectedRaw = userType;
      } else if (which === 4) {
        // The carrier's own "__proto__" key, read as data (not the accessor).
        setOwn(user, "__proto__", Object.getOwnPropertyDescriptor(protoCarrier(), "__proto__")?.value);
      } else if (which === 5) {
        user.app_metadata = protoCarrier();
      } else if (which === 6) {
        data.previous_object = pick([junk(), { app_metadata: { user_type: junk() } }, protoCarrier()]);
      } else if (which === 7) {
        setOwn(message, pick(["id", "type", "time", "data", "a0purpose", "__proto__"]), junk());
      } else if (which === 8) {
        setOwn(user, pick(["user_id", "email", "blocked", "updated_at", "identities", "__proto__"]), junk());
      } else if (which === 9) {
        data.context = pick([junk(), { connection: { name: junk() } }, { connection: junk() }]);
      } else if (which === 10) {
        user.identities = pick([junk(), [junk()], [{ connection: junk() }], [protoCarrier()]]);
      } else {
        user.user_metadata = nested(int(8_000), hugeString().slice(0, 100));
      }
    }
    messages.push(fuzzed);
  }
  return messages;
}
