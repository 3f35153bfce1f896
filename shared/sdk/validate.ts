// Validation on emit: the acceptance of AuditEventSchema, at a fraction of its cost.
//
// Where the time went: an argument summary of a ~2 KiB object is ~100 nested ValueSummary nodes,
// and zod walks each through a lazy, a discriminated union and a strict object (~65 µs of the
// ~75 µs a tool.called event took to validate). A summary that a redactor from compileRedactor
// wrote as canonical text (shared/redaction/redactor.ts, isRedactorSummary) is sealed as it is:
// that walk already wrote it to the schema's rules. Any other summary is checked by hand against the same
// rules (ValueSummarySchema in schemas/redaction.ts) while its canonical JSON is built (so sealing
// does not walk it again, and no copy of it is made), and the rest of the event
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
import { CanonicalText, flatten, quoted, quotedKey, sortKeys } from "../chain.js";
import type { ValueSummary } from "../../schemas/redaction.js";
import { isRedactorSummary } from "../redaction/redactor.js";

/** Deeper summaries are left to zod (the default policy stops far earlier). */
const MAX_FAST_DEPTH = 64;
/** scannedTextSchema(4096) on `value`, z.string().max(128) on record keys, .max(64) on items. */
const MAX_VALUE_LENGTH = 4096;
const MAX_FIELD_KEY_LENGTH = 128;
const MAX_ITEMS = 64;
const OMITTED_REASONS: ReadonlySet<unknown> = new Set(["depth", "width", "size", "cycle", "unsupported"]);

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
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

/** Running estimate of the JSON bytes of what was checked: what a deferred event holds in memory. */
export interface SizeEstimate {
  bytes: number;
}

/**
 * The canonical JSON of a ValueSummary (canonicalJson's exact text), built while it is checked,
 * or undefined when the value is not one this check can vouch for (the caller then asks zod).
 * Every property is read once, so what was checked is what the text says; the text, not the
 * caller's object, is what gets hashed and sent. Members are written in canonical (sorted) order:
 * hash, items, fields, keys, length, reason, type, value.
 */
