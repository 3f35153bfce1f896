// The per-instance hash chain, shared by the SDK (which builds it) and the pipeline (which
// verifies it), so both sides hash exactly the same bytes.
import { hash as digest } from "node:crypto";

/**
 * Canonical JSON: object keys sorted recursively (UTF-16 code-unit order, as Array.prototype.sort),
 * no whitespace, `undefined` members skipped and `undefined` array items as null, like
 * JSON.stringify. Numbers and strings use JSON.stringify's forms, which match RFC 8785 for the
 * finite numbers and strings a validated event can hold.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quoted(value);
    case "number":
      // For finite numbers String() and JSON.stringify() agree (both Number::toString); JSON has no NaN/Infinity.
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return "null";
  }
  if (value === null) return "null";
  if (value instanceof CanonicalText) return value.text;
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const item: unknown = value[i];
      out += item === undefined || typeof item === "function" ? "null" : canonicalJson(item);
    }
    return out + "]";
  }
  return canonicalObject(value as Record<string, unknown>, undefined);
}

/**
 * A value already in canonical JSON, which canonicalJson and sealEvent write out as it is. Whoever
 * makes one vouches that `text` is exactly canonicalJson of the value it stands for: the SDK's
 * check of argument summaries builds it while it checks (shared/sdk/validate.ts), so a sealed
 * summary is walked once, not checked, copied and walked again. Never sent anywhere as an object.
 */
export class CanonicalText {
  constructor(readonly text: string) {
    Object.freeze(this);
  }
}

/** Any non-array object: its own enumerable string keys, as JSON.stringify sees them, less `skip`. */
function canonicalObject(record: Record<string, unknown>, skip: string | undefined): string {
  const keys = Object.keys(record);
  sortKeys(keys);
  let out = "{";
  let first = true;
  for (const key of keys) {
    if (key === skip) continue;
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    if (!first) out += ",";
    first = false;
    out += quotedKey(key) + ":" + canonicalJson(member);
  }
  return out + "}";
}

/** What JSON.stringify escapes in a string: quote, backslash, C0 controls, and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify's form of a string. Most event strings need no escape, and then it is the text
 * in quotes; anything that might (surrogates included, paired or not) goes to JSON.stringify.
 */
