import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dataCollectionRule, generateArtifacts, tableColumns } from "../../schemas/gen/artifacts.js";
import { EVENT_TYPES, TABLE_SCHEMAS, type TableName } from "../../schemas/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(repoRoot, dir), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(`${dir}/${e.name}`) : [`${dir}/${e.name}`])));
  return nested.flat();
}

describe("generated artifacts", () => {
  const artifacts = generateArtifacts();

  it("are up to date: run `npm run gen` after changing a schema", async () => {
    const stale: string[] = [];
    for (const [rel, expected] of artifacts) {
      const actual = await readFile(path.join(repoRoot, rel), "utf8").catch(() => undefined);
      if (actual !== expected) stale.push(rel);
    }
    expect(stale, "stale generated files (run `npm run gen`)").toEqual([]);
  });

  it("leave no orphans in the generated folders", async () => {
    const present = [...(await listFiles("schemas/generated")), ...(await listFiles("infra/generated"))];
    expect(present.filter((f) => !artifacts.has(f))).toEqual([]);
  });

  it("are deterministic", () => {
    expect([...generateArtifacts()]).toEqual([...artifacts]);
  });

  it("include a JSON Schema for every event type", () => {
    for (const type of EVENT_TYPES) {
      const schema = JSON.parse(artifacts.get(`schemas/generated/json-schema/${type}.schema.json`) ?? "null") as { $defs?: Record<string, { properties?: Record<string, unknown> }> };
      expect(schema?.$defs?.[type]?.properties, type).toHaveProperty("data");
    }
  });
});

describe("table columns", () => {
  const tables = Object.keys(TABLE_SCHEMAS) as TableName[];
  const allowed = new Set(["string", "int", "long", "real", "boolean", "dynamic", "datetime"]);

  it.each(tables)("%s starts with TimeGenerated (datetime) and uses only DCR types", (table) => {
    const columns = tableColumns(table);
    expect(columns[0]).toMatchObject({ name: "TimeGenerated", type: "datetime" });
    for (const c of columns) {
      expect(allowed.has(c.type), `${table}.${c.name}: ${c.type}`).toBe(true);
      expect(c.name, "column names start with a letter").toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    }
    expect(new Set(columns.map((c) => c.name)).size).toBe(columns.length);
  });

  it("derives types from the row schemas", () => {
    const byName = Object.fromEntries(tableColumns("MCPAudit_CL").map((c) => [c.name, c.type]));
    expect(byName).toMatchObject({ EventId: "string", Seq: "long", DurationMs: "real", TokenExpiresAt: "datetime", AdditionalFields: "dynamic", TokenScopes: "dynamic" });
  });

  it("declares one Custom- stream and one data flow per table", () => {
    const dcr = dataCollectionRule().properties;
    expect(Object.keys(dcr.streamDeclarations).sort()).toEqual(tables.map((t) => `Custom-${t}`).sort());
    expect(dcr.dataFlows.map((f) => f.outputStream).sort()).toEqual(tables.map((t) => `Custom-${t}`).sort());
  });
});