export function summaryText(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_FAST_DEPTH || !isPlainRecord(value)) return undefined;
  const keys = Object.keys(value);
  const type = value.type;
  switch (type) {
    case "string": {
      const length = value.length;
      if (!isNonNegativeInt(length)) return undefined;
      let hash: string | undefined;
      let text: string | undefined;
      for (const key of keys) {
        if (key === "type" || key === "length") continue;
        if (key === "hash") {
          const candidate = value.hash;
          if (!isPseudonym(candidate)) return undefined;
          hash = candidate;
        } else if (key === "value") {
          const candidate = value.value;
          if (typeof candidate !== "string" || candidate.length > MAX_VALUE_LENGTH) return undefined;
          text = candidate;
        } else return undefined;
      }
      // A pseudonym is letters, digits, ':', '_' and '-': nothing in it needs escaping.
      return `{${hash !== undefined ? `"hash":"${hash}",` : ""}"length":${length},"type":"string"${text !== undefined ? `,"value":${quoted(text)}` : ""}}`;
    }
    case "number": {
      let hash: string | undefined;
      let number: number | undefined;
      for (const key of keys) {
        if (key === "type") continue;
        if (key === "hash") {
          const candidate = value.hash;
          if (!isPseudonym(candidate)) return undefined;
          hash = candidate;
        } else if (key === "value") {
          const candidate = value.value;
          if (typeof candidate !== "number" || !Number.isFinite(candidate)) return undefined;
          number = candidate;
        } else return undefined;
      }
      return `{${hash !== undefined ? `"hash":"${hash}",` : ""}"type":"number"${number !== undefined ? `,"value":${String(number)}` : ""}}`;
    }
    case "boolean": {
      let flag: boolean | undefined;
      for (const key of keys) {
        if (key === "type") continue;
        if (key !== "value") return undefined;
        const candidate = value.value;
        if (typeof candidate !== "boolean") return undefined;
        flag = candidate;
      }
      return flag === undefined ? `{"type":"boolean"}` : `{"type":"boolean","value":${flag ? "true" : "false"}}`;
    }
    case "null":
      return keys.length === 1 && keys[0] === "type" ? `{"type":"null"}` : undefined;
    case "array": {
      const length = value.length;
      if (!isNonNegativeInt(length)) return undefined;
      let items: string | undefined;
      for (const key of keys) {
        if (key === "type" || key === "length") continue;
        if (key !== "items") return undefined;
        const list = value.items;
        if (!Array.isArray(list) || list.length > MAX_ITEMS || Object.getPrototypeOf(list) !== Array.prototype) return undefined;
        items = "";
        for (let i = 0; i < list.length; i++) {
          const item = summaryText(list[i], depth + 1);
          if (item === undefined) return undefined;
          items += i === 0 ? item : "," + item;
        }
      }
      return `{${items !== undefined ? `"items":[${items}],` : ""}"length":${length},"type":"array"}`;
    }
    case "object": {
      const count = value.keys;
      if (!isNonNegativeInt(count)) return undefined;
      let fields: string | undefined;
      for (const key of keys) {
        if (key === "type" || key === "keys") continue;
        if (key !== "fields") return undefined;
        const record = value.fields;
        // zod's record also walks symbol keys (and refuses them) and strips __proto__: leave both to it.
        if (!isPlainRecord(record) || Object.getOwnPropertySymbols(record).length > 0) return undefined;
        const names = Object.keys(record);
        sortKeys(names);
        fields = "";
        for (const name of names) {
          if (name.length > MAX_FIELD_KEY_LENGTH || name === "__proto__") return undefined;
          const field = summaryText(record[name], depth + 1);
          if (field === undefined) return undefined;
          fields += (fields === "" ? "" : ",") + quotedKey(name) + ":" + field;
        }
      }
      return `{${fields !== undefined ? `"fields":{${fields}},` : ""}"keys":${count},"type":"object"}`;
    }
    case "omitted": {
      const reason = value.reason;
      if (keys.length !== 2 || !keys.includes("reason") || !OMITTED_REASONS.has(reason)) return undefined;
      return `{"reason":"${String(reason)}","type":"omitted"}`;
    }
    default:
      return undefined;
  }
}

/** Size of the summary checked by the parse in progress (parses do not interleave: no async schemas here). */
let currentSize: SizeEstimate = { bytes: 0 };

/** Gives up (an issue) when the hand check cannot vouch for the summary; the caller then asks AuditEventSchema. */
const FastValueSummarySchema = z.unknown().transform((value, ctx): ValueSummary => {
  // Written by the redactor as canonical JSON that satisfies the schema: nothing to walk.
  let checked: CanonicalText | undefined;
  if (isRedactorSummary(value)) checked = value;
  else {
    const text = summaryText(value);
    if (text !== undefined) checked = new CanonicalText(flatten(text));
  }
  if (checked === undefined) {
    ctx.issues.push({ code: "custom", message: "left to the full schema", input: value });
    return z.NEVER;
  }
  // UTF-16 units, and up to three bytes each in UTF-8: the bound errs on the safe side.
  currentSize.bytes += checked.text.length * 3;
  // Stands for the summary from here on: the emitter only seals it (see fastParseEvent).
  return checked as unknown as ValueSummary;
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
 * When the hand check vouched for `data.arguments`, the result holds a CanonicalText in its place
 * (typed as the summary it stands for): the result is for sealing (shared/chain.ts), which writes
 * the text out as it is, not for reading the summary back.
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

/**
 * The candidate with a summary the redactor wrote as text (see withArgumentSummary) put back as the
 * object it spells, where the text cannot stand in for it: for the few events fastParseEvent leaves
 * to the full schema, so its verdict and issues are about the summary, not its stand-in; and for a
 * hand-over to the worker thread, since a clone does not keep the identity that vouches for it.
 */
export function withSummaryObject<T>(candidate: T): T {
  if (typeof candidate !== "object" || candidate === null) return candidate;
  const data = (candidate as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return candidate;
  const summary = (data as { arguments?: unknown }).arguments;
  if (!isRedactorSummary(summary)) return candidate;
  return { ...candidate, data: { ...data, arguments: JSON.parse(summary.text) as unknown } };
}
