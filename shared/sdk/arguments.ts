// Emitting an invocation event from raw arguments: the summary is made by whoever does the
// emitter's work, so with the worker emitter the host's thread never summarizes or hashes values.
import type { z } from "zod";
import { EVENT_SCHEMAS } from "../../schemas/events.js";
import type { RedactionEntrySchema, ValueSummary } from "../../schemas/redaction.js";
import type { CanonicalText } from "../chain.js";
import { argumentSummaryTextOf, cut, holdsLiteral, joinPath, literalOf, MAX_PATH, type SummaryOptions } from "../redaction/redactor.js";
import { isCardNumberDigits } from "../redaction/scanners.js";
import type { AuditClient, AuditEventInput } from "./client.js";
import type { EventRedactor } from "./options.js";

type RedactionEntry = z.infer<typeof RedactionEntrySchema>;

/** What summarizes arguments (shared/redaction's `Redactor` and the instrumentation's `AuditRedactor` satisfy it). */
export interface ArgumentSummarizer {
  readonly policyVersion: string;
  /** `options.without`: a text that must not travel in the summary (the session's own id); see shared/redaction's summarizeArguments. */
  summarizeArguments(kind: "tool" | "prompt", name: string, args: unknown, options?: SummaryOptions): { summary: ValueSummary; redactions: RedactionEntry[] };
}

type WithoutArguments<E> = E extends { data: { arguments: unknown } } ? Omit<E, "data"> & { data: Omit<E["data"], "arguments"> } : never;

/** A tool.called or prompt.fetched input without `data.arguments`: those come from `ArgumentSource.args`. */
export type InvocationEventInput = WithoutArguments<Extract<AuditEventInput, { type: "tool.called" | "prompt.fetched" }>>;

export interface ArgumentSource {
  /** Which allow-list of the policy applies: `tools.<name>` or `prompts.<name>`. */
  kind: "tool" | "prompt";
  name: string;
  /** The arguments as received. Not kept past the call by the inline emitter; cloned by the worker emitter. */
  args: unknown;
  /** What the summary must not hold: the session's own id (given to the summarizer as `without`). */
  without?: string;
}

/**
 * Emitters that can summarize on their own thread implement this; returning false means "not
 * this summarizer" (one whose policy and key cannot be rebuilt there), and the caller summarizes.
 */
export const OFFLOAD_ARGUMENTS = Symbol("mcp-audit.offloadArguments");

export interface ArgumentOffload {
  [OFFLOAD_ARGUMENTS](summarizer: ArgumentSummarizer, event: InvocationEventInput, source: ArgumentSource): boolean;
}

/**
 * Emitters that hand events to another thread implement this: the events emitted while `run`
 * runs are handed over together when it returns (one message, one wake-up of that thread), instead
 * of each at its emit. Only for callers that build a fresh object for every event and never change
 * one after emitting it, since it is copied when `run` returns, not when it is emitted (the
 * instrumentation's batches of recordings). Anything else is handed over, copied, at its emit.
 */
export const HAND_OVER_TOGETHER = Symbol("mcp-audit.handOverTogether");

export interface HandOverTogether {
  [HAND_OVER_TOGETHER](run: () => void): void;
}

/** Runs `run`, with the events it emits to `audit` handed over together where the emitter can. */
export function handOverTogether(audit: AuditClient, run: () => void): void {
  const together = (audit as Partial<HandOverTogether>)[HAND_OVER_TOGETHER];
  if (typeof together === "function") together.call(audit, run);
  else run();
}

/**
 * Marks the emitter that seals a summary written as text (shared/sdk/client.ts's Emitter, which
 * the inline client is and the worker runs): any other AuditClient is given summaries as objects.
 */
export const SEALS_SUMMARY_TEXT = Symbol("mcp-audit.sealsSummaryText");

/**
 * The event with its summary in place: the summary's redactions first, then the event's own (at
 * most 256 in all). For `sealer` an emitter that seals summary text, a redactor from
 * compileRedactor writes the summary as its canonical JSON, which stands in `data.arguments` for
 * the summary it spells and is sealed as it is; otherwise the summary is the object.
 */
