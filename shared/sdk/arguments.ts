// Emitting an invocation event from raw arguments: the summary is made by whoever does the
// emitter's work, so with the worker emitter the host's thread never summarizes or hashes values.
import type { z } from "zod";
import type { RedactionEntrySchema, ValueSummary } from "../../schemas/redaction.js";
import type { CanonicalText } from "../chain.js";
import { argumentSummaryTextOf } from "../redaction/redactor.js";
import type { AuditClient, AuditEventInput } from "./client.js";

type RedactionEntry = z.infer<typeof RedactionEntrySchema>;

/** What summarizes arguments (shared/redaction's `Redactor` and the instrumentation's `AuditRedactor` satisfy it). */
export interface ArgumentSummarizer {
  readonly policyVersion: string;
  summarizeArguments(kind: "tool" | "prompt", name: string, args: unknown): { summary: ValueSummary; redactions: RedactionEntry[] };
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
    summarized = asText !== undefined ? asText(source.kind, source.name, source.args) : summarizer.summarizeArguments(source.kind, source.name, source.args);
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

/** The event with `summary` as its arguments: the summary's redactions first, then the event's own (at most 256 in all). */
function withSummary(event: InvocationEventInput, summary: ValueSummary | CanonicalText, redactions: RedactionEntry[], policyVersion: string): AuditEventInput {
  const own = event.redaction?.applied ?? [];
  return {
    ...event,
    data: { ...event.data, arguments: summary },
    redaction: { policyVersion: event.redaction?.policyVersion ?? policyVersion, applied: [...redactions, ...own].slice(0, 256) },
  } as AuditEventInput;
}

/**
 * Emits a tool.called or prompt.fetched event whose `data.arguments` is the redactor's summary of
 * `source.args`. The worker emitter summarizes on its thread when the redactor comes from
 * compileRedactor; otherwise the summary is made here. Never throws.
 */
export function emitWithArguments(audit: AuditClient, summarizer: ArgumentSummarizer, event: InvocationEventInput, source: ArgumentSource): void {
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
