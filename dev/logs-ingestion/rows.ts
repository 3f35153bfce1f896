// Checks an upload body against a stream declaration and shapes the rows the table receives.
// Messages name the row, column and JSON type, never the value: rows carry audit data.
import type { ColumnType, StreamDefinition } from "./dcr.js";

export interface ApiErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export type RowsResult =
  | {
      readonly ok: true;
      readonly rows: Record<string, unknown>[];
      readonly droppedColumns: ReadonlyMap<string, number>;
      /** String values cut to MAX_STRING_BYTES, as Log Analytics does. */
      readonly truncatedValues: number;
    }
  | { readonly ok: false; readonly message: string; readonly target?: string; readonly details: readonly ApiErrorDetail[] };

// Enough to fix a batch without turning one bad field in 3000 rows into a megabyte of errors.
const MAX_DETAILS = 20;

/** Log Analytics truncates longer string values; uploads still succeed. */
export const MAX_STRING_BYTES = 64 * 1024;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
// ISO-8601 date or date-time; a missing offset means UTC, as in Log Analytics.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function checkRows(body: unknown, stream: StreamDefinition, arrivedAt: Date): RowsResult {
  if (!Array.isArray(body)) {
    return { ok: false, message: `The body must be a JSON array of objects, got ${jsonType(body)}`, details: [] };
  }
  const details: ApiErrorDetail[] = [];
  let problems = 0;
  const note = (row: number, column: string | undefined, message: string): void => {
    problems++;
    if (details.length < MAX_DETAILS) {
      details.push({ code: "InvalidColumnValue", message, ...(column === undefined ? {} : { target: `[${row}].${column}` }) });
    }
  };

  const rows: Record<string, unknown>[] = [];
  const droppedColumns = new Map<string, number>();
  let truncatedValues = 0;
  const fillTimeGenerated = !stream.columns.has("TimeGenerated");

  body.forEach((item: unknown, index) => {
    if (!isPlainObject(item)) {
      note(index, undefined, `Row ${index} must be a JSON object, got ${jsonType(item)}`);
      return;
    }
    const row: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(item)) {
      const type = stream.columns.get(name);
      if (type === undefined) {
        droppedColumns.set(name, (droppedColumns.get(name) ?? 0) + 1);
        continue;
      }
      if (value === null) {
        if (name === "TimeGenerated") note(index, name, `Row ${index}: column 'TimeGenerated' must not be null`);
        row[name] = null;
        continue;
      }
      if (!fitsType(value, type)) {
        note(index, name, `Row ${index}: column '${name}' is declared '${type}' but holds ${describe(value, type)}`);
        continue;
      }
      if (type === "string" && typeof value === "string" && Buffer.byteLength(value, "utf8") > MAX_STRING_BYTES) {
        truncatedValues++;
        row[name] = truncateUtf8(value, MAX_STRING_BYTES);
        continue;
      }
      row[name] = value;
    }
    if (fillTimeGenerated) {
      row["TimeGenerated"] = arrivedAt.toISOString();
    } else if (!("TimeGenerated" in item)) {
      note(index, "TimeGenerated", `Row ${index}: column 'TimeGenerated' is missing; the stream declares it and the table needs it`);
    }
    rows.push(row);
  });

  if (problems > 0) {
    const first = details[0];
    const more = problems > 1 ? ` (and ${problems - 1} more problem${problems > 2 ? "s" : ""})` : "";
    return {
      ok: false,
      message: `${first?.message ?? "Invalid rows"}${more}`,
      ...(first?.target === undefined ? {} : { target: first.target }),
      details,
    };
  }
  return { ok: true, rows, droppedColumns, truncatedValues };
}

function truncateUtf8(value: string, maxBytes: number): string {
  const bytes = Buffer.from(value, "utf8");
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so no character is cut in half.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

function fitsType(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "int":
      return Number.isInteger(value) && typeof value === "number" && value >= INT_MIN && value <= INT_MAX;
    case "long":
      return Number.isInteger(value);
    case "real":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "dynamic":
      return true;
    case "datetime":
      return typeof value === "string" && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
  }
}

function describe(value: unknown, type: ColumnType): string {
  if (type === "datetime" && typeof value === "string") return "a string that is not an ISO-8601 date-time";
  if (type === "int" && Number.isInteger(value)) return "an integer outside the 32-bit range";
  if ((type === "int" || type === "long") && typeof value === "number") return "a number with a fraction";
  return jsonType(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
