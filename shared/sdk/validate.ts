// Validation on emit: the acceptance of AuditEventSchema, at a fraction of its cost.
//
// Where the time went: an argument summary of a ~2 KiB object is ~100 nested ValueSummary nodes,
// and zod walks each through a lazy, a discriminated union and a strict object (~65 µs of the
// ~75 µs a tool.called event took to validate). Here a summary is checked by hand against the same
// rules (ValueSummarySchema in schemas/redaction.ts) while it is copied, and the rest of the event
// by the schema of its own type rather than the whole union, compiled by zod (`z.compile`, as the
// normalize stage does in schemas/fast-parse.ts): half the time of zod's interpreted parse.
//
// Soundness over speed: the hand check is never more lenient than zod. Anything it does not
// recognize (an unknown key, a prototype other than Object's, a symbol key, great depth, a getter
// that throws) makes it give up, and the event is then validated by AuditEventSchema exactly as
// before, so its acceptance and its reported issues are zod's. test/sdk/validate.test.ts pins the
// JSON Schema of ValueSummary, so a change to the schema fails there until this file is reviewed.
import { z } from "zod";
import { EVENT_SCHEMAS, PromptFetchedEventSchema, ToolCalledEventSchema, type AuditEvent, type AuditEventType } from "../../schemas/events.js";
import { compiledParser, type Parser } from "../../schemas/fast-parse.js";
import { PSEUDONYM_PATTERN } from "../../schemas/primitives.js";
import type { ValueSummary } from "../../schemas/redaction.js";