export function withArgumentSummary(event: InvocationEventInput, summarizer: ArgumentSummarizer, source: ArgumentSource, sealer: AuditClient): AuditEventInput {
  const asText = (sealer as Partial<Record<typeof SEALS_SUMMARY_TEXT, boolean>>)[SEALS_SUMMARY_TEXT] === true ? argumentSummaryTextOf(summarizer) : undefined;
  let summarized: { summary: ValueSummary | CanonicalText; redactions: RedactionEntry[] };
  try {
    const options = source.without !== undefined ? { without: source.without } : undefined;
    summarized = asText !== undefined ? asText(source.kind, source.name, source.args, options) : summarizer.summarizeArguments(source.kind, source.name, source.args, options);
    // A summarizer that is not compileRedactor's may not know `without` (one that wraps it and
    // passes three arguments on): its summary is searched, and one that holds the text does not travel.
    const literal = argumentSummaryTextOf(summarizer) === undefined ? literalOf(source.without) : undefined;
    if (literal !== undefined && holdsLiteral(literal, JSON.stringify(summarized.summary))) summarized = { summary: UNSUMMARIZED, redactions: [{ path: "data.arguments", kind: "api_token", count: 1 }] };
  } catch {
    // A summarizer that throws (one of the host's own making) must not lose the call: it is
    // recorded with its arguments marked as not summarized.
    summarized = { summary: UNSUMMARIZED, redactions: [] };
  }
  return withSummary(event, summarized.summary, summarized.redactions, summarizer.policyVersion);
}

/** What stands for arguments a summarizer failed on. */
const UNSUMMARIZED: ValueSummary = { type: "omitted", reason: "unsupported" };

/** The event with its arguments marked as not summarized: for where no summarizer is at hand. */
export function withoutArgumentSummary(event: InvocationEventInput, policyVersion: string): AuditEventInput {
  return withSummary(event, UNSUMMARIZED, [], policyVersion);
}

/** How many redaction entries an event may carry (the schema's bound). */
const MAX_APPLIED = 256;

/**
 * `entries` within the schema's bound: past it, the last place holds one `(more)` entry counting
 * what did not fit, as the redactor's own lists do, so the record says it is incomplete.
 */
export function withinEntryLimit(entries: RedactionEntry[]): RedactionEntry[] {
  if (entries.length <= MAX_APPLIED) return entries;
  const kept = entries.slice(0, MAX_APPLIED - 1);
  let more = 0;
  for (let i = MAX_APPLIED - 1; i < entries.length; i++) more += entries[i]?.count ?? 1;
  kept.push({ path: "(more)", kind: "truncated", count: more });
  return kept;
}

/** The event with `summary` as its arguments: the summary's redactions first, then the event's own (at most 256 in all, see withinEntryLimit). */
function withSummary(event: InvocationEventInput, summary: ValueSummary | CanonicalText, redactions: RedactionEntry[], policyVersion: string): AuditEventInput {
  const own = event.redaction?.applied ?? [];
  return {
    ...event,
    data: { ...event.data, arguments: summary },
    redaction: { policyVersion: event.redaction?.policyVersion ?? policyVersion, applied: withinEntryLimit([...redactions, ...own]) },
  } as AuditEventInput;
}

/**
 * Emits a tool.called or prompt.fetched event whose `data.arguments` is the redactor's summary of
 * `source.args`. The worker emitter summarizes on its thread when the redactor comes from
 * compileRedactor; otherwise the summary is made here. The event's own texts (a tool's name, an
 * error's message, …) are given as the caller built them: they are scanned first, with the
 * summarizer's `redactEvent` (compileRedactor's redactor has one) or else the client's `redactor`,
 * as the event would otherwise go out as it is under the summarizer's policy version. Never throws.
 */
export function emitWithArguments(audit: AuditClient, summarizer: ArgumentSummarizer, event: InvocationEventInput, source: ArgumentSource): void {
  const redactor = typeof (summarizer as Partial<EventRedactor>).redactEvent === "function" ? (summarizer as ArgumentSummarizer & EventRedactor) : (audit as Partial<ScansEvents>)[EVENT_REDACTOR];
  let scanned = event;
  try {
    if (redactor !== undefined) scanned = withOwnTextsRedacted(redactor, event);
  } catch (err) {
    // One that cannot be read (a getter that throws) is not sent unscanned: a getter may answer the
    // second time. One too large for the policy is reported as such.
    audit.emit(err instanceof EventTooLargeError ? standIn(err) : UNREADABLE_EVENT);
    return;
  }
  emitSummarized(audit, summarizer, scanned, source);
}

