// Compiled fast paths for the schemas the normalize stage checks on every event: the audit
// event and the MCPAudit_CL row. zod compiles them (`z.compile`: straight-line code generated
// from the same schema objects, with zod's own checks, formats and output building); this file
// only arranges for that to be possible and fast.
//
// - `z.compile` refuses schemas with a reference cycle, and ValueSummary (argument summaries) is
//   recursive. So each ValueSummary reference is cut: it is replaced by a transform that calls
//   the compiled ValueSummary, whose own recursive references are cut the same way. Every level
//   of a summary is then checked and copied by zod-compiled code, one call per level.
// - Each event type is compiled on its own and chosen by its `type`, as the discriminated union
//   chooses: one compiled function for all eighteen types would be too large for V8 to optimize.
//
// Callers use these only to accept: `undefined` means "not vouched for", and the caller then asks
// the zod schema itself (parseAuditEvent, AuditRowSchema), whose answer and reasons are final.
// test/schemas/fast-parse.test.ts runs valid and invalid events through both and requires the
// same acceptance and the same output.
import { z } from "zod";
import { EVENT_SCHEMAS, type AuditEvent } from "./events.js";
import { ValueSummarySchema, type ValueSummary } from "./redaction.js";
import { AuditRowSchema, type AuditRow } from "./tables.js";

export type Parser<T> = (input: unknown) => T | undefined;

/** The parts of a zod definition the rewrite below reads; any other kind of schema is refused. */
interface RewritableDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly keyType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

/** Leaf kinds: they hold no schema that could be the one replaced. */
const LEAVES = new Set(["string", "number", "boolean", "null", "literal", "enum", "unknown", "never"]);

/**
 * `schema` with every occurrence of `target` replaced by `replacement`, other schemas shared.
 * A clone keeps its definition (checks, strictness, optionality) and changes only the child.
 * Kinds it does not know, a lazy among them, are refused: they could hide another cycle.
 */
function replaceSchema(schema: z.ZodType, target: z.ZodType, replacement: z.ZodType): z.ZodType {
  if (schema === target) return replacement;
  const def = schema._zod.def as unknown as RewritableDef;
  const swap = (child: z.ZodType | undefined): z.ZodType | undefined => (child === undefined ? undefined : replaceSchema(child, target, replacement));
  const cloneWith = (changes: Partial<RewritableDef>): z.ZodType => schema.clone({ ...def, ...changes } as unknown as typeof schema._zod.def);
  if (LEAVES.has(def.type)) return schema;
  switch (def.type) {
    case "optional":
    case "nullable": {
      const innerType = swap(def.innerType);
      return innerType === def.innerType ? schema : cloneWith({ innerType });
    }
    case "array": {
      const element = swap(def.element);
      return element === def.element ? schema : cloneWith({ element });
    }
    case "record": {
      const keyType = swap(def.keyType);
      const valueType = swap(def.valueType);
      return keyType === def.keyType && valueType === def.valueType ? schema : cloneWith({ keyType, valueType });
    }
    case "object": {
      const shape: Record<string, z.ZodType> = {};
      let changed = false;
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        shape[key] = replaceSchema(field, target, replacement);
        changed ||= shape[key] !== field;
      }
      const catchall = swap(def.catchall);
      return changed || catchall !== def.catchall ? cloneWith({ shape, catchall }) : schema;
    }
    case "union": {
      const options = (def.options ?? []).map((option) => replaceSchema(option, target, replacement));
      return options.every((option, i) => option === def.options?.[i]) ? schema : cloneWith({ options });
    }
    default:
      throw new Error(`schemas/fast-parse: cannot rewrite a '${def.type}' schema; extend replaceSchema or keep this schema off the fast path`);
  }
}

/**
 * A parser that answers only for what the compiled schema accepts. Compiled on first use (all of
 * them at once cost tens of milliseconds at start-up); a schema zod cannot compile, or this file
 * cannot rewrite, is never vouched for, so zod's own parser decides every such input.
 */
export function compiledParser<T>(build: () => z.ZodType<T>): Parser<T> {
  let parser: Parser<T> | undefined;
  return (input) => {
    if (parser === undefined) {
      try {
        const compiled = z.compile(build(), { strict: true });
        parser = (value) => {
          const result = compiled.safeParse(value);
          return result.success ? result.data : undefined;
        };
      } catch {
        parser = () => undefined;
      }
    }
    return parser(input);
  };
}

/** Stands in for each ValueSummary reference: the compiled ValueSummary, re-entered per level. */
const summaryCall = z.unknown().transform((value, ctx): ValueSummary => {
  const summary = parseSummary(value);
  if (summary !== undefined) return summary;
  ctx.issues.push({ code: "custom", message: "not a ValueSummary", input: value });
  return z.NEVER;
});

/** ValueSummary one level deep: the lazy's own schema, its references to ValueSummary cut. */
const parseSummary = compiledParser(() => {
  if (!(ValueSummarySchema instanceof z.ZodLazy)) throw new Error("schemas/fast-parse: ValueSummarySchema is expected to be a z.lazy");
  return replaceSchema((ValueSummarySchema as z.ZodLazy<z.ZodType<ValueSummary>>).unwrap(), ValueSummarySchema, summaryCall) as z.ZodType<ValueSummary>;
});

/** Compiled event schemas by their `type`, as AuditEventSchema's discriminator picks them. */
const EVENT_PARSERS = new Map<unknown, Parser<AuditEvent>>(
  EVENT_SCHEMAS.map((schema) => [schema.shape.type.value, compiledParser(() => replaceSchema(schema, ValueSummarySchema, summaryCall) as z.ZodType<AuditEvent>)]),
);

/**
 * The audit event exactly as AuditEventSchema would return it, or undefined when the compiled
 * path does not accept it (then parseAuditEvent decides and names the reasons).
 */
export function fastParseAuditEvent(input: unknown): AuditEvent | undefined {
  // The discriminated union's own first steps: an object (not an array), then its `type`.
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const parse = EVENT_PARSERS.get((input as { type?: unknown }).type);
  return parse === undefined ? undefined : parse(input);
}

/** The row exactly as AuditRowSchema would return it, or undefined (then AuditRowSchema decides). */
export const fastParseAuditRow: Parser<AuditRow> = compiledParser(() => AuditRowSchema);
