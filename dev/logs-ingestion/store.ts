// Where accepted rows land. In memory for tests (nothing to clean up); with a data directory,
// one NDJSON file per table so `npm start` users can `tail -f` or `jq` a table and rows survive
// a restart. Appends are synchronous so rows of concurrent uploads never interleave mid-line.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface RowStore {
  append(table: string, rows: readonly Record<string, unknown>[]): void;
  rows(table: string): Record<string, unknown>[];
}

export class MemoryRowStore implements RowStore {
  readonly #tables = new Map<string, Record<string, unknown>[]>();

  append(table: string, rows: readonly Record<string, unknown>[]): void {
    const stored = this.#tables.get(table) ?? [];
    for (const row of rows) stored.push(structuredClone(row));
    this.#tables.set(table, stored);
  }

  rows(table: string): Record<string, unknown>[] {
    return (this.#tables.get(table) ?? []).map((row) => structuredClone(row));
  }
}

export class NdjsonRowStore implements RowStore {
  readonly #dir: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.#dir = dir;
  }

  /** Table names were checked against `^[A-Za-z][A-Za-z0-9_]*$` when the DCR was loaded. */
  fileOf(table: string): string {
    return join(this.#dir, `${table}.ndjson`);
  }

  append(table: string, rows: readonly Record<string, unknown>[]): void {
    if (rows.length === 0) return;
    appendFileSync(this.fileOf(table), rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
  }

  rows(table: string): Record<string, unknown>[] {
    const file = this.fileOf(table);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line, index) => {
        const row: unknown = JSON.parse(line);
        if (typeof row !== "object" || row === null || Array.isArray(row)) {
          throw new Error(`${file}:${index + 1}: not a JSON object`);
        }
        return { ...row };
      });
  }
}