/**
 * Clients that scan what emit() is given without redaction facts implement this (the client's
 * `redactor` option); emitWithArguments scans with it when its summarizer cannot.
 */
export const EVENT_REDACTOR = Symbol("mcp-audit.eventRedactor");

export interface ScansEvents {
  readonly [EVENT_REDACTOR]: EventRedactor | undefined;
}

/**
 * Stands for an event emitWithArguments could not scan: reading its type throws `error`, so every
 * emitter rejects it and reports it (scanFailure: too large for the policy, else the error's class,
 * as for an event of the caller's whose getter throws).
 */
const standIn = (error: Error): AuditEventInput =>
  Object.defineProperty({}, "type", {
    enumerable: true,
    get(): never {
      throw error;
    },
  }) as AuditEventInput;
const UNREADABLE_EVENT = standIn(new TypeError("the event could not be read"));

/**
 * A number chosen by the other side that travels as it is (a JSON-RPC id, an error's code): an
 * integer, and not one with a payment card's digits, which the scanners would take out of text.
 */
export function plainInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && !isCardInteger(value) ? value : undefined;
}

/** Whether `value` is an integer with a payment card's digits (what plainInteger refuses for them). */
function isCardInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && isCardNumberDigits(String(Math.abs(value)));
}

/** `record` without `key`. */
function withoutKey(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}

/**
 * Where the scan of a whole event may cut a string, at the shortest: a policy's short
 * maxStringLength would otherwise cut an event's type, its enum values, names and ids, and the event
 * would be rejected. The instrumentation cuts each text at its field's own length likewise.
 */
const MIN_CUT = 128;

/** An event's fields whose schema leaves no room for free text: a pseudonym, a W3C traceparent. */
const FIXED_FORMAT_FIELDS = [
  ["actor", "userPseudonym"],
  ["auth", "tokenFingerprint"],
  ["mcp", "mcp.session.id"],
  ["data", "credentialFingerprint"],
  ["trace", "traceparent"],
] as const;

/** What a tool's or a prompt's name may not hold (the events' name schema); the instrumentation writes `_` instead. */
const NAME_CHARS_NOT_ALLOWED = /[^\p{L}\p{N}_.\-/:@ ]/gu;

/** The name schema's length, in UTF-16 units. */
const MAX_NAME = 128;

/**
 * `text` as the name schema takes it: characters it refuses written `_`, at most 128 UTF-16 units,
 * never ending in half a surrogate pair. (A scanned name's marker is written `_REDACTED:email_`.)
 */
export function nameText(text: string): string {
  return cut(text.replace(NAME_CHARS_NOT_ALLOWED, "_"), MAX_NAME);
}

/** A name, scanned: as nameText writes it (`lookup [REDACTED:email]` travels as `lookup _REDACTED:email_`). */
const asName = (value: unknown): unknown => (typeof value === "string" ? nameText(value) : value);

/**
 * The event with its texts scanned by `redactor.redactEvent` (none cut short of MIN_CUT), its
 * redactions added after those it carries; names stay names, and pseudonyms and the traceparent go
 * as given. One whose redaction facts are no list is returned as it is, to be counted and reported
 * as invalid. Throws what reading the event throws (a getter's error).
 */
