// receivedHasher does checkHostile's checks and eventHash in one walk. It must refuse exactly what
// checkHostile refuses (then the pipeline runs checkHostile for the reason) and otherwise give
// eventHash's answer; and the pipeline must end up where the two separate walks would.
import { describe, expect, it } from "vitest";
import { eventHash } from "../../shared/chain.js";
import { DEFAULT_PARSE_LIMITS, PermanentError, checkHostile, createMemoryChainStateStore, createMemoryDeadLetterStore, createMemoryWatermarkStore, createNormalizer, receivedHasher, type RowUploader } from "../../shared/normalize/index.js";
import { EVENT_TYPES } from "../../schemas/index.js";
import { chain, deliveries, plantedSecretRedactor } from "./helpers.js";

const HOSTILE_TEXTS = ["\u0000", "a\u0008b", "\u000b", "\u000c", "\u000e", "\u001f", "\u007f", "\u0080", "\u009f", "\u202a", "\u202e", "\u2066", "\u2069", "x\uD800", "\uDC00x", "\uDC00\uD800", "ok\uDBFF"];
const CLEAN_TEXTS = ["", "plain", 'quote " and \\ backslash', "tab\tnew\nline\rreturn", "\u0020\u007e", "\u00a0é東京", "😀 paired 😀", "\u2028\u2029", "\u202f\u2065\u206a", "\uD83D\uDE00"];
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "a\u0000", "\u202eb", "c\uD800"];
const CLEAN_KEYS = ["a", "", "proto", "__proto", "Constructor", "prototypes", "é", "😀", 'q"k', "new\nline", "10", "2"];

/** What the two walks say: undefined where checkHostile refuses, else eventHash. */
function expected(value: object, maxDepth: number): string | undefined {
  try {
    checkHostile(value, { ...DEFAULT_PARSE_LIMITS, maxDepth });
  } catch (error) {
    if (error instanceof PermanentError) return undefined;
    throw error;
  }
  return eventHash(value);
}

function nest(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { level: value } : [value];
  return value;
}

describe("receivedHasher", () => {
  const base = chain("hash-instance", EVENT_TYPES.length);
  const values: object[] = [...base];
  for (const [i, event] of base.entries()) {
    for (const text of [...HOSTILE_TEXTS, ...CLEAN_TEXTS]) {
      values.push({ ...event, hash: text });
      values.push({ ...event, data: { ...event.data, injected: text } });
      values.push({ ...event, server: { ...event.server, name: [text] } });
    }
    for (const key of [...HOSTILE_KEYS, ...CLEAN_KEYS]) {
      values.push(JSON.parse(JSON.stringify({ ...event, data: { ...event.data, placeholder: 1 } }).replace('"placeholder"', JSON.stringify(key))) as object);
      values.push(JSON.parse(`{${JSON.stringify(key)}:{"x":1},${JSON.stringify(event).slice(1)}`) as object);
    }
    for (const depth of [28, 29, 30, 31, 32, 33]) values.push({ ...event, data: nest(depth, i % 2 === 0 ? "leaf" : { k: 1 }) });
    values.push({ ...event, data: { n: Number.NaN, i: Number.POSITIVE_INFINITY, z: -0, u: undefined, f: () => 1, s: Symbol("s"), a: [undefined, () => 2] } });
    values.push({ ...event, hash: { nested: "\u0000" } });
    values.push({ ...event, hash: undefined });
  }

  it.each([32, 8, 3, 1])("refuses what checkHostile refuses and otherwise is eventHash (maxDepth %i)", (maxDepth) => {
    const hasher = receivedHasher({ ...DEFAULT_PARSE_LIMITS, maxDepth });
    let refused = 0;
    let hashed = 0;
    for (const value of values) {
      const want = expected(value, maxDepth);
      expect(hasher(value)).toBe(want);
      if (want === undefined) refused++;
      else hashed++;
    }
    expect(refused).toBeGreaterThan(100);
    if (maxDepth > 3) expect(hashed).toBeGreaterThan(100);
  });

  it("leaves arrays to the two separate walks", () => {
    expect(receivedHasher()([{ a: 1 }])).toBeUndefined();
  });

  it("in the pipeline: same dead letters, rows and chain anomalies as checking and hashing apart", async () => {
    const events = chain("hash-pipeline", EVENT_TYPES.length * 2);
    const bodies: unknown[] = events.map((event, i) => {
      if (i % 5 === 1) return JSON.stringify({ ...event, data: { ...event.data, note: "bidi \u202e here" } }); // hostile: dead letter, still a link (hash mismatch)
      if (i % 5 === 2) return JSON.stringify({ ...event, hash: "0".repeat(64) }); // clean but tampered
      if (i % 5 === 3) return JSON.stringify({ ...event, extra: "x" }); // clean, schema-invalid: dead letter, hash mismatch
      return JSON.stringify(event);
    });
    const rows: unknown[] = [];
    const uploader: RowUploader = {
      upload: async (table, batch) => {
        if (table === "MCPAudit_CL") rows.push(...batch);
      },
    };
    const normalizer = createNormalizer({ redactor: plantedSecretRedactor(), uploader, deadLetters: createMemoryDeadLetterStore(), watermarks: createMemoryWatermarkStore(), chainState: createMemoryChainStateStore(), clock: () => new Date("2026-01-02T03:04:05.000Z") });
    const summary = await normalizer.processBatch({ partitionId: "0", events: deliveries(bodies, { startAt: 1 }) });
    expect(summary.deadLettered.map((note) => [note.sequenceNumber, note.stage, note.reason.slice(0, 40)])).toEqual(
      bodies.flatMap((_, i) => (i % 5 === 1 ? [[i + 1, "validate", "data.note: contains control, bidirection"]] : i % 5 === 3 ? [[i + 1, "validate", '(event): Unrecognized key: "extra"']] : [])),
    );
    // Every changed event fails its hash; the tampered ones' successors also fail their prevHash.
    expect(summary.anomalies.filter((a) => a.kind === "chain_hash_mismatch" && a.reason === "hash").map((a) => a.sequenceNumber)).toEqual(bodies.flatMap((_, i) => (i % 5 === 1 || i % 5 === 2 || i % 5 === 3 ? [i + 1] : [])));
    expect(rows).toHaveLength(bodies.length - summary.deadLettered.length);
  });
});
