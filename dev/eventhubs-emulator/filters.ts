// Start positions: the selector-filter expression the client puts on a receiver's source,
// turned into the first sequence number to deliver.
import type { PartitionLog } from "./partition-log.js";
import { isRecord } from "./rhea-types.js";

const SELECTOR_FILTER = "apache.org:selector-filter:string";
const EXPRESSION = /^amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'$/;

export class FilterError extends Error {}

/** The expression from a source filter map, whether rhea left it described or unwrapped. */
export function selectorExpression(filter: unknown): string | undefined {
  if (!isRecord(filter)) return undefined;
  const entry: unknown = filter[SELECTOR_FILTER];
  if (typeof entry === "string") return entry;
  if (typeof entry === "object" && entry !== null && "value" in entry) {
    const value: unknown = entry.value;
    if (typeof value === "string") return value;
    if (typeof value === "object" && value !== null && "value" in value && typeof value.value === "string") return value.value;
  }
  return undefined;
}

/** First sequence number to deliver; without a filter the service starts at the earliest event. */
export function startSequenceNumber(expression: string | undefined, log: PartitionLog): number {
  if (expression === undefined) return log.beginSequenceNumber();
  const match = EXPRESSION.exec(expression.trim());
  if (!match) throw new FilterError(`unsupported selector filter: ${expression}`);
  const [, field, operator, value = ""] = match;
  const inclusive = operator === ">=";
  if (field === "offset") {
    if (value === "@latest") return log.endSequenceNumber();
    if (value === "-1") return log.beginSequenceNumber();
    return fromNumber(value, inclusive, "offset");
  }
  if (field === "sequence-number") return fromNumber(value, inclusive, "sequence number");
  const ms = Number(value);
  if (!Number.isFinite(ms)) throw new FilterError(`invalid enqueued time in filter: ${value}`);
  return log.firstEnqueuedAfter(inclusive ? ms - 1 : ms);
}

function fromNumber(value: string, inclusive: boolean, what: string): number {
  if (!/^-?\d+$/.test(value)) throw new FilterError(`invalid ${what} in filter: '${value}' (offsets of this emulator are sequence numbers)`);
  const n = Number(value);
  return inclusive ? n : n + 1;
}
