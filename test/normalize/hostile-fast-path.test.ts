// checkHostile first checks without building paths and walks again only to name the field: the
// error must be the one a single walk finds first, whatever the mix of problems.
import { describe, expect, it } from "vitest";
import { PermanentError, checkHostile } from "../../shared/normalize/index.js";

function reasonOf(value: unknown): string | undefined {
  try {
    checkHostile(value);
    return undefined;
  } catch (error) {
    if (error instanceof PermanentError) return error.reason;
    throw error;
  }
}

const CASES: [string, unknown, string | undefined][] = [
  ["clean", { a: ["x", { b: "y\tz\n" }], n: 1, t: true, z: null }, undefined],
  ["first of two bad strings", { a: "ok", b: ["fine", "x\u202Ey"], c: "\u0000" }, "b[1]: contains control, bidirectional or unpaired surrogate character U+202E"],
  ["reserved key before a bad string", JSON.parse('{"a":{"constructor":1},"b":"\\u0000"}') as unknown, "a.constructor: reserved key 'constructor' is not allowed"],
  ["bad string before a reserved key", JSON.parse('{"b":"\\u0000","a":{"prototype":1}}') as unknown, "b: contains control, bidirectional or unpaired surrogate character U+0000"],
  ["bad key", { ok: { "k\u202Ey": 1 } }, "ok: a key contains control, bidirectional or unpaired surrogate characters"],
  ["paired surrogates are fine", { e: "😀" }, undefined],
  ["lone surrogate at the end", { e: "x\uD83D" }, "e: contains control, bidirectional or unpaired surrogate character U+D83D"],
  ["depth exactly at the limit is fine", JSON.parse("[".repeat(32) + "]".repeat(32)) as unknown, undefined],
  ["one level deeper is not", JSON.parse("[".repeat(33) + "]".repeat(33)) as unknown, "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested deeper than 32 levels"],
];

describe("checkHostile fast path", () => {
  it.each(CASES)("%s", (_name, value, reason) => {
    expect(reasonOf(value)).toBe(reason);
  });
});

describe("checkHostile's memo of clean keys", () => {
  it("never lets a reserved or hostile key through, however many clean keys came before", () => {
    // Past the memo's bound (4096), so it is emptied and refilled along the way.
    for (let i = 0; i < 10_000; i++) expect(reasonOf({ [`field_${i}`]: i, type: "x" })).toBeUndefined();
    expect(reasonOf({ type: "x", nested: { constructor: 1 } })).toBe("nested.constructor: reserved key 'constructor' is not allowed");
    expect(reasonOf(JSON.parse('{"type":"x","__proto__":1}') as unknown)).toBe("__proto__: reserved key '__proto__' is not allowed");
    expect(reasonOf({ type: "x", ["ty\u202Epe"]: 1 })).toBe("(event): a key contains control, bidirectional or unpaired surrogate characters");
    // Seen twice: a rejected key is never remembered.
    expect(reasonOf({ type: "x", ["ty\u202Epe"]: 1 })).toBe("(event): a key contains control, bidirectional or unpaired surrogate characters");
    expect(reasonOf({ prototype: 1 })).toBe("prototype: reserved key 'prototype' is not allowed");
  });
});
