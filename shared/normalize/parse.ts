// Stage 1: turn an Event Hubs body, as the Functions worker hands it, into a validated audit
// event, or a permanent error whose reason names the field. Nothing here quotes a value: a body
// that failed validation may hold exactly the secret the SDK was meant to keep out.
import { fastParseAuditEvent } from "../../schemas/fast-parse.js";
import { checkedEventHasher } from "../chain.js";
import { describeIssues, parseAuditEvent } from "../../schemas/parse.js";
import type { AuditEvent } from "../../schemas/events.js";
import { PermanentError } from "./errors.js";

/** What the worker passes for one event: a parsed JSON value, a string, or bytes. */
export type EventBody = unknown;

export interface ParseLimits {
  /** Largest accepted event, in bytes of JSON (the SDK refuses bigger ones at the source). */
  readonly maxEventBytes: number;
  /** Deepest nesting accepted; far beyond any valid event, it stops stack-exhausting bodies. */
  readonly maxDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxEventBytes: 256 * 1024, maxDepth: 32 };

/** How the original bytes are kept in a dead-letter blob so replay can hand back the same body. */
export type BodyEncoding = "json" | "utf8" | "base64";

export interface DecodedBody {
  /** The body as a JSON value, when it is one. */
  readonly value: unknown;
  /** Size used for the cap: exact for strings and bytes, a close estimate for parsed objects. */
  readonly bytes: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes, string or parsed value → a JSON value. Throws PermanentError("parse") with the cause. */
export function decodeBody(body: EventBody, limits: ParseLimits = DEFAULT_PARSE_LIMITS): DecodedBody {
  let text: string;
  let bytes: number;
  if (body instanceof Uint8Array) {
    bytes = body.byteLength;
    checkSize(bytes, limits);
    try {
      text = utf8.decode(body);
    } catch {
      throw new PermanentError("parse", "body: not UTF-8 text (binary payload)");
    }
  } else if (typeof body === "string") {
    bytes = Buffer.byteLength(body, "utf8");
    checkSize(bytes, limits);
    text = body;
  } else {
    // Already parsed by the worker: measure while checking for hostile content later; a first
    // cheap bound here keeps a huge object from being walked twice.
    const estimate = estimateJsonBytes(body, limits.maxEventBytes);
    checkSize(estimate, limits);
    return { value: body, bytes: estimate };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Node's message may quote the text around the error; keep only the position.
    const message = error instanceof Error ? error.message : "";
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position !== undefined ? ` at position ${position}` : /end of JSON input/.test(message) ? " (ends early)" : "";
    throw new PermanentError("parse", `body: malformed JSON${where}`);
  }
  return { value, bytes };
}

function checkSize(bytes: number, limits: ParseLimits): void {
  if (bytes > limits.maxEventBytes) {
    throw new PermanentError("parse", `body: ${bytes} bytes exceeds the ${limits.maxEventBytes}-byte event cap`);
  }
}

/** JSON size of a parsed value, stopping early once past `stopAbove` (then any larger number). */
function estimateJsonBytes(value: unknown, stopAbove: number): number {
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
      // Keys and reads rather than Object.entries: no [key, value] array per member.
      const record = item as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        total += Buffer.byteLength(key, "utf8") + 4;
        stack.push(record[key]);
      }
    }
  }
  return total;
}

// Characters that have no business in an audit record and are used to hide or forge text in
// an analyst's view: C0/C1 controls other than tab/newline/return, and bidirectional overrides.
// Unpaired surrogates are matched too: they cannot be encoded as UTF-8 and would be mangled on upload.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HOSTILE_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Keys that reach Object.prototype through plain assignment in later stages or consumers.
const HOSTILE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Keys already found clean. Event keys repeat endlessly (field names, argument names), and
 * JSON.parse hands them out with their hash computed, so a lookup is cheaper than the two checks.
 * Bounded: argument names are caller-chosen; when full it is emptied and refills.
 */
const cleanKeys = new Set<string>();
const CLEAN_KEYS_MAX = 4096;

function isCleanKey(key: string): boolean {
  if (cleanKeys.has(key)) return true;
  if (HOSTILE_KEYS.has(key) || HOSTILE_CHARACTER.test(key)) return false;
  if (cleanKeys.size >= CLEAN_KEYS_MAX) cleanKeys.clear();
  cleanKeys.add(key);
  return true;
}

/**
 * Refuses values that would be dangerous downstream even if a schema accepted them: prototype
 * keys, control and bidi characters, unpaired surrogates (not encodable as UTF-8), runaway depth.
 */
