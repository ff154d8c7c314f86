// Reads a few fields of every job in one BullMQ state, a page of ids at a time and one pipelined
// HMGET per page: lighter than loading whole jobs (stack traces, logs) when `status` only counts.
import type { QueueHandle } from "./connectQueue.js";

/** BullMQ's key for a state and how it stores it: wait and active are lists, the rest sorted sets. */
export const stateKeys = {
  wait: "list",
  prioritized: "zset",
  active: "list",
  delayed: "zset",
  completed: "zset",
  failed: "zset",
} as const;
export type StateKey = keyof typeof stateKeys;

export interface JobFields {
  id: string;
  /** The job's data, parsed; undefined when missing or not JSON. */
  data: unknown;
  /** The return value (a completed job's outcome), parsed. */
  returnvalue: unknown;
  failedReason: string | undefined;
  finishedOn: number | undefined;
}

const PAGE = 1_000;

export async function* eachJobFields(handle: QueueHandle, state: StateKey): AsyncGenerator<JobFields> {
  const { queue, redis } = handle;
  const key = queue.toKey(state);
  for (let start = 0; ; start += PAGE) {
    const ids =
      stateKeys[state] === "list"
        ? await redis.lrange(key, start, start + PAGE - 1)
        : await redis.zrange(key, String(start), String(start + PAGE - 1));
    const pipeline = redis.pipeline();
    for (const id of ids)
      pipeline.hmget(queue.toKey(id), "data", "returnvalue", "failedReason", "finishedOn");
    const replies = ids.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    for (const [index, id] of ids.entries()) {
      const [, values] = replies[index] ?? [];
      // A job removed between the two reads has no fields left: not counted.
      if (!Array.isArray(values) || values.every((value) => value === null)) continue;
      const [data, returnvalue, failedReason, finishedOn] = values as Array<string | null>;
      yield {
        id,
        data: parseJson(data),
        returnvalue: parseJson(returnvalue),
        failedReason: failedReason ?? undefined,
        finishedOn: finishedOn ? Number(finishedOn) : undefined,
      };
    }
    if (ids.length < PAGE) return;
  }
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