export function withOwnTextsRedacted<E extends AuditEventInput | InvocationEventInput>(redactor: EventRedactor, event: E): E {
  const own: unknown = event.redaction?.applied;
  if (event.redaction !== undefined && !Array.isArray(own)) return event;
  const { event: redacted, redactions, shortened } = redactor.redactEvent({ ...event, redaction: undefined }, { minStringLength: MIN_CUT });
  const given = event as unknown as Record<string, Record<string, unknown> | undefined>;
  const out = { ...redacted } as unknown as Record<string, Record<string, unknown> | undefined>;
  const data = { ...out.data };
  if (typeof data.toolName === "string") data.toolName = asName(data.toolName);
  if (typeof data.promptName === "string") data.promptName = asName(data.promptName);
  if (Array.isArray(data.tools)) data.tools = data.tools.map((tool: unknown) => (typeof tool === "object" && tool !== null && "name" in tool ? { ...tool, name: asName(tool.name) } : tool));
  // Numbers are not scanned: an integer with a payment card's digits is left out, as the
  // instrumentation leaves it, and recorded. (A text code was scanned with the rest; any other
  // number is left for the schema to judge.)
  const taken: RedactionEntry[] = [];
  const error = data.error;
  if (typeof error === "object" && error !== null && "code" in error && isCardInteger(error.code)) {
    data.error = withoutKey(error as Record<string, unknown>, "code");
    taken.push({ path: "data.error.code", kind: "card_number", count: 1 });
  }
  if (out.data !== undefined) out.data = data;
  if (out.mcp !== undefined) {
    const mcp = { ...out.mcp };
    if (typeof mcp["gen_ai.tool.name"] === "string") mcp["gen_ai.tool.name"] = asName(mcp["gen_ai.tool.name"]);
    if (isCardInteger(mcp["jsonrpc.request.id"])) {
      delete mcp["jsonrpc.request.id"];
      taken.push({ path: joinPath("mcp", "jsonrpc.request.id"), kind: "card_number", count: 1 });
    }
    out.mcp = mcp;
  }
  // Fields whose schema leaves no room for free text (pseudonyms, a traceparent) go as they came,
  // and nothing is recorded as taken from them, unless the scan found something in one (a
  // "pseudonym" under another key id can be any 43 characters: `openai:sk-…`): that one stays as
  // the scan left it, for keepFieldRules to leave out.
  const restored = new Set<string>();
  for (const [part, field] of FIXED_FORMAT_FIELDS) {
    const path = joinPath(part, field);
    if (redactions.some((entry) => entry.path === path && entry.kind !== "truncated")) continue;
    // Not read again if reading it throws (a getter that answered only once).
    const value = valueAt(given, [part, field]);
    const target = out[part];
    if (value === undefined || target === undefined) continue;
    out[part] = { ...target, [field]: value };
    restored.add(path);
  }
  const found = [...(restored.size === 0 ? redactions : redactions.filter((entry) => !restored.has(entry.path))), ...taken];
  if (found.length > 0) keepFieldRules(out, event, found);
  if (shortened === true && sizeBroke(out, event)) throw new EventTooLargeError(out.type as unknown as string);
  return {
    ...(out as unknown as E),
    redaction: { policyVersion: event.redaction?.policyVersion ?? redactor.policyVersion, applied: withinEntryLimit([...((own as RedactionEntry[] | undefined) ?? []), ...found]) },
  };
}

/**
 * An event a server author built that is larger than the redaction policy's `maxEventBytes`, so
 * that what the scan could keep of it is not a whole event. The clients report it as
 * `event_too_large`, not as the missing or cut field the size left behind.
 */
export class EventTooLargeError extends Error {
  constructor(readonly eventType: string) {
    super(`${eventType}: larger than the redaction policy's maxEventBytes, and incomplete once cut to it`);
    this.name = "EventTooLargeError";
  }
}

/**
 * Whether a part an author gives (`GIVEN_PARTS`) of the scanned event `out` breaks its schema
 * where the size cut it: a field `given` has that `out` has not. A field the author gave wrong, or
 * left for the emitter to fill in (an argument summary), is not the size's doing: the emitter
 * reports it as it is. For an event of a known type only; any other is left to the emitter. Reads
 * `given` only at the paths of its issues.
 */
function sizeBroke(out: Record<string, unknown>, given: unknown): boolean {
  // keepFieldRules leaves out a text that a cut left outside its field's rules: a cut the event
  // cannot do without shows here as a field missing.
  return (givenPartIssues(out) ?? []).some((issue) => valueAt(given, issue.path) !== undefined && valueAt(out, issue.path) === undefined);
}

