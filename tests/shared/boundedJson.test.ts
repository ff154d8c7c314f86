// boundedJson: JSON text of an outside value, cut at a depth and a length, that never throws.
import { describe, expect, it } from "vitest";
import { boundedJson } from "../../shared/boundedJson.js";

const roomy = { maxChars: 10_000, maxDepth: 10 };

describe("boundedJson", () => {
  it.each([[[1, "a", true, null]], [{ a: { b: ["c", 2.5] }, 'quote"d': "é😀" }], [[]], [{}], [42], [false]])(
    "writes what JSON.stringify writes for a small value (%j)",
    (value) => {
      expect(boundedJson(value, roomy)).toBe(JSON.stringify(value));
    },
  );

  it("writes containers below the depth limit as [...] and {...}", () => {
    expect(boundedJson([[[["x"]]]], { maxChars: 100, maxDepth: 2 })).toBe("[[[...]]]");
    expect(boundedJson({ a: { b: { c: 1 } } }, { maxChars: 100, maxDepth: 2 })).toBe('{"a":{"b":{...}}}');
  });

  it("cuts the text at the length limit, ending in ...", () => {
    const text = boundedJson(
      Array.from({ length: 1_000 }, (_, i) => i),
      { maxChars: 50, maxDepth: 5 },
    );
    expect(text).toHaveLength(50);
    expect(text.endsWith("...")).toBe(true);
    expect(boundedJson("x".repeat(1_000_000), { maxChars: 20, maxDepth: 5 })).toBe(`"${"x".repeat(16)}...`);
  });

  it("never throws, however deep or wide the value", () => {
    let deep: unknown = "x";
    for (let level = 0; level < 200_000; level += 1) deep = { a: [deep] };
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(boundedJson(deep, { maxChars: 256, maxDepth: 8 })).toBe('{"a":[{"a":[{"a":[{"a":[{...}]}]}]}]}');
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    expect(boundedJson(wide, { maxChars: 30, maxDepth: 8 })).toHaveLength(30);
    expect(boundedJson([Number.NaN, undefined, () => 1, 10n], roomy)).toBe("[null,null,null,10]");
  });
});
