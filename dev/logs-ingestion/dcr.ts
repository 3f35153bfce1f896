// The data collection rule (DCR) the stand-in serves: parsed and checked once at start, so a
// broken DCR fails `npm start` with a message naming the offending field instead of failing
// every upload later.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";

const columnTypeSchema = z.enum(["string", "int", "long", "real", "boolean", "dynamic", "datetime"]);
export type ColumnType = z.infer<typeof columnTypeSchema>;

// Log Analytics column and table names: a letter first, then letters, digits and underscores.
const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;

// Loose objects on purpose: a real DCR resource carries location, kind, destinations, ids and
// more that the stand-in has no use for but must not reject.
const dcrSchema = z.looseObject({
  properties: z.looseObject({
    immutableId: z.string().regex(/^[A-Za-z0-9-]+$/, "must be letters, digits and '-'").optional(),
    streamDeclarations: z.record(
      z.string(),
      z.looseObject({
        columns: z
          .array(z.looseObject({ name: z.string().regex(identifier, "column names start with a letter"), type: columnTypeSchema }))
          .min(1),
      }),
    ),
    dataFlows: z
      .array(
        z.looseObject({
          streams: z.array(z.string()).min(1),
          destinations: z.array(z.string()).min(1),
          transformKql: z.string().optional(),
          outputStream: z.string().optional(),
        }),
      )
      .min(1),
  }),
});

/** A DCR resource as Azure returns it (or as infra/generated/dcr.json holds it). */
export type DcrDefinition = z.input<typeof dcrSchema>;

export interface StreamDefinition {
  readonly name: string;
  /** Declared columns in declaration order. */
  readonly columns: ReadonlyMap<string, ColumnType>;
  /** Log Analytics tables the stream's data flows write to. */
  readonly tables: readonly string[];
}

export interface CompiledDcr {
  readonly immutableId: string;
  readonly streams: ReadonlyMap<string, StreamDefinition>;
}

/** Reads a DCR from a JSON file or takes it as an object, validates it, and indexes it by stream. */
export function loadDcr(source: DcrDefinition | string): CompiledDcr {
  const where = typeof source === "string" ? `DCR file ${source}` : "DCR";
  const raw: unknown = typeof source === "string" ? readJson(source) : source;
  const parsed = dcrSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.map(String).join(".") : "";
    throw new Error(`${where}: ${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`);
  }
  const { properties } = parsed.data;

  const columnsByStream = new Map<string, Map<string, ColumnType>>();
  for (const [streamName, declaration] of Object.entries(properties.streamDeclarations)) {
    // Checked here rather than in the schema: zod reports a bad record key without saying why.
    if (!/^Custom-[A-Za-z][A-Za-z0-9_]*$/.test(streamName)) {
      throw new Error(`${where}: properties.streamDeclarations: '${streamName}' must be 'Custom-' followed by a name`);
    }
    const columns = new Map<string, ColumnType>();
    const seen = new Set<string>();
    for (const column of declaration.columns) {
      // Log Analytics column names are case-insensitive: two spellings would collide in the table.
      if (seen.has(column.name.toLowerCase())) {
        throw new Error(`${where}: properties.streamDeclarations.${streamName}: column '${column.name}' is declared twice`);
      }
      seen.add(column.name.toLowerCase());
      columns.set(column.name, column.type);
    }
    const timeGenerated = columns.get("TimeGenerated");
    if (timeGenerated !== undefined && timeGenerated !== "datetime") {
      throw new Error(`${where}: properties.streamDeclarations.${streamName}: TimeGenerated must be 'datetime', not '${timeGenerated}'`);
    }
    columnsByStream.set(streamName, columns);
  }

  const tablesByStream = new Map<string, string[]>();
  properties.dataFlows.forEach((flow, index) => {
    const at = `${where}: properties.dataFlows[${index}]`;
    const transform = (flow.transformKql ?? "source").trim();
    if (transform !== "source") {
      throw new Error(`${at}.transformKql: the stand-in runs no KQL; only 'source' is supported, got '${transform}'`);
    }
    for (const stream of flow.streams) {
      if (!columnsByStream.has(stream)) {
        throw new Error(`${at}.streams: '${stream}' is not in properties.streamDeclarations`);
      }
      const table = tableName(flow.outputStream ?? stream);
      if (table === undefined) {
        throw new Error(`${at}.outputStream: '${flow.outputStream ?? stream}' is not 'Custom-<Table>' or 'Microsoft-<Table>'`);
      }
      const tables = tablesByStream.get(stream) ?? [];
      if (!tables.includes(table)) tables.push(table);
      tablesByStream.set(stream, tables);
    }
  });

  const streams = new Map<string, StreamDefinition>();
  for (const [name, columns] of columnsByStream) {
    const tables = tablesByStream.get(name);
    // The real service would accept and discard such data; refusing at start says so plainly.
    if (!tables) throw new Error(`${where}: stream '${name}' is declared but no entry in properties.dataFlows sends it anywhere`);
    streams.set(name, { name, columns, tables });
  }

  return { immutableId: properties.immutableId ?? derivedImmutableId(raw), streams };
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`DCR file ${path}: cannot read it (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`DCR file ${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

// `Custom-MCPAudit_CL` → `MCPAudit_CL`; built-in tables arrive as `Microsoft-<Table>`.
function tableName(outputStream: string): string | undefined {
  const match = /^(?:Custom|Microsoft)-([A-Za-z][A-Za-z0-9_]*)$/.exec(outputStream);
  return match?.[1];
}

// Deterministic so a restarted `npm start` keeps the same ingestion URL for the same DCR.
function derivedImmutableId(raw: unknown): string {
  return `dcr-${createHash("sha256").update(JSON.stringify(raw)).digest("hex").slice(0, 32)}`;
}