/**
 * What the schema of `event`'s type finds wrong with each part an author gives (`GIVEN_PARTS`), a
 * required one missing too, with paths from the event's root; undefined for a type it does not know.
 */
function givenPartIssues(event: Record<string, unknown>): z.core.$ZodIssue[] | undefined {
  const schema = SCHEMA_OF_TYPE.get(event.type);
  if (schema === undefined) return undefined;
  const shape = schema.shape as Record<string, z.ZodType | undefined>;
  return GIVEN_PARTS.flatMap((part) => {
    const partSchema = shape[part];
    return partSchema === undefined ? [] : issuesOf(partSchema, event[part]).map((issue) => ({ ...issue, path: [part, ...issue.path] }));
  });
}

/** Each event type's schema, by its `type`. */
const SCHEMA_OF_TYPE: ReadonlyMap<unknown, (typeof EVENT_SCHEMAS)[number]> = new Map(EVENT_SCHEMAS.map((schema) => [schema.shape.type.value, schema]));
/** The parts of an event a server author gives (the client stamps the rest), checked by keepFieldRules. */
const GIVEN_PARTS = ["actor", "auth", "mcp", "trace", "data"] as const;
/** Longer texts are never put back to be checked: every field with a format holds 512 characters at most. */
const MAX_FORMATTED_TEXT = 4096;

/**
 * Puts back within its field's rules each text the scan took out of them. A marker can be longer
 * than what it stands for (`[REDACTED:email]` for `a@b.co`), so a text the scan made longer than
 * its field allows (a detector's 64, a client version's 64) is cut back to that length; and a text
 * the scan wrote in characters its field refuses (a marker in a tenant id, a decoded space in a
 * scope) is left out, an array's item too, each with a `truncated` entry beside the scanner's.
 * (Every such field the schemas have outside arrays is optional: the required ones a marker would
 * break, ids, hashes and pseudonyms, are never scanned, and names are written as names.) A text the
 * author gave already outside its field's rules is left as it is, so the event is rejected and
 * reported as before. Only the parts an author gives are checked, each by its own schema, on the
 * scan's copy (bounded by the policy's event size); `out` is that copy, changed in place (copied
 * on the way down), and `given` is only read. Runs only when the scan found something, so a
 * clean event pays nothing for it.
 */
function keepFieldRules(out: Record<string, unknown>, given: unknown, entries: RedactionEntry[]): void {
  const issues = givenPartIssues(out);
  if (issues === undefined) return;
  const cuts: { path: readonly PropertyKey[]; text: string }[] = [];
  const broken = new Map<string, { path: readonly PropertyKey[]; original: string }>();
  // A part left out has no text to put back: its issue (at the part's own path) is passed over below.
  for (const issue of issues) {
    const scanned = valueAt(out, issue.path);
    const original = valueAt(given, issue.path);
    if (typeof scanned !== "string" || typeof original !== "string" || scanned === original) continue;
    if (issue.code === "too_big" && issue.origin === "string" && typeof issue.maximum === "number") {
      if (original.length <= issue.maximum) cuts.push({ path: issue.path, text: cut(scanned, Number(issue.maximum)) });
    } else if (original.length <= MAX_FORMATTED_TEXT) {
      broken.set(pathKey(issue.path), { path: issue.path, original });
    }
  }
  // Each object on the way to a change is copied once (a Set of the copies made), so many changes
  // cost what one walk of their paths does.
  const copies = new Set<object>();
  // The truncated entries by path: the scan's own (a cut there already says so) and this pass's,
  // which count each text cut or left out.
  const recorded = new Map<string, { entry: RedactionEntry; own: boolean }>();
  for (const entry of entries) if (entry.kind === "truncated") recorded.set(entry.path, { entry, own: false });
  const record = (path: readonly PropertyKey[]): void => {
    const at = entryPathOf(path);
    const seen = recorded.get(at);
    if (seen === undefined) {
      const entry: RedactionEntry = { path: at, kind: "truncated", count: 1 };
      recorded.set(at, { entry, own: true });
      entries.push(entry);
    } else if (seen.own) seen.entry.count++;
  };
  for (const { path, text } of cuts) {
    replaceAt(out, path, text, copies);
    record(path);
  }
  if (broken.size === 0) return;
  // Which of those texts broke their field's rules as the author gave them: the scan's copy with
  // each given text put back (a copy of the paths only), checked once.
  const probe = { ...out };
  const probeCopies = new Set<object>();
  for (const { path, original } of broken.values()) replaceAt(probe, path, original, probeCopies);
  const givenBroken = new Set((givenPartIssues(probe) ?? []).map((issue) => pathKey(issue.path)));
  // Left out: an array's items from the last, so the indexes of those before it still hold.
  for (const [key, { path }] of [...broken].reverse()) {
    if (givenBroken.has(key)) continue;
    replaceAt(out, path, undefined, copies);
    record(path);
  }
}

