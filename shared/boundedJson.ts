// JSON text of a value that came from outside, cut short at a depth and a length: how a job names a
// value it cannot use (a non-string directive) without a hostile value exhausting the stack or the job.
// No dependencies, so the Action can use it.

export interface JsonLimits {
  /** Longest text returned; a longer one is cut and ends in `...`. */
  maxChars: number;
  /** Containers nested deeper are written `[...]` or `{...}`. */
  maxDepth: number;
}

const CUT = "...";

/**
 * Like `JSON.stringify(value)` for what JSON can carry, but never throws: the recursion stops at
 * `maxDepth` (JSON.stringify ran out of stack on a `user_type` nested 4,100 levels deep, ~8 KB of
 * JSON) and the walk stops once `maxChars` are written, however wide the value.
 */
export function boundedJson(value: unknown, limits: JsonLimits): string {
  const pieces: string[] = [];
  let written = 0;
  /** Adds a piece; false once the budget is spent, which stops the walk. */
  const emit = (piece: string): boolean => {
    pieces.push(piece);
    written += piece.length;
    return written <= limits.maxChars;
  };
  const write = (node: unknown, depth: number): boolean => {
    if (typeof node !== "object" || node === null) return emit(scalar(node, limits.maxChars));
    const isArray = Array.isArray(node);
    const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
    if (depth >= limits.maxDepth) return emit(`${open}${CUT}${close}`);
    if (!emit(open)) return false;
    const keys = isArray ? node.keys() : Object.keys(node);
    let first = true;
    for (const key of keys) {
      if (!first && !emit(",")) return false;
      first = false;
      if (!isArray && !emit(`${JSON.stringify(key)}:`)) return false;
      if (!write((node as Record<string | number, unknown>)[key], depth + 1)) return false;
    }
    return emit(close);
  };
  write(value, 0);
  const text = pieces.join("");
  return text.length > limits.maxChars ? `${text.slice(0, limits.maxChars - CUT.length)}${CUT}` : text;
}

function scalar(value: unknown, maxChars: number): string {
  switch (typeof value) {
    case "string":
      // Only the start can be shown, so only the start is escaped.
      return JSON.stringify(value.slice(0, maxChars));
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return value.toString();
    default:
      return "null";
  }
}