export function checkHostile(value: unknown, limits: ParseLimits = DEFAULT_PARSE_LIMITS): void {
  // Nearly every event is clean: check without building a path per field, and only when
  // something is found walk again the same way, naming the field, to throw the same error.
  if (isClean(value, 0, limits.maxDepth)) return;
  walk(value, "", 0, limits.maxDepth);
}

/** The same checks as walk, in the same order, without paths; false when walk would throw. */
function isClean(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value === "string") return !HOSTILE_CHARACTER.test(value);
  if (value === null || typeof value !== "object") return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isClean(value[i], depth + 1, maxDepth)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!isCleanKey(key)) return false;
    if (!isClean(record[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

function walk(value: unknown, path: string, depth: number, maxDepth: number): void {
  if (typeof value === "string") {
    const match = HOSTILE_CHARACTER.exec(value);
    if (match) {
      const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      throw new PermanentError("validate", `${path || "(event)"}: contains control, bidirectional or unpaired surrogate character U+${code}`);
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (depth >= maxDepth) throw new PermanentError("validate", `${path || "(event)"}: nested deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, depth + 1, maxDepth);
    return;
  }
  for (const key of Object.keys(value)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    if (HOSTILE_KEYS.has(key)) throw new PermanentError("validate", `${childPath}: reserved key '${key}' is not allowed`);
    if (HOSTILE_CHARACTER.test(key)) throw new PermanentError("validate", `${path || "(event)"}: a key contains control, bidirectional or unpaired surrogate characters`);
    walk((value as Record<string, unknown>)[key], childPath, depth + 1, maxDepth);
  }
}

const MAX_REASON = 1000;

/**
 * Schema validation with the schema package's field-naming reasons, capped for blob and row sizes.
 * The compiled schema accepts valid events (same result as zod's parse); anything it does not
 * accept goes to parseAuditEvent, which decides and names the reasons.
 */
export function validateEvent(value: unknown, limits: ParseLimits = DEFAULT_PARSE_LIMITS): AuditEvent {
  checkHostile(value, limits);
  return validateCleanEvent(value);
}

/** validateEvent less the hostile-content walk, for a value a receivedHasher found clean. */
export function validateCleanEvent(value: unknown): AuditEvent {
  const accepted = fastParseAuditEvent(value);
  if (accepted !== undefined) return accepted;
  const result = parseAuditEvent(value);
  if (!result.ok) {
    const reason = describeIssues(result.issues);
    throw new PermanentError("validate", reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason);
  }
  return result.value;
}

// Everything HOSTILE_CHARACTER can match, and what JSON.stringify escapes: a string with none of
// these is clean and needs no escaping, which one test settles for nearly every string.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SUSPECT_CHARACTER = /["\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * The chain hash of a received event (eventHash), computed in the same walk as checkHostile's
 * checks: undefined when checkHostile would refuse the value (or it is an array), and then the
 * caller runs checkHostile, which names the problem, and hashes the usual way. One walk of the
 * event instead of two; test/normalize/received-hash.test.ts holds it to the two it replaces.
 */
export function receivedHasher(limits: ParseLimits = DEFAULT_PARSE_LIMITS): (value: object) => string | undefined {
  return checkedEventHasher({
    suspect: SUSPECT_CHARACTER,
    text: (text) => !HOSTILE_CHARACTER.test(text),
    key: (key) => !HOSTILE_KEYS.has(key) && !HOSTILE_CHARACTER.test(key),
    maxDepth: limits.maxDepth,
  });
}

/** The chain fields of an event as received, when it has them, valid or not otherwise. */
export interface ReceivedLink {
  readonly instanceId: string;
  readonly seq: number;
  readonly prevHash: string | null;
  readonly hash: string;
  readonly id: string | undefined;
}

/**
 * Reads the chain fields from any JSON object, before schema validation: an event dead-lettered
 * for its content is still a link of its instance's chain, and must not show up as a gap.
 */
export function receivedLink(value: unknown): ReceivedLink | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { server, seq, prevHash, hash, id } = value as Record<string, unknown>;
  const instanceId = server !== null && typeof server === "object" ? (server as Record<string, unknown>)["instanceId"] : undefined;
  if (typeof instanceId !== "string" || instanceId.length === 0 || instanceId.length > 128) return undefined;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  if (typeof hash !== "string" || (prevHash !== null && typeof prevHash !== "string")) return undefined;
  return { instanceId, seq, prevHash, hash, id: typeof id === "string" ? id : undefined };
}
