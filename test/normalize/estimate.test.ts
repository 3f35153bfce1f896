// decodeBody's size estimate for bodies the worker already parsed: pinned to its definition
// (UTF-8 of strings and keys plus JSON punctuation, stopping once past the cap).
import { describe, expect, it } from "vitest";
import { decodeBody } from "../../shared/normalize/index.js";

function reference(value: unknown, stopAbove: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= stopAbove) {
    const item = stack.pop();
    if (typeof item === "string") total += Buffer.byteLength(item, "utf8") + 2;
    else if (item === null || typeof item !== "object") total += String(item).length;
    else if (Array.isArray(item)) {
      total += 1 + item.length;
      for (const child of item) stack.push(child);
    } else {
      total += 1;
      for (const [key, child] of Object.entries(item)) {
        total += Buffer.byteLength(key, "utf8") + 4;
        stack.push(child);
      }
    }
  }
  return total;
}

const LIMITS = { maxEventBytes: 4096, maxDepth: 32 };
const CASES: [string, unknown][] = [
  ["empty object", {}],
  ["flat", { a: 1, b: "two", c: true, d: null }],
  ["unicode keys and values", { "ключ": "значение", "😀": ["é", "東京"] }],
  ["nested", { a: { b: { c: [1, [2, { d: "e" }]] } } }],
  ["integer-like keys", { "2": "x", "10": "y", a: "z" }],
  ["near the cap", { pad: "x".repeat(3900), more: ["y".repeat(50), "z".repeat(50)] }],
];

describe("decodeBody size estimate of parsed bodies", () => {
  it.each(CASES)("%s", (_name, value) => {
    expect(decodeBody(value, LIMITS).bytes).toBe(reference(value, LIMITS.maxEventBytes));
  });

  it("stops early past the cap and reports the same number", () => {
    const value = { pad: "x".repeat(5000), rest: Array.from({ length: 100 }, (_, i) => ({ i })) };
    expect(() => decodeBody(value, LIMITS)).toThrow(`body: ${reference(value, LIMITS.maxEventBytes)} bytes exceeds the 4096-byte event cap`);
  });
});