/** Deeper summaries are left to zod (the default policy stops far earlier). */
const MAX_FAST_DEPTH = 64;
/** scannedTextSchema(4096) on `value`, z.string().max(128) on record keys, .max(64) on items. */
const MAX_VALUE_LENGTH = 4096;
const MAX_FIELD_KEY_LENGTH = 128;
const MAX_ITEMS = 64;
const OMITTED_REASONS: ReadonlySet<unknown> = new Set(["depth", "width", "size", "cycle", "unsupported"]);

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isNonNegativeInt(value: unknown): value is number {
  // z.number().int().nonnegative(): safe integers only is at least as strict.
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isPseudonym(value: unknown): value is string {
  return typeof value === "string" && PSEUDONYM_PATTERN.test(value);
}

/** Running estimate of the JSON bytes of what was copied: what a deferred event holds in memory. */
export interface SizeEstimate {
  bytes: number;
}

/**
 * A checked copy of a ValueSummary, or undefined when the value is not one this check can vouch
 * for (the caller then asks zod). Every property is read once, so what was checked is what is
 * copied; the copy, not the caller's object, is what gets hashed and sent.
 */
export function copyValueSummary(value: unknown, depth = 0, size: SizeEstimate = { bytes: 0 }): ValueSummary | undefined {
  if (depth > MAX_FAST_DEPTH || !isPlainRecord(value)) return undefined;
  const keys = Object.keys(value);
  // Type, counts, a hash and the punctuation; strings below add their length.
  size.bytes += 96;
  const type = value.type;
  switch (type) {
    case "string": {
      const length = value.length;
      if (!isNonNegativeInt(length)) return undefined;
      const out: { type: "string"; length: number; hash?: string; value?: string } = { type, length };
      for (const key of keys) {
        if (key === "type" || key === "length") continue;
        if (key === "hash") {
          const hash = value.hash;
          if (!isPseudonym(hash)) return undefined;
          out.hash = hash;
        } else if (key === "value") {
          const text = value.value;
          if (typeof text !== "string" || text.length > MAX_VALUE_LENGTH) return undefined;
          // UTF-16 units; escapes or multi-byte characters can make the JSON up to 6x this, counted as 3x.
          size.bytes += text.length * 3;
          out.value = text;
        } else return undefined;
      }
      return out;
    }
    case "number": {
      const out: { type: "number"; hash?: string; value?: number } = { type };
      for (const key of keys) {
        if (key === "type") continue;
        if (key === "hash") {
          const hash = value.hash;
          if (!isPseudonym(hash)) return undefined;
          out.hash = hash;
        } else if (key === "value") {
          const number = value.value;
          if (typeof number !== "number" || !Number.isFinite(number)) return undefined;
          out.value = number;
        } else return undefined;
      }
      return out;
    }
    case "boolean": {
      const out: { type: "boolean"; value?: boolean } = { type };
      for (const key of keys) {
        if (key === "type") continue;
        if (key !== "value") return undefined;
        const flag = value.value;
        if (typeof flag !== "boolean") return undefined;
        out.value = flag;
      }
      return out;
    }
    case "null":
      return keys.length === 1 && keys[0] === "type" ? { type } : undefined;
    case "array": {
      const length = value.length;
      if (!isNonNegativeInt(length)) return undefined;
      const out: { type: "array"; length: number; items?: ValueSummary[] } = { type, length };
      for (const key of keys) {
        if (key === "type" || key === "length") continue;
        if (key !== "items") return undefined;
        const items = value.items;
        if (!Array.isArray(items) || items.length > MAX_ITEMS || Object.getPrototypeOf(items) !== Array.prototype) return undefined;
        const copied: ValueSummary[] = [];
        for (let i = 0; i < items.length; i++) {
          const item = copyValueSummary(items[i], depth + 1, size);
          if (item === undefined) return undefined;
          copied.push(item);
        }
        out.items = copied;
      }
      return out;
    }
    case "object": {
      const count = value.keys;
      if (!isNonNegativeInt(count)) return undefined;
      const out: { type: "object"; keys: number; fields?: Record<string, ValueSummary> } = { type, keys: count };
      for (const key of keys) {
        if (key === "type" || key === "keys") continue;
        if (key !== "fields") return undefined;
        const fields = value.fields;
        // zod's record also walks symbol keys (and refuses them) and strips __proto__: leave both to it.
        if (!isPlainRecord(fields) || Object.getOwnPropertySymbols(fields).length > 0) return undefined;
        const copied: Record<string, ValueSummary> = {};
        for (const name of Object.keys(fields)) {
          if (name.length > MAX_FIELD_KEY_LENGTH || name === "__proto__") return undefined;
          size.bytes += name.length * 3;
          const field = copyValueSummary(fields[name], depth + 1, size);
          if (field === undefined) return undefined;
          copied[name] = field;
        }
        out.fields = copied;
      }
      return out;
    }
    case "omitted": {
      const reason = value.reason;
      if (keys.length !== 2 || !keys.includes("reason") || !OMITTED_REASONS.has(reason)) return undefined;
      // Checked against the enum above; the cast only narrows the string to its literal union.
      return { type, reason: reason as "depth" | "width" | "size" | "cycle" | "unsupported" };
    }
    default:
      return undefined;
  }
}

/** Size of the summary checked by the parse in progress (parses do not interleave: no async schemas here). */
let currentSize: SizeEstimate = { bytes: 0 };

/** Gives up (an issue) when the hand check cannot vouch for the summary; the caller then asks AuditEventSchema. */
const FastValueSummarySchema = z.unknown().transform((value, ctx): ValueSummary => {
  const copy = copyValueSummary(value, 0, currentSize);
  if (copy === undefined) {
    ctx.issues.push({ code: "custom", message: "left to the full schema", input: value });
    return z.NEVER;
  }
  return copy;
});

/**
 * Each type's own schema, compiled by zod (schemas/fast-parse.ts) on first use; for the types that
 * carry an argument summary, with the hand check in its place.
 */
const FAST_PARSERS: ReadonlyMap<string, Parser<AuditEvent>> = new Map<string, Parser<AuditEvent>>([
  ...EVENT_SCHEMAS.map((schema): [string, Parser<AuditEvent>] => [schema.shape.type.value, compiledParser<AuditEvent>(() => schema)]),
  ["tool.called", compiledParser(() => ToolCalledEventSchema.extend({ data: ToolCalledEventSchema.shape.data.extend({ arguments: FastValueSummarySchema }) }))],
  ["prompt.fetched", compiledParser(() => PromptFetchedEventSchema.extend({ data: PromptFetchedEventSchema.shape.data.extend({ arguments: FastValueSummarySchema }) }))],
]);


/**
 * The event as AuditEventSchema would return it, or undefined when this path cannot vouch for it
 * (invalid, or merely unusual): then the caller validates with AuditEventSchema, which decides.
 * `size`, when given, receives an estimate of the argument summary's JSON bytes. Never throws.
 */
export function fastParseEvent(type: AuditEventType, candidate: unknown, size?: SizeEstimate): AuditEvent | undefined {
  const outer = currentSize;
  // A getter in the event could emit again while this parse runs: each parse counts into its own estimate.
  currentSize = size ?? { bytes: 0 };
  try {
    return FAST_PARSERS.get(type)?.(candidate);
  } catch {
    return undefined;
  } finally {
    currentSize = outer;
  }
}
