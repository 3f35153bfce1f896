// The compiled redactor: everything the policy decides is resolved here once (allow-list
// tries, limits, disabled scanners), so each call only walks its input.
import { isUtf8 } from "node:buffer";
import type { z } from "zod";
import { PSEUDONYM_PATTERN } from "../../schemas/primitives.js";
import { CanonicalText, flatten, jsonBytes, quoted, quotedKey, sortKeys } from "../chain.js";
import type { RedactionEntrySchema, RedactionKind, ValueSummary } from "../../schemas/redaction.js";
import { keyringInputOf, type Keyring, type PseudonymPurpose } from "./keyring.js";
import { compileAllowList, parsePolicy, policyVersionOf, type AllowNode, type RedactionPolicy, type RedactionPolicyInput, type ScannerKind } from "./policy.js";
import { isCardNumberDigits, marker, scan, truncateIp } from "./scanners.js";

export type RedactionEntry = z.infer<typeof RedactionEntrySchema>;

export interface Redactor {
  /** `<policy.version>+<12 hex of the normalized policy's SHA-256>`, stamped on every event. */
  readonly policyVersion: string;
  readonly policy: RedactionPolicy;
  pseudonym(purpose: PseudonymPurpose, value: string): string;
  /**
   * The arguments' summary. `options.without`: a text no scanner knows that must not travel (the
   * MCP session's own id), taken out of the values an allow-list lets travel (see withoutLiteral),
   * and a key holding it written as its keyed hash.
   */
  summarizeArguments(kind: "tool" | "prompt", name: string, args: unknown, options?: SummaryOptions): { summary: ValueSummary; redactions: RedactionEntry[] };
  /**
   * A free text as it may travel: scanned, cut at `maxLength` (default `policy.maxStringLength`).
   * `options.without`: a text no scanner knows that must not travel (the MCP session's own id),
   * taken out wherever it is found, as from a summary's allowed values.
   */
  scanText(text: string, path: string, maxLength?: number, options?: SummaryOptions): { text: string; redactions: RedactionEntry[] };
  truncateIp(address: string): string | undefined;
  /**
   * Every string scanned, cut at `policy.maxStringLength`, or at `options.minStringLength` when
   * that is longer (an event's short fixed-format fields, for a policy with a short cap).
   * `shortened` is true when the policy's `maxEventBytes` ran out, so that texts after it were cut
   * and members left out for the size alone.
   */
  redactEvent<T>(event: T, options?: { minStringLength?: number }): ScannedEvent<T>;
}

/** What redactEvent returns: the event as it may travel, what was taken, and whether its size alone cut it. */
export interface ScannedEvent<T> {
  event: T;
  redactions: RedactionEntry[];
  shortened: boolean;
}

/** For summarizeArguments and scanText. */
export interface SummaryOptions {
  /** A text that must not travel: the MCP session's own id. Ignored when shorter than 8 characters. */
  without?: string;
}

/** ValueSummary caps fixed by the schema, whatever the policy says. */
const SCHEMA_MAX_VALUE = 4096;
const SCHEMA_MAX_ITEMS = 64;
const SCHEMA_MAX_FIELD_NAME = 128;
/** An array's or an object's node without its items, members and count: `{"items":[],"length":,"type":"array"}`. */
const CONTAINER_NODE_BYTES = 37;
/** A string's node without its hash, length and value: `{"length":,"type":"string"}`. */
const STRING_NODE_BYTES = 27;
/** A number's node without its hash and value: `{"type":"number"}`. */
const NUMBER_NODE_BYTES = 17;
/** An allowed value's member past its text's bytes: `,"value":""` (a number's has no quotes). */
const VALUE_MEMBER_BYTES = 11;
/** A redaction entry's longest path: the schema's. */
export const MAX_PATH = 256;
/** Entries per call; the event schema allows 256 in all, and the SDK adds its own. */
const MAX_ENTRIES = 64;
/** Longer strings are summarized by length only: hashing megabytes on the hot path is not worth it. */
const MAX_HASHED_LENGTH = 64 * 1024;
/**
 * Scanning stops this far past the length kept, so a secret straddling the cut is still seen whole.
 * The window's own end may cut a secret in two, which no scanner knows in part: the scanned text's
 * last SCAN_MARGIN characters never travel (see scanInto).
 */
const SCAN_MARGIN = 8 * 1024;
/** Memo bounds: entries per memo, and the longest value whose hash is memoized. */
const MEMO_ENTRIES = 4096;
const MEMO_MAX_VALUE = 64;
/** Longest text remembered as scanning clean (type names, tool names, URIs, fixed messages repeat). */
const CLEAN_MAX_TEXT = 256;

/** Summary nodes that are always the same text. */
const NULL_SUMMARY = '{"type":"null"}';
const OMITTED = {
  size: '{"reason":"size","type":"omitted"}',
  depth: '{"reason":"depth","type":"omitted"}',
  cycle: '{"reason":"cycle","type":"omitted"}',
  unsupported: '{"reason":"unsupported","type":"omitted"}',
} as const;
/**
 * The bytes a summary keeps left before it walks a value: its longest fixed node (`unsupported`),
 * since those are written unchecked (a cycle, a depth leaf, a value that cannot be read), and so the
 * "size" marker always fits in place of a node that does not.
 */
const MIN_NODE_BYTES = OMITTED.unsupported.length;

