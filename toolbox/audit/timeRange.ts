// Reading the `--since` / `--until` of the audit command: an ISO 8601 time, or an age such as
// `90m`, `24h`, `7d` counted back from now.

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The instant a flag names; throws naming the flag and the accepted forms. */
export function parseInstant(value: string, flag: string, now = Date.now()): Date {
  const age = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (age) return new Date(now - Number(age[1]) * (units[(age[2] as string).toLowerCase()] as number));
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new Error(`${flag} "${value}" is neither an ISO 8601 time nor an age such as 90m, 24h or 7d`);
  }
  return new Date(parsed);
}