export function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * Bytes of quoted(text), quotes left out: UTF-8, with its escapes (`\"` two bytes, a control
 * character's `\u0001` six). What the redactor's size budgets count: a text of 100 control
 * characters is 600 bytes of the event.
 */
export function jsonBytes(text: string): number {
  return NEEDS_ESCAPE.test(text) ? Buffer.byteLength(JSON.stringify(text)) - 2 : Buffer.byteLength(text);
}

/** Longest key list sorted by insertion; event objects have a handful of keys. */
const INSERTION_SORT_MAX = 16;

/**
 * Array.prototype.sort's order for distinct strings (UTF-16 code units, which `<`/`>` compare
 * too), sorted in place. Insertion sort on the few keys of an event object avoids the generic
 * sort's set-up, which cost more than the comparisons.
 */
export function sortKeys(keys: string[]): void {
  const count = keys.length;
  if (count > INSERTION_SORT_MAX) {
    keys.sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const key = keys[i];
    if (key === undefined) continue;
    let j = i - 1;
    // j stays in bounds: reading keys[-1] would be a slow named-property lookup.
    while (j >= 0) {
      const previous = keys[j];
      if (previous === undefined || previous <= key) break;
      keys[j + 1] = previous;
      j--;
    }
    keys[j + 1] = key;
  }
}

/** Event field names repeat endlessly (type, length, hash, fields…): quote each once. */
const quotedKeys = new Map<string, string>();
export function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    // Bounded: argument field names are caller-chosen and must not grow this without limit.
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * The chain hash and the wire form of an event in one pass: `hash` over the canonical JSON
 * without `hash`, and the canonical JSON with `hash` put in its sorted place. Sending these
 * exact bytes means what the pipeline re-canonicalizes is what was hashed.
 */
export function sealEvent(event: Record<string, unknown>): { hash: string; json: string } {
  const keys = Object.keys(event);
  sortKeys(keys);
  // Members sorting before "hash" and after it, so the hashed text and the wire text are each
  // one concatenation rather than a members array joined twice.
  let before = "";
  let after = "";
  for (const key of keys) {
    const member = event[key];
    if (key === "hash" || member === undefined || typeof member === "function") continue;
    const text = quotedKey(key) + ":" + canonicalJson(member);
    if (key < "hash") before = before === "" ? text : before + "," + text;
    else after = after === "" ? text : after + "," + text;
  }
  // Both texts below are made of these two, and each is read whole (hashed, then encoded to send).
  flatten(before);
  flatten(after);
  const hash = sha256Hex("{" + before + (before !== "" && after !== "" ? "," : "") + after + "}");
  const json = "{" + (before === "" ? "" : before + ",") + `"hash":"${hash}"` + (after === "" ? "" : "," + after) + "}";
  return { hash, json };
}

/**
 * Text built by `+` is a tree of pieces in V8 (a rope), which each whole read (hashing, encoding)
 * walks again until the text is flattened; reading one character flattens it, once. Text that is
 * read whole more than once, or becomes a part of texts that are, is flattened first: sealing a
 * typical tool call's event took half the time. A V8 behaviour, not a language guarantee: without
 * it this costs the walk again, nothing else.
 */
export function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** SHA-256 hex of the UTF-8 text. The one-shot `hash` skips creating a Hash object per event. */
export function sha256Hex(text: string): string {
  return digest("sha256", text, "hex");
}

/** The chain hash of an event: SHA-256 hex over the canonical JSON of the event without `hash`. */
export function eventHash(event: object): string {
  // The object's members less `hash`, serialized in place rather than copied first.
  if (!Array.isArray(event)) return sha256Hex(canonicalObject(event as Record<string, unknown>, "hash"));
  const { hash: _hash, ...rest } = event as { hash?: unknown };
  return sha256Hex(canonicalJson(rest));
}

/** What checkedEventHasher checks on its way through an event. */
export interface ContentCheck {
  /**
   * Matches every string `text` might refuse, and every character JSON.stringify escapes (quote,
   * backslash, C0 controls, surrogates): a string it does not match is accepted and quoted as it
   * is, with one regex run. checkedEventHasher verifies the second part.
   */
  readonly suspect: RegExp;
  /** False refuses the string. Called only for strings `suspect` matches. */
  readonly text: (text: string) => boolean;
  /** False refuses the key. Must be a pure function of the key: accepted keys are remembered. */
  readonly key: (key: string) => boolean;
  /** Objects and arrays at this depth (the event itself is at 0) are refused. */
  readonly maxDepth: number;
}

/** Returned, internally, when a check fails. */
const REFUSED: unique symbol = Symbol("refused");

/**
 * eventHash, computed in the same walk as a check of every string, key and level of the event,
 * for a caller that must do both. The hasher returns undefined when the check refuses anything
 * (the `hash` member is checked too, though the hash leaves it out), or for an array; the caller
 * then checks and hashes the usual way. Otherwise its answer is exactly eventHash(event): it
 * serializes with canonicalJson's rules and helpers, and test/chain holds the two together.
 */
export function checkedEventHasher(check: ContentCheck): (event: object) => string | undefined {
  const { suspect, text, key: keyAccepted, maxDepth } = check;
  if (suspect.global || suspect.sticky) throw new TypeError("checkedEventHasher: suspect must not be global or sticky (test() would depend on lastIndex)");
  for (const code of [0x22, 0x5c, ...Array.from({ length: 0x20 }, (_, i) => i), ...Array.from({ length: 0x800 }, (_, i) => 0xd800 + i)]) {
    if (!suspect.test(String.fromCharCode(code))) throw new TypeError(`checkedEventHasher: suspect must match U+${code.toString(16).padStart(4, "0")}, which JSON.stringify escapes`);
  }
  // Accepted keys with their quoted form: one lookup per key for both.
  const acceptedKeys = new Map<string, string>();

  const member = (value: unknown, depth: number): string | typeof REFUSED => {
    switch (typeof value) {
      case "string":
        if (!suspect.test(value)) return `"${value}"`;
        return text(value) ? quoted(value) : REFUSED;
      case "number":
        return Number.isFinite(value) ? String(value) : "null";
      case "boolean":
        return value ? "true" : "false";
      case "object":
        break;
      default:
        return "null";
    }
    if (value === null) return "null";
    if (depth >= maxDepth) return REFUSED;
    if (Array.isArray(value)) {
      let out = "[";
      for (let i = 0; i < value.length; i++) {
        if (i > 0) out += ",";
        const item: unknown = value[i];
        if (item === undefined || typeof item === "function") {
          out += "null";
          continue;
        }
        const json = member(item, depth + 1);
        if (json === REFUSED) return REFUSED;
        out += json;
      }
      return out + "]";
    }
    return object(value as Record<string, unknown>, undefined, depth);
  };

  const object = (record: Record<string, unknown>, skip: string | undefined, depth: number): string | typeof REFUSED => {
    const keys = Object.keys(record);
    sortKeys(keys);
    let out = "{";
    let first = true;
    for (const key of keys) {
      let quotedName = acceptedKeys.get(key);
      if (quotedName === undefined) {
        if (!keyAccepted(key)) return REFUSED;
        quotedName = JSON.stringify(key);
        if (acceptedKeys.size >= 4096) acceptedKeys.clear();
        acceptedKeys.set(key, quotedName);
      }
      const value = record[key];
      // Left out of the JSON, like undefined members, but still checked.
      if (key === skip) {
        if (value !== undefined && typeof value !== "function" && member(value, depth + 1) === REFUSED) return REFUSED;
        continue;
      }
      if (value === undefined || typeof value === "function") continue;
      const json = member(value, depth + 1);
      if (json === REFUSED) return REFUSED;
      if (!first) out += ",";
      first = false;
      out += quotedName + ":" + json;
    }
    return out + "}";
  };

  return (event) => {
    if (Array.isArray(event)) return undefined;
    if (maxDepth <= 0) return undefined;
    const json = object(event as Record<string, unknown>, "hash", 0);
    return json === REFUSED ? undefined : sha256Hex(json);
  };
}

export interface ChainLink {
  seq: number;
  prevHash: string | null;
  hash: string;
}

export type ChainBreak =
  | { kind: "bad_hash"; seq: number }
  | { kind: "gap"; afterSeq: number; nextSeq: number }
  | { kind: "out_of_order"; afterSeq: number; nextSeq: number }
  | { kind: "bad_link"; seq: number }
  | { kind: "bad_start"; seq: number };

/**
 * Checks a run of events from one instance, in arrival order: every hash recomputes, seq counts
 * up by one and each prevHash names the previous hash. A gap (dropped events) is reported as a
 * gap, not a link break, because prevHash then names an event that never arrived.
 */
export function verifyChain(events: readonly (ChainLink & object)[]): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  let previous: ChainLink | undefined;
  for (const event of events) {
    if (eventHash(event) !== event.hash) breaks.push({ kind: "bad_hash", seq: event.seq });
    if (previous === undefined) {
      if (event.seq === 0 && event.prevHash !== null) breaks.push({ kind: "bad_start", seq: event.seq });
    } else if (event.seq <= previous.seq) {
      breaks.push({ kind: "out_of_order", afterSeq: previous.seq, nextSeq: event.seq });
    } else if (event.seq !== previous.seq + 1) {
      breaks.push({ kind: "gap", afterSeq: previous.seq, nextSeq: event.seq });
    } else if (event.prevHash !== previous.hash) {
      breaks.push({ kind: "bad_link", seq: event.seq });
    }
    previous = event;
  }
  return breaks;
}