/** The digits of a count or a length, as its JSON writes them. */
function digits(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : String(n).length;
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
/** Layers of percent-encoding peeled before scanning: a URI inside a query inside a URI, and one more. */
export const MAX_PERCENT_LAYERS = 4;

/** Whether `text` holds a percent escape (`%2D`), so that decoding it may change it. */
export function hasPercentEscape(text: string): boolean {
  return PERCENT_ESCAPE.test(text);
}

/**
 * One layer of percent-encoding peeled: each run of escapes decoded, so a stray `%` (`100% sure`)
 * stops nothing around it. A run that is no valid UTF-8 is left as it is, or with `lenient`
 * decoded byte by byte, each invalid sequence becoming U+FFFD, so that one bad escape (`%E9`,
 * Latin-1) does not hide the ones beside it. The scanners read runs strictly: leniently, they find
 * more in some texts and less in others (a U+FFFD changes where a card number can start).
 */
export function decodePercentRuns(text: string, lenient = false): string {
  // Every run is decoded as bytes, checked first when strict: for valid UTF-8 the same text as
  // decodeURIComponent gives, and no run costs an exception.
  return text.replace(PERCENT_RUN, (run) => {
    const bytes = Buffer.from(run.replaceAll("%", ""), "hex");
    return lenient || isUtf8(bytes) ? bytes.toString("utf8") : run;
  });
}

/** A text taken out wherever it is found: what withoutLiteral looks for, compiled once per text (literalOf). */
export interface Literal {
  readonly text: string;
  /** In any case (a UUID's hex digits are): global, used only with replace, which reads it from its start. */
  readonly replace: RegExp;
  /** The same, for test. */
  readonly found: RegExp;
}

/** Shorter texts are never taken out: they would be found in too much else. */
const MIN_LITERAL = 8;
/**
 * Rounds of decoding a literal's search may take: twice as far as the scanners decode. Ids found
 * ever deeper would send it further (each find sends it MAX_PERCENT_LAYERS past itself); past
 * this, none of the text travels.
 */
export const MAX_LITERAL_ROUNDS = 2 * MAX_PERCENT_LAYERS;
const literals = new Map<string, Literal>();

/** `text` as a Literal (remembered, 256 at most), or undefined when it is too short to take out. */
export function literalOf(text: unknown): Literal | undefined {
  if (typeof text !== "string" || text.length < MIN_LITERAL) return undefined;
  let literal = literals.get(text);
  if (literal === undefined) {
    if (literals.size >= 256) literals.clear();
    const source = text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    literal = { text, replace: new RegExp(source, "gi"), found: new RegExp(source, "i") };
    literals.set(text, literal);
  }
  return literal;
}

/**
 * Whether `text` may hold `literal`: as it is, in any case, behind a percent escape, or spelled
 * with a character JSON escapes with hex digits (`\x0b` then the id's characters after `0b`, `\x08`
 * then those after `b`).
 */
function mayHold(literal: Literal, text: string): boolean {
  return JSON_HEX_ESCAPED.test(text) || (text.length >= literal.text.length && (hasPercentEscape(text) || literal.found.test(text)));
}

/**
 * A character JSON.stringify writes with a hex digit after its backslash, which may spell part of
 * a literal: `\u00XX`, and `\b` and `\f` (U+0008, U+000C). `\t`, `\n` and `\r` spell none.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what this looks for
const JSON_HEX_ESCAPED = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

/** Passes of withoutLiteral, each decoding strictly then leniently, before a text travels as the marker alone. */
const MAX_LITERAL_PASSES = 3;

/**
 * `text` with `literal` taken out, in any case, and percent-encoded too (a URI's path or query):
 * each layer is decoded in turn, run by run, and when the literal is found in one, what travels is
 * that layer with it taken out. The search goes MAX_PERCENT_LAYERS past the layer kept, as far as
 * the scanners decode what travels; a text whose finds would take it past MAX_LITERAL_ROUNDS
 * travels as the marker alone. It decodes both ways a reader may: strictly, where a bad run
 * stays as it is (`%E9%3Fab…` holds `3Fab…`), and leniently, so that a bad escape beside the
 * literal's (`%E9`) does not hide it (a lenient reader sees `�?ab…` there). What one pass takes
 * out can show the other more, so they alternate, strictly first since a strict layer loses
 * nothing, until neither finds any (MAX_LITERAL_PASSES, else the marker alone). A control
 * character left in what travels (a lenient layer's `%0b`) is written `\u000b` in JSON, whose
 * last digits may spell the literal with what follows: then the marker alone travels. `count`:
 * how many were taken.
 */
export function withoutLiteral(literal: Literal, text: string): { text: string; count: number } {
  const without = withoutLiteralPasses(literal, text);
  if (CONTROL_CHARACTER.test(without.text) && literal.found.test(JSON.stringify(without.text))) return { text: marker("api_token"), count: without.count + 1 };
  return without;
}

/** A control character (JSON escapes those below U+0020 as `\u00XX`). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** withoutLiteral's passes, strict then lenient, without the JSON check. */
function withoutLiteralPasses(literal: Literal, text: string): { text: string; count: number } {
  let count = 0;
  let out = text;
  for (let pass = 0; pass < MAX_LITERAL_PASSES; pass++) {
    const strict = withoutLiteralDecoding(literal, out, false);
    count += strict.count;
    // No escape left: decoding leniently shows nothing more.
    if (!hasPercentEscape(strict.text)) return { text: strict.text, count };
    const lenient = withoutLiteralDecoding(literal, strict.text, true);
    if (lenient.count === 0) return { text: strict.text, count };
    count += lenient.count;
    out = lenient.text;
  }
  return { text: marker("api_token"), count };
}

/** One pass of withoutLiteral, decoding each layer leniently or strictly (see decodePercentRuns). */
function withoutLiteralDecoding(literal: Literal, text: string, lenient: boolean): { text: string; count: number } {
  let count = 0;
  // Encoded, the literal is longer still: a shorter text cannot hold it.
  if (text.length < literal.text.length) return { text, count };
  const replace = (from: string): string => from.replace(literal.replace, () => (count++, marker("api_token")));
  let kept = replace(text);
  let layer = kept;
  let until = MAX_PERCENT_LAYERS;
  for (let round = 0; round < until && hasPercentEscape(layer); round++) {
    if (round === MAX_LITERAL_ROUNDS) return { text: marker("api_token"), count };
    const decoded = decodePercentRuns(layer, lenient);
    if (decoded === layer) break;
    const found = count;
    layer = replace(decoded);
    if (count > found) {
      kept = layer;
      until = round + 1 + MAX_PERCENT_LAYERS;
    }
  }
  return { text: kept, count };
}

/** Whether `text` holds `literal` in any form withoutLiteral finds. */
export function holdsLiteral(literal: Literal, text: string): boolean {
  return mayHold(literal, text) && withoutLiteral(literal, text).count > 0;
}

/**
 * withoutLiteral for a text the scanners have read as it stands (what travels after them): a
 * literal found as it is comes out as there; one found only in a layer decoded further, which no
 * scanner read, makes the whole text travel as the marker alone.
 */
function withoutLiteralInScanned(literal: Literal, text: string): { text: string; count: number } {
  const without = withoutLiteral(literal, text);
  if (without.count === 0) return without;
  const inPlace = text.replace(literal.replace, () => marker("api_token"));
  return without.text === inPlace ? without : { text: marker("api_token"), count: without.count };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Strings the redactor itself produces, and ids: known not to hold secrets, never rescanned.
 * isOpaque checks the length first, so the hex and UUID patterns need no counted repeats, which
 * V8 runs about twice as slowly: with the length fixed at 64, `^[0-9a-f]+$` is `^[0-9a-f]{64}$`,
 * and at 36 with dashes at 8, 13, 18 and 23, HEX_RUNS is the 8-4-4-4-12 UUID form.
 */
const HEX = /^[0-9a-f]+$/;
const HEX_RUNS = /^[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$/;
const DASH = 45;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Pseudonym lengths: `<1–16 char keyId>:<43>`. */
const PSEUDONYM_MIN = 45;
const PSEUDONYM_MAX = 60;

/**
 * Each opaque form has a fixed length (or a narrow range, for pseudonyms) and the ranges do not
 * overlap, so the length picks the one pattern that can match: most strings run no regex here.
 * Exported for its test only.
 */
export function isOpaque(text: string): boolean {
  const length = text.length;
  if (length === 64) return HEX.test(text);
  if (length === 36) return text.charCodeAt(8) === DASH && text.charCodeAt(13) === DASH && text.charCodeAt(18) === DASH && text.charCodeAt(23) === DASH && HEX_RUNS.test(text);
  if (length === 24) return ISO_TIMESTAMP.test(text);
  return length >= PSEUDONYM_MIN && length <= PSEUDONYM_MAX && PSEUDONYM_PATTERN.test(text);
}

/** Collects `{ path, kind, count }`, merged per path and kind and bounded in number. */
class Entries {
  // Keyed by path, then kind, without building a joined key per call (a summary adds one
  // argument_value per value); `ordered` keeps first-seen order for the list.
  private readonly byPath = new Map<string, Map<RedactionKind, RedactionEntry>>();
  private readonly ordered: RedactionEntry[] = [];
  private overflow = 0;
  /** How many times `truncated` was added: a caller compares it before and after a step to know whether that step cut. */
  truncations = 0;

  add(path: string, kind: RedactionKind, count = 1): void {
    if (kind === "truncated") this.truncations++;
    let byKind = this.byPath.get(path);
    const seen = byKind?.get(kind);
    if (seen !== undefined) seen.count += count;
    else if (this.ordered.length < MAX_ENTRIES - 1) {
      const entry: RedactionEntry = { path: path.length > MAX_PATH ? path.slice(0, MAX_PATH) : path, kind, count };
      if (byKind === undefined) {
        byKind = new Map<RedactionKind, RedactionEntry>();
        this.byPath.set(path, byKind);
      }
      byKind.set(kind, entry);
      this.ordered.push(entry);
    } else this.overflow += count;
  }

  list(): RedactionEntry[] {
    const all = [...this.ordered];
    if (this.overflow > 0) all.push({ path: "(more)", kind: "truncated", count: this.overflow });
    return all;
  }
}

/**
 * How much of a raw text a caller may keep before `scanText(text, path, maxLength)` without hiding
 * a cut from it: one character past the scan's window, so a text cut there is still known to be
 * cut, and what its end became is dropped (see scanInto).
 */
export function rawTextLimit(maxLength: number): number {
  return maxLength + SCAN_MARGIN + 1;
}

function wellFormed(text: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, "\uFFFD") : text;
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Own enumerable string keys, or undefined when the object (a Proxy, say) refuses to list them. */
function keysOf(value: object): string[] | undefined {
  try {
    return Object.keys(value);
  } catch {
    return undefined;
  }
}

/** Reads a property; a getter or Proxy trap that throws yields `failed`. */
const failed: unique symbol = Symbol("failed");
function read(value: object, key: string | number): unknown {
  try {
    return Reflect.get(value, key);
  } catch {
    return failed;
  }
}

/** Plain JSON-like objects only: Dates, Buffers, Maps and class instances are not argument data. */
function isPlainObject(value: object): boolean {
  try {
    const proto: unknown = Reflect.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

function isArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    // A revoked Proxy throws from Array.isArray.
    return false;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** A field's path in redaction entries: `base.key`, or `base["mcp.method.name"]` for a key that is no identifier. */
export function joinPath(base: string, key: string): string {
  return IDENTIFIER.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * joinPath memoized per (base, key): paths repeat from event to event and call to call, and
 * building them was a regex test and a concatenation per field. Keys reaching here are already
 * safe (a flagged key was replaced by its hash), so the memo holds nothing the output would not.
 * Bounded in entries and, since only paths up to MAX_PATH are kept, in memory (a few MB at most).
 */
function createPathJoiner(): (base: string, key: string) => string {
  const byBase = new Map<string, Map<string, string>>();
  let size = 0;
  return (base, key) => {
    let byKey = byBase.get(base);
    let path = byKey?.get(key);
    if (path !== undefined) return path;
    path = joinPath(base, key);
    if (path.length > MAX_PATH) return path;
    if (size >= MEMO_ENTRIES) {
      byBase.clear();
      size = 0;
      byKey = undefined;
    }
    if (byKey === undefined) {
      byKey = new Map<string, string>();
      byBase.set(base, byKey);
    }
    byKey.set(key, path);
    size++;
    return path;
  };
}

/** jsonBytes, from a memo of known texts when it has it. */
function jsonBytesOf(text: string, known: ReadonlyMap<string, number>): number {
  return known.get(text) ?? jsonBytes(text);
}

// eslint-disable-next-line no-control-regex -- what a key must not hold
const CONTROL_CHAR = /[\u0000-\u001f]/;

/** Control characters JSON writes in two bytes: \b \t \n \f \r. */
const SHORT_ESCAPES: ReadonlySet<number> = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/**
 * The longest start of `text` whose JSON string (quotes left out) takes at most `limit` bytes,
 * without splitting a surrogate pair: where a length cap in characters leaves a text of escapes
 * several times the bytes the budget has left.
 */
export function cutToJsonBytes(text: string, limit: number): string {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = code === 0x22 || code === 0x5c ? 2 : code < 0x20 ? (SHORT_ESCAPES.has(code) ? 2 : 6) : code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : code >= 0xd800 && code <= 0xdfff ? 6 : 3;
    if (bytes + size > limit) return text.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return text;
}

/** An own, enumerable, writable data property even for "__proto__", as Object.fromEntries defines it. */
function defineField<V>(target: Record<string, V>, key: string, value: V): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function compileRedactor(policyInput: RedactionPolicyInput, keyring: Keyring): Redactor {
  const policy = parsePolicy(policyInput);
  if (typeof keyring !== "object" || keyring === null || typeof keyring.pseudonym !== "function") {
    throw new TypeError("compileRedactor: keyring must come from createKeyring or loadKeyring");
  }
  const policyVersion = policyVersionOf(policy);
  const disabled: ReadonlySet<ScannerKind> = new Set(policy.disabledScanners);
  const allowLists = new Map<string, AllowNode | undefined>();
  for (const [name, list] of Object.entries(policy.tools)) allowLists.set(`tool\u0000${name}`, compileAllowList(list.allow));
  for (const [name, list] of Object.entries(policy.prompts)) allowLists.set(`prompt\u0000${name}`, compileAllowList(list.allow));
  const valueMax = Math.min(policy.maxStringLength, SCHEMA_MAX_VALUE);
  const itemMax = Math.min(policy.maxArrayItems, SCHEMA_MAX_ITEMS);
  // A summary node's depth counts object/array levels; an event adds two per level (fields + key).
  const eventDepth = policy.maxDepth * 2 + 8;

  const pseudonym = (purpose: PseudonymPurpose, value: string): string => keyring.pseudonym(purpose, String(value));
  // ,"hash":"<keyId>:<43>"
  const hashBytes = 10 + keyring.currentKeyId.length + 1 + 43;

  // HMAC costs ~1.7 µs a call in Node, most of it fixed overhead, and argument values repeat
  // (enums, small numbers, field names), so short values' hashes are memoized, as the summary's
  // `"hash":"<pseudonym>",` member. The memo holds values already in this process's memory and is
  // emptied when full, so it stays bounded.
  const valueHashes = new Map<string, string>();
  // Safe keys and clean texts, each with its JSON's bytes (jsonBytes) for the budgets.
  const safeKeys = new Map<string, number>();
  // Texts that came out of the scanners untouched (well-formed, nothing found, plain or
  // percent-decoded). scanning is a pure function of the text under this policy, so a text seen
  // clean once is clean again; bounded and emptied when full, like the hash memo.
  const cleanTexts = new Map<string, number>();
  const memoPath = createPathJoiner();
  // `secret:<43 characters>` has a pseudonym's shape too: only this keyring's own key ids mark one.
  const ownKeyIds: ReadonlySet<string> = new Set(Array.isArray(keyring.keyIds) ? keyring.keyIds : [keyring.currentKeyId]);
  /** isOpaque, with a pseudonym recognised only under one of this keyring's key ids. */
  const skipsScan = (text: string): boolean => isOpaque(text) && (text.length < PSEUDONYM_MIN || text.length > PSEUDONYM_MAX || ownKeyIds.has(text.slice(0, text.indexOf(":"))));
  // A keyring from createKeyring makes pseudonyms of letters, digits, ':', '_' and '-' only, which
  // need no escaping; any other object's output is quoted as JSON, and its summaries are not vouched
  // for (see the end of this function), so the SDK checks them as it would a hand-made one.
  const ownKeyring = keyringInputOf(keyring) !== undefined;
  const member = (hash: string): string => (ownKeyring ? `"hash":"${hash}",` : `"hash":${quoted(String(hash))},`);
  /** The `"hash":"<pseudonym>",` member for a value. */
  const hashMember = (value: string): string => {
    if (value.length > MEMO_MAX_VALUE) return member(pseudonym("value", value));
    let known = valueHashes.get(value);
    if (known === undefined) {
      if (valueHashes.size >= MEMO_ENTRIES) valueHashes.clear();
      known = member(pseudonym("value", value));
      valueHashes.set(value, known);
    }
    return known;
  };

  function scanInto(text: string, path: string, maxLength: number, entries: Entries, literal?: Literal): string {
    // The literal first: a text remembered clean may hold another call's.
    const holds = literal !== undefined && mayHold(literal, text);
    // A remembered clean text within the cap: the full path below would return it as is, with no entries.
    if (!holds && text.length <= maxLength && cleanTexts.has(text)) return text;
    const windowed = text.length > maxLength + SCAN_MARGIN;
    let input = wellFormed(windowed ? cut(text, maxLength + SCAN_MARGIN) : text);
    if (holds) {
      const without = withoutLiteral(literal, input);
      if (without.count > 0) {
        entries.add(path, "api_token", without.count);
        input = without.text;
        // Searched and not there (a URI's escapes): a text remembered clean is still clean.
      } else if (text.length <= maxLength && cleanTexts.has(text)) return text;
    }
    const scannedFrom = input;
    const result = scanPercentAware(input);
    for (const [kind, count] of result.counts) entries.add(path, kind, count);
    if (result.counts.size === 0 && result.text === text && text.length <= CLEAN_MAX_TEXT) {
      if (cleanTexts.size >= MEMO_ENTRIES) cleanTexts.clear();
      cleanTexts.set(text, jsonBytes(text));
    }
    input = result.text;
    // What the scanners rewrote can show the literal where the search did not read it: a JSON
    // string's `\u0033\u0066…` unescaped, a layer they decoded strictly (`%E9%3Fab…`), a layer
    // past the search's reach. The text that travels is searched again (and travels as the marker
    // alone if the literal is only in a layer below it, which the scanners never read).
    if (literal !== undefined && input !== scannedFrom && mayHold(literal, input)) {
      const again = withoutLiteralInScanned(literal, input);
      if (again.count > 0) {
        entries.add(path, "api_token", again.count);
        input = again.text;
      }
    }
    if (windowed) {
      // Redactions shorten the text (a long token becomes a short marker), which can bring the
      // window's end, and a secret cut in two there, within the length kept. Such a part is left
      // as it was, so it is among the scanned text's last SCAN_MARGIN characters, which are dropped.
      input = cut(input, Math.max(0, Math.min(maxLength, input.length - SCAN_MARGIN)));
      entries.add(path, "truncated");
    } else if (input.length > maxLength) {
      input = cut(input, maxLength);
      entries.add(path, "truncated");
    }
    return input;
  }

  /**
   * Percent-encoding hides secrets from the scanners (`q=Bearer%20eyJ…`, `alice%40example.com`),
   * and a URI nested in a query is encoded twice or more (`Bearer%2520eyJ…`). The text is scanned,
   * then each decoded layer (up to four) in turn, each decoded from the layer above as redacted: a
   * secret found in one layer is gone from the layers below, and one encoded deeper is found where
   * it is decoded, whatever the layers above held. What travels is the deepest layer in which
   * something was found, redacted (nothing was found below it); with nothing found anywhere, the
   * text keeps its encoding.
   */
  function scanPercentAware(text: string): ReturnType<typeof scan> {
    const first = scan(text, disabled);
    if (!PERCENT_ESCAPE.test(first.text)) return first;
    const counts = new Map(first.counts);
    let kept = first.text;
    let layer = first.text;
    for (let round = 0; round < MAX_PERCENT_LAYERS && PERCENT_ESCAPE.test(layer); round++) {
      const decoded = decodePercentRuns(layer);
      if (decoded === layer) break;
      const next = scan(wellFormed(decoded), disabled);
      if (next.counts.size > 0) {
        for (const [kind, count] of next.counts) counts.set(kind, (counts.get(kind) ?? 0) + count);
        kept = next.text;
      }
      layer = next.text;
    }
    return kept === first.text ? first : { text: kept, counts };
  }

  /**
   * Object keys are data: a key a scanner flags, one too long for the schema, or one holding a
   * control character (six bytes of JSON each, and text a log viewer may not show) becomes its
   * keyed hash.
   */
  function safeKey(key: string, path: string, entries: Entries, literal?: Literal): string {
    if (key.length > SCHEMA_MAX_FIELD_NAME || (literal !== undefined && holdsLiteral(literal, key))) {
      entries.add(path, "key");
      return pseudonym("value", key);
    }
    if (safeKeys.has(key)) return key;
    const fixed = wellFormed(key);
    const result = scanPercentAware(fixed);
    if (result.counts.size === 0 && fixed === key && !CONTROL_CHAR.test(key)) {
      if (safeKeys.size >= MEMO_ENTRIES) safeKeys.clear();
      safeKeys.set(key, jsonBytes(key));
      return key;
    }
    entries.add(path, "key");
    return pseudonym("value", key);
  }

  /**
   * The summary as its canonical JSON (shared/chain.ts), written during the one walk of the
   * arguments: members in sorted order, so the SDK seals the text as it is instead of building a
   * tree, checking it and serializing it again. What it writes always satisfies ValueSummarySchema;
   * test/redaction/summarize.test.ts holds it to that, the schema and canonicalJson.
   */
  function summarizeArgumentsText(kind: "tool" | "prompt", name: string, args: unknown, options?: SummaryOptions): { text: string; redactions: RedactionEntry[] } {
    const entries = new Entries();
    const literal = literalOf(options?.without);
    const allow = allowLists.get(`${kind}\u0000${name}`);
    let budget = policy.maxArgumentBytes;
    const ancestors = new Set<object>();

    // Each node is charged its JSON's bytes before it is written, and one that does not fit in
    // what is left is written as the "size" marker. A value is only walked with MIN_NODE_BYTES
    // left, so a marker always fits, and the summary's JSON never passes the budget.
    /** A fixed node, charged. */
    const fixed = (text: string): string => {
      budget -= text.length;
      return text;
    };
    const tooLarge = (): string => fixed(OMITTED.size);
    /** A `"hash":"…",` member's bytes, once written; a keyring of this module's makes ASCII of a known length. */
    const hashCost = (hash: string): number => (ownKeyring ? hash.length : Buffer.byteLength(hash));
    const hashing = policy.hashValues;
    /**
     * Charges a string's or a number's node of `cost` bytes with the `"hash":"…",` member of
     * `hashed` (none when undefined): the member, or undefined when they do not fit in what is
     * left. Checked before the HMAC too, so a node that cannot fit costs no hash.
     */
    const chargeLeaf = (cost: number, hashed: string | undefined): string | undefined => {
      if (cost + (hashed !== undefined ? hashBytes : 0) > budget) return undefined;
      const hash = hashed !== undefined ? hashMember(hashed) : "";
      if (cost + hashCost(hash) > budget) return undefined;
      budget -= cost + hashCost(hash);
      return hash;
    };

    const walk = (value: unknown, depth: number, node: AllowNode | undefined, path: string): string => {
      const allowed = node?.allowed === true;
      switch (typeof value) {
        case "string": {
          const cost = STRING_NODE_BYTES + digits(value.length) + (allowed ? VALUE_MEMBER_BYTES : 0);
          const hash = chargeLeaf(cost, hashing && value.length <= MAX_HASHED_LENGTH ? value : undefined);
          if (hash === undefined) return tooLarge();
          let kept = "";
          if (allowed) {
            // The bytes left are the value's: the cap counts characters, the budget bytes of JSON.
            const room = budget;
            const cuts = entries.truncations;
            let text = scanInto(value, path, Math.min(valueMax, room), entries, literal);
            let literalText = quoted(text);
            let bytes = Buffer.byteLength(literalText) - 2;
            if (bytes > room) {
              text = cutToJsonBytes(text, room);
              literalText = quoted(text);
              bytes = Buffer.byteLength(literalText) - 2;
              if (entries.truncations === cuts) entries.add(path, "truncated");
            }
            kept = `,"value":${literalText}`;
            budget -= bytes;
          } else if (value.length > 0) entries.add("data.arguments", "argument_value");
          return `{${hash}"length":${value.length},"type":"string"${kept}}`;
        }
        case "number": {
          // Finite numbers only (JSON has no NaN or Infinity); String() is JSON's form for them. A
          // card number sent as a number keeps only its hash. Text scanners do not apply to a
          // number: only the card check does, with issuer prefixes, as ids and times are common.
          // Its whole digits, whatever the sign or fraction: -4111111111111111 and 4111111111111111.5 are cards too.
          const finite = allowed && Number.isFinite(value);
          const card = finite && !disabled.has("card_number") && isCardNumberDigits(String(Math.trunc(Math.abs(value))));
          const text = finite && !card ? String(value) : undefined;
          const cost = NUMBER_NODE_BYTES + (text !== undefined ? VALUE_MEMBER_BYTES - 2 + text.length : 0);
          const hash = chargeLeaf(cost, hashing ? String(value) : undefined);
          if (hash === undefined) return tooLarge();
          if (text !== undefined) return `{${hash}"type":"number","value":${text}}`;
          entries.add(card ? path : "data.arguments", card ? "card_number" : "argument_value");
          return `{${hash}"type":"number"}`;
        }
        case "boolean":
          return fixed(allowed ? (value ? '{"type":"boolean","value":true}' : '{"type":"boolean","value":false}') : '{"type":"boolean"}');
        case "undefined":
          return fixed(NULL_SUMMARY);
        case "bigint":
        case "symbol":
        case "function":
          return fixed(OMITTED.unsupported);
        default:
          break;
      }
      if (value === null) return fixed(NULL_SUMMARY);
      if (typeof value !== "object") return fixed(OMITTED.unsupported);
      if (ancestors.has(value)) return fixed(OMITTED.cycle);
      if (isArray(value)) {
        const length = read(value, "length");
        // A Proxy can report any length: only a real one is written.
        if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) return fixed(OMITTED.unsupported);
        if (depth >= policy.maxDepth) return fixed(OMITTED.depth);
        const listed = Math.min(length, itemMax);
        // `{"items":[],"length":N,"type":"array"}`, and room for a "size" marker and its comma should the list stop early.
        const frame = CONTAINER_NODE_BYTES + digits(length);
        const reserve = listed > 0 ? OMITTED.size.length + 1 : 0;
        if (frame + reserve > budget) return tooLarge();
        budget -= frame + reserve;
        let items = "";
        let stopped = false;
        ancestors.add(value);
        const child = node?.children.get("*");
        const itemPath = `${path}[*]`;
        for (let i = 0; i < listed; i++) {
          const comma = i > 0 ? 1 : 0;
          // Out of budget: a "size" marker says why the list stops; `length` keeps the true count.
          // (An item too large for what is left is a "size" marker too, and smaller ones may follow it.)
          if (budget < comma + MIN_NODE_BYTES) {
            items += (comma === 1 ? "," : "") + OMITTED.size;
            stopped = true;
            break;
          }
          budget -= comma;
          if (comma === 1) items += ",";
          const item = read(value, i);
          items += item === failed ? fixed(OMITTED.unsupported) : walk(item, depth + 1, child, itemPath);
        }
        ancestors.delete(value);
        if (!stopped) budget += reserve;
        return `{"items":[${items}],"length":${length},"type":"array"}`;
      }
      if (!isPlainObject(value)) return fixed(OMITTED.unsupported);
      const keys = keysOf(value);
      if (keys === undefined) return fixed(OMITTED.unsupported);
      if (depth >= policy.maxDepth) return fixed(OMITTED.depth);
      // `{"fields":{},"keys":N,"type":"object"}`.
      const frame = CONTAINER_NODE_BYTES + digits(keys.length);
      if (frame > budget) return tooLarge();
      budget -= frame;
      ancestors.add(value);
      // Walked in the object's own order (the budget is spent in that order), written sorted.
      const fields = new Map<string, string>();
      for (const key of keys.slice(0, policy.maxKeysPerObject)) {
        const comma = fields.size > 0 ? 1 : 0;
        // Out of budget: stop listing fields; `keys` keeps the true count. (First without reading
        // the key: even an empty one takes `"":` and a node.)
        if (budget < comma + 3 + MIN_NODE_BYTES) break;
        const outKey = safeKey(key, path, entries, literal);
        const keyCost = comma + jsonBytesOf(outKey, safeKeys) + 3;
        if (budget < keyCost + MIN_NODE_BYTES) break;
        budget -= keyCost;
        const childPath = memoPath(path, outKey);
        const item = read(value, key);
        // A key that had to be hashed is not matched against the allow-list: its value never travels.
        const child = outKey === key ? node?.children.get(key) : undefined;
        const field = item === failed ? fixed(OMITTED.unsupported) : walk(item, depth + 1, child, childPath);
        // A "__proto__" field is summarized (budget, redactions) but not written: the event
        // schema's records drop that key, so the summary never carried it. `keys` still counts it.
        // Two keys can only meet here through a hashed key equal to a plain one: the later wins.
        if (outKey !== "__proto__") fields.set(outKey, field);
      }
      ancestors.delete(value);
      const names = [...fields.keys()];
      sortKeys(names);
      let members = "";
      for (const name of names) members += (members === "" ? "" : ",") + quotedKey(name) + ":" + (fields.get(name) ?? NULL_SUMMARY);
      return `{"fields":{${members}},"keys":${keys.length},"type":"object"}`;
    };

    let text: string;
    try {
      text = walk(args, 0, allow, "data.arguments");
    } catch {
      // Defence in depth: nothing above should throw, but a tool call must never fail because of us.
      text = OMITTED.unsupported;
    }
    return { text, redactions: entries.list() };
  }

  function summarizeArguments(kind: "tool" | "prompt", name: string, args: unknown, options?: SummaryOptions): { summary: ValueSummary; redactions: RedactionEntry[] } {
    const { text, redactions } = summarizeArgumentsText(kind, name, args, options);
    return { summary: JSON.parse(text) as ValueSummary, redactions };
  }

  function scanText(text: string, path: string, maxLength: number = policy.maxStringLength, options?: SummaryOptions): { text: string; redactions: RedactionEntry[] } {
    const entries = new Entries();
    const max = Number.isInteger(maxLength) && maxLength > 0 ? maxLength : policy.maxStringLength;
    const out = scanInto(typeof text === "string" ? text : "", String(path), max, entries, literalOf(options?.without));
    return { text: out, redactions: entries.list() };
  }

  function redactEvent<T>(event: T, options?: { minStringLength?: number }): ScannedEvent<T> {
    const entries = new Entries();
    // Set where the budget, not a text's own cap, decides what is left out or cut.
    let shortened = false;
    const floor = options?.minStringLength;
    const stringMax = typeof floor === "number" && Number.isInteger(floor) && floor > policy.maxStringLength ? Math.min(floor, SCHEMA_MAX_VALUE) : policy.maxStringLength;
    let budget = policy.maxEventBytes;
    // The objects being walked, outermost first: a stack, since entering and leaving nest. Searching
    // a few entries costs less than hashing every object into a Set.
    const ancestors: object[] = [];
    const dropped = Symbol("dropped");

    // A value's path is `base` plus `key` (none for array items, whose base is `path[*]`). It is
    // only needed to name an entry, and to pass on to children, so leaves that come out unchanged
    // (nearly all) never build it.
    const pathOf = (base: string, key: string | undefined): string => (key === undefined ? base : base === "" ? key : memoPath(base, key));

    const walk = (value: unknown, depth: number, base: string, key: string | undefined): unknown => {
      switch (typeof value) {
        case "string": {
          if (skipsScan(value)) {
            budget -= value.length + 4;
            return value;
          }
          const max = Math.max(0, Math.min(stringMax, budget));
          // A remembered clean text within the cap and the bytes left: scanInto would return it as is,
          // with no entry (one of escapes past the bytes left goes on to be cut below).
          const clean = value.length <= max ? cleanTexts.get(value) : undefined;
          if (clean !== undefined && clean <= budget) {
            budget -= clean + 4;
            return value;
          }
          const cuts = entries.truncations;
          const path = pathOf(base, key);
          let out = scanInto(value, path, max, entries);
          // Cut where the budget, not the text's own cap, set the length.
          if (max < stringMax && entries.truncations > cuts) shortened = true;
          let bytes = jsonBytesOf(out, cleanTexts);
          // The cap counts characters, the budget bytes of JSON: a text of escapes (`\u0001` is six
          // bytes) or of wide characters can take several times what is left.
          if (bytes > Math.max(0, budget)) {
            out = cutToJsonBytes(out, Math.max(0, budget));
            bytes = jsonBytes(out);
            if (entries.truncations === cuts) entries.add(path, "truncated");
            shortened = true;
          }
          budget -= bytes + 4;
          return out;
        }
        case "number":
          // Its JSON's length and a separator: a budget of bytes is spent as the JSON is.
          budget -= String(value).length + 1;
          if (Number.isFinite(value)) return value;
          entries.add(pathOf(base, key), "truncated");
          return dropped;
        case "boolean":
          budget -= 6;
          return value;
        case "undefined":
          return undefined;
        case "object":
          break;
        default:
          entries.add(pathOf(base, key), "truncated");
          return dropped;
      }
      if (value === null) {
        budget -= 4;
        return null;
      }
      const path = pathOf(base, key);
      if (ancestors.includes(value) || depth >= eventDepth) {
        entries.add(path, "truncated");
        return dropped;
      }
      if (isArray(value)) {
        const length = read(value, "length");
        if (typeof length !== "number") {
          entries.add(path, "truncated");
          return dropped;
        }
        ancestors.push(value);
        const out: unknown[] = [];
        const itemPath = `${path}[*]`;
        for (let i = 0; i < length; i++) {
          if (budget <= 0) {
            entries.add(path, "truncated");
            shortened = true;
            break;
          }
          const item = read(value, i);
          const cleaned = item === failed ? dropped : walk(item, depth + 1, itemPath, undefined);
          if (cleaned !== dropped) out.push(cleaned);
          // An undefined item (or a hole) travels as null, which walk did not charge.
          budget -= cleaned === undefined ? 5 : 1;
        }
        ancestors.pop();
        budget -= 2;
        return out;
      }
      const keys = isPlainObject(value) ? keysOf(value) : undefined;
      if (keys === undefined) {
        entries.add(path, "truncated");
        return dropped;
      }
      ancestors.push(value);
      const fields: Record<string, unknown> = {};
      for (const key of keys) {
        if (budget <= 0) {
          entries.add(path, "truncated");
          shortened = true;
          break;
        }
        // A remembered safe key (never longer than the schema allows) is kept as is: what safeKey returns.
        const known = safeKeys.get(key);
        const outKey = known !== undefined ? key : safeKey(key, path === "" ? "(event)" : path, entries);
        budget -= (known ?? jsonBytesOf(outKey, safeKeys)) + 4;
        const item = read(value, key);
        const cleaned = item === failed ? dropped : walk(item, depth + 1, path, outKey);
        // Own data properties, so a "__proto__" key stays data and never sets a prototype.
        if (cleaned !== dropped && cleaned !== undefined) defineField(fields, outKey, cleaned);
      }
      ancestors.pop();
      budget -= 2;
      return fields;
    };

    let cleaned: unknown;
    try {
      cleaned = walk(event, 0, "", undefined);
    } catch {
      cleaned = dropped;
    }
    if (cleaned === dropped) {
      entries.add("(event)", "truncated");
      cleaned = {};
    }
    // Same JSON shape as the input minus what was removed; the pipeline validates the result
    // against the event schemas before it lands, so the claim is checked where it matters.
    return { event: cleaned as T, redactions: entries.list(), shortened };
  }

  const redactor: Redactor = Object.freeze({
    policyVersion,
    policy,
    pseudonym,
    summarizeArguments,
    scanText,
    truncateIp: (address: string) => truncateIp(address),
    redactEvent,
  });
  compiled.add(redactor);
  const keys = keyringInputOf(keyring);
  if (keys === undefined) return redactor;
  redactorRecipes.set(redactor, { policy, keyring: keys });
  summaryTexts.set(redactor, (kind, name, args, options) => {
    const { text, redactions } = summarizeArgumentsText(kind, name, args, options);
    // Flat: it is copied into the event's texts (shared/chain.ts, flatten) rather than walked with them.
    const summary = new CanonicalText(flatten(text));
    vouched.add(summary);
    return { summary, redactions };
  });
  return redactor;
}

/** An argument summary as canonical JSON, vouched for by the redactor that wrote it. */
export type ArgumentSummaryText = (kind: "tool" | "prompt", name: string, args: unknown, options?: SummaryOptions) => { summary: CanonicalText; redactions: RedactionEntry[] };

const summaryTexts = new WeakMap<Redactor, ArgumentSummaryText>();
/** Every redactor compileRedactor made: their scanText takes `without` (see scansWithout). */
const compiled = new WeakSet<Redactor>();

/**
 * Whether `redactor` is one compileRedactor made, whose scanText takes `{ without }` out of what it
 * returns; any other object's may not. Internal to the SDK: not exported from the entry points.
 */
export function scansWithout(redactor: object): boolean {
  return compiled.has(redactor as Redactor);
}
/** The summaries compileRedactor's redactors wrote: only these skip the SDK's check (shared/sdk/validate.ts). */
const vouched = new WeakSet<CanonicalText>();

/**
 * summarizeArguments as canonical text, for a redactor from compileRedactor with a keyring from
 * createKeyring or loadKeyring; undefined for any other object. Internal to the SDK: not exported
 * from the entry points.
 */
export function argumentSummaryTextOf(redactor: object): ArgumentSummaryText | undefined {
  return summaryTexts.get(redactor as Redactor);
}

/** True only for a summary text that a redactor from compileRedactor wrote (never for one made elsewhere). */
export function isRedactorSummary(value: unknown): value is CanonicalText {
  return value instanceof CanonicalText && vouched.has(value);
}

/** What compileRedactor needs to build an identical redactor elsewhere in this process (the SDK's worker thread). */
export interface RedactorRecipe {
  policy: RedactionPolicy;
  keyring: { currentKeyId: string; keys: Record<string, Buffer> };
}

const redactorRecipes = new WeakMap<Redactor, RedactorRecipe>();

/**
 * The policy and key material of a redactor from compileRedactor, for rebuilding it on a worker
 * thread; undefined for any other object. Internal to the SDK: not exported from the entry points.
 */
export function redactorRecipeOf(redactor: object): RedactorRecipe | undefined {
  return redactorRecipes.get(redactor as Redactor);
}