/** What `schema` finds wrong with `value`; none when reading it throws (a getter), which is then left to the emitter. */
function issuesOf(schema: z.ZodType, value: unknown): z.core.$ZodIssue[] {
  try {
    const result = schema.safeParse(value);
    return result.success ? [] : result.error.issues;
  } catch {
    return [];
  }
}

const pathKey = (path: readonly PropertyKey[]): string => JSON.stringify(path.map((key) => (typeof key === "symbol" ? String(key) : key)));

/** A path as the redactor's entries write it (`data.redirectHosts[*]`, `mcp["mcp.method.name"]`), cut to the schema's length. */
function entryPathOf(path: readonly PropertyKey[]): string {
  let at = "";
  for (const key of path) at = typeof key === "number" ? `${at}[*]` : at === "" ? String(key) : joinPath(at, String(key));
  return at.slice(0, MAX_PATH);
}

/**
 * Sets the value at `path` in `root`, or removes it (undefined; an array's item is spliced out),
 * copying each object on the way down that is not one of `copies` already (and adding the copy).
 */
function replaceAt(root: Record<string, unknown>, path: readonly PropertyKey[], value: unknown, copies: Set<object>): void {
  let parent: Record<PropertyKey, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const child = parent[key] as object;
    if (copies.has(child)) {
      parent = child as Record<PropertyKey, unknown>;
      continue;
    }
    const copy = Array.isArray(child) ? [...(child as unknown[])] : { ...(child as Record<PropertyKey, unknown>) };
    copies.add(copy);
    setOwn(parent, key, copy);
    parent = copy as Record<PropertyKey, unknown>;
  }
  const last = path[path.length - 1] as PropertyKey;
  if (value !== undefined) setOwn(parent, last, value);
  else if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else delete parent[last];
}

/** An own data property, so a `__proto__` key stays data. */
const setOwn = (target: object, key: PropertyKey, value: unknown): void => {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
};

/** The value at `path` in `root`, or undefined when there is none or reading it throws. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  try {
    for (const key of path) {
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<PropertyKey, unknown>)[key];
    }
  } catch {
    return undefined;
  }
  return value;
}

/**
 * What an audit client with a `redactor` sends for `event`: scanned when it carries no redaction
 * facts (one a server author built), as it is when it does (the instrumentation's, or one scanned
 * already). Throws what reading the event throws.
 */
export function scannedByClient(redactor: EventRedactor | undefined, event: AuditEventInput): AuditEventInput {
  return redactor === undefined || event.redaction !== undefined ? event : withOwnTextsRedacted(redactor, event);
}

/**
 * emitWithArguments for an event whose texts were scanned as it was built (the instrumentation's):
 * only the arguments are summarized.
 */
export function emitSummarized(audit: AuditClient, summarizer: ArgumentSummarizer, event: InvocationEventInput, source: ArgumentSource): void {
  let summarized: AuditEventInput;
  try {
    const offload = (audit as Partial<ArgumentOffload>)[OFFLOAD_ARGUMENTS];
    if (typeof offload === "function" && offload.call(audit, summarizer, event, source)) return;
    summarized = withArgumentSummary(event, summarizer, source, audit);
  } catch {
    // An event the summary cannot be put in (its redaction not a list): emitted as it is, so the
    // emitter counts it and reports it as invalid rather than it vanishing here.
    summarized = event as unknown as AuditEventInput;
  }
  audit.emit(summarized);
}
