// Everything derived from the schemas, as a map of repository path → file content. Pure and
// deterministic: `npm run gen` writes it, and a test fails when a committed file differs.
import { z } from "zod";
import { ContainmentActionRecordSchema, ContainmentSnapshotSchema } from "../containment.js";
import { AuditEventSchema, EVENT_SCHEMAS } from "../events.js";
import { FindingSchema } from "../findings.js";
import { TABLE_SCHEMAS, streamNameFor, type TableName } from "../tables.js";

export type DcrColumnType = "string" | "int" | "long" | "real" | "boolean" | "dynamic" | "datetime";

export interface ColumnDefinition {
  name: string;
  type: DcrColumnType;
  description: string;
}

type JsonSchemaNode = { type?: string; format?: string; description?: string; properties?: Record<string, JsonSchemaNode>; required?: string[]; $ref?: string; $defs?: Record<string, JsonSchemaNode>; enum?: unknown[]; const?: unknown; anyOf?: JsonSchemaNode[] };

function toJsonSchema(schema: z.ZodType): JsonSchemaNode {
  return z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "any" }) as JsonSchemaNode;
}

/** Resolves the top-level `$ref` that schemas with an id produce. */
function root(node: JsonSchemaNode): JsonSchemaNode {
  const ref = node.$ref?.replace("#/$defs/", "");
  return (ref && node.$defs?.[ref]) || node;
}

function columnType(node: JsonSchemaNode): DcrColumnType {
  if (node.type === "string") return node.format === "date-time" ? "datetime" : "string";
  if (node.type === "integer") return "long";
  if (node.type === "number") return "real";
  if (node.type === "boolean") return "boolean";
  return "dynamic";
}

/** Columns of a custom table, in declaration order, derived from its row schema. */
export function tableColumns(table: TableName): ColumnDefinition[] {
  const schema = root(toJsonSchema(TABLE_SCHEMAS[table]));
  return Object.entries(schema.properties ?? {}).map(([name, node]) => ({ name, type: columnType(node), description: node.description ?? "" }));
}

const KUSTO_TYPES: Record<DcrColumnType, string> = { string: "string", int: "int", long: "long", real: "real", boolean: "bool", dynamic: "dynamic", datetime: "datetime" };
const TABLE_API_TYPES: Record<DcrColumnType, string> = { string: "string", int: "int", long: "long", real: "real", boolean: "boolean", dynamic: "dynamic", datetime: "dateTime" };

const TABLES = Object.keys(TABLE_SCHEMAS) as TableName[];

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The DCR body (properties only; Bicep adds the workspace destination's resource id). */
export function dataCollectionRule(): { properties: { streamDeclarations: Record<string, { columns: { name: string; type: DcrColumnType }[] }>; dataFlows: { streams: string[]; destinations: string[]; transformKql: string; outputStream: string }[] } } {
  return {
    properties: {
      streamDeclarations: Object.fromEntries(TABLES.map((t) => [streamNameFor(t), { columns: tableColumns(t).map(({ name, type }) => ({ name, type })) }])),
      dataFlows: TABLES.map((t) => ({ streams: [streamNameFor(t)], destinations: ["workspace"], transformKql: "source", outputStream: streamNameFor(t) })),
    },
  };
}

function eventCatalogue(): string {
  const lines = [
    "# Audit event catalogue",
    "",
    "Generated from `schemas/` by `npm run gen`; do not edit. Every event carries the envelope",
    "(id, time, outcome, severity, server, seq, prevHash, hash, actor, auth, mcp, trace, redaction)",
    "described in `schemas/envelope.ts`, plus the `data` below. JSON Schemas: `schemas/generated/json-schema/`.",
    "",
    "| type | what it records |",
    "|---|---|",
    ...EVENT_SCHEMAS.map((s) => `| [\`${s.shape.type.value}\`](#${s.shape.type.value.replace(/\./g, "")}) | ${s.description ?? ""} |`),
    "",
  ];
  for (const schema of EVENT_SCHEMAS) {
    const type = schema.shape.type.value;
    const data = root(toJsonSchema(schema.shape.data));
    const required = new Set(data.required ?? []);
    lines.push(`## ${type}`, "", schema.description ?? "", "", "| data field | type | required | description |", "|---|---|---|---|");
    for (const [name, node] of Object.entries(data.properties ?? {})) {
      const type = node.enum ? node.enum.map((v) => `\`${String(v)}\``).join(" \\| ") : (node.type ?? (node.$ref ? "object" : "any"));
      lines.push(`| \`${name}\` | ${type} | ${required.has(name) ? "yes" : "no"} | ${node.description ?? ""} |`);
    }
    lines.push("");
  }
  lines.push("## Tables", "");
  for (const table of TABLES) {
    lines.push(`### ${table}`, "", TABLE_SCHEMAS[table].description ?? "", "", "| column | type | description |", "|---|---|---|");
    for (const c of tableColumns(table)) lines.push(`| \`${c.name}\` | ${c.type} | ${c.description} |`);
    lines.push("");
  }
  return lines.join("\n");
}

export function generateArtifacts(): Map<string, string> {
  const files = new Map<string, string>();
  const jsonSchemaDir = "schemas/generated/json-schema";
  for (const schema of EVENT_SCHEMAS) files.set(`${jsonSchemaDir}/${schema.shape.type.value}.schema.json`, json(toJsonSchema(schema)));
  files.set(`${jsonSchemaDir}/audit-event.schema.json`, json(toJsonSchema(AuditEventSchema)));
  files.set(`${jsonSchemaDir}/finding.schema.json`, json(toJsonSchema(FindingSchema)));
  files.set(`${jsonSchemaDir}/containment-action.schema.json`, json(toJsonSchema(ContainmentActionRecordSchema)));
  files.set(`${jsonSchemaDir}/containment-snapshot.schema.json`, json(toJsonSchema(ContainmentSnapshotSchema)));
  for (const table of TABLES) {
    const columns = tableColumns(table).map((c) => ({ name: c.name, type: TABLE_API_TYPES[c.type], description: c.description }));
    files.set(`infra/generated/tables/${table}.json`, json({ properties: { schema: { name: table, description: TABLE_SCHEMAS[table].description ?? "", columns } } }));
  }
  files.set("infra/generated/dcr.json", json(dataCollectionRule()));
  files.set("infra/generated/kql-schema.json", json({ database: "mcp-audit", tables: TABLES.map((t) => ({ name: t, columns: tableColumns(t).map((c) => ({ name: c.name, type: KUSTO_TYPES[c.type] })) })) }));
  files.set("docs/events.md", eventCatalogue());
  return files;
}
