// Where in an attempt of a job the worker is killed (the vocabulary of the scenario table; lane.ts
// says how each point is recognised and reached). Counts restart with every attempt of the job.

export type Point =
  /** The `nth` request of the attempt is in flight and the attempt has stated no intent yet. */
  | { kind: "read"; nth: number }
  /** The attempt's `nth` intent is stored; the worker never gets Redis's reply, so it writes nothing. */
  | { kind: "intent"; nth: number }
  /**
   * Write `write` (counted from the attempt's `intent`-th intent) has arrived and is not answered.
   * With `slowMs`, that write is served only that long after it arrived.
   */
  | { kind: "in-flight"; write: number; intent: number; slowMs?: number }
  /** Write `write` and all before it are answered by SureCloud; the worker never read the answers. */
  | { kind: "answered"; write: number; intent: number }
  /** The attempt's `nth` audit record (entry + intent settled) is stored; nothing after it runs. */
  | { kind: "recorded"; nth: number };

export interface Kill {
  /** The kill point, as reported; the same label in two scenarios is the same point. */
  label: string;
  point: Point;
}

export const read = (label: string, nth = 1): Kill => ({ label, point: { kind: "read", nth } });
export const intent = (label: string, nth = 1): Kill => ({ label, point: { kind: "intent", nth } });
export const inFlight = (label: string, write: number, intentNth = 1, slowMs?: number): Kill => ({
  label,
  point: { kind: "in-flight", write, intent: intentNth, slowMs },
});
export const answered = (label: string, write: number, intentNth = 1): Kill => ({
  label,
  point: { kind: "answered", write, intent: intentNth },
});
export const recorded = (label: string, nth = 1): Kill => ({ label, point: { kind: "recorded", nth } });
