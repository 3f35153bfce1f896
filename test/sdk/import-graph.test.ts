// The SDK entry point must stay small: nothing from functions/, dev/ or the Functions runtime.
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const ENTRY = resolve(ROOT, "shared/sdk/index.ts");
// The worker emitter's thread entry: started by URL, not imported, so it is a root of its own.
const WORKER_ENTRY = resolve(ROOT, "shared/sdk/worker.ts");

/** Runtime import specifiers of a module (type-only imports and exports are erased, so they do not count). */
export function runtimeSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;]*?)\bfrom\s*["']([^"']+)["']/g;
  for (const match of source.matchAll(statement)) {
    if (match[2] === undefined && match[4] !== undefined) specifiers.push(match[4]);
  }
  for (const match of source.matchAll(/(?:^|[;\n])\s*import\s*["']([^"']+)["']/g)) if (match[1] !== undefined) specifiers.push(match[1]);
  for (const match of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) if (match[1] !== undefined) specifiers.push(match[1]);
  return specifiers;
}

function graph(...entries: string[]): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeSpecifiers(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
        expect(existsSync(target), `${relative(ROOT, file)} imports missing ${specifier}`).toBe(true);
        pending.push(target);
      } else {
        packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier));
      }
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)), packages };
}

describe("SDK import graph", () => {
  it("parses runtime imports and ignores type-only ones", () => {
    const source = `import { a } from "./a.js";\nimport type { B } from "./b.js";\nexport { c } from "../c.js";\nexport type { D } from "d";\nimport "side-effect";\nconst x = await import("dyn");`;
    expect(runtimeSpecifiers(source)).toEqual(["./a.js", "../c.js", "side-effect", "dyn"]);
  });

  it("reaches nothing in functions/ or dev/ and no Functions package", () => {
    const { files, packages } = graph(ENTRY, WORKER_ENTRY);
    expect(files).toContain("shared/sdk/client.ts");
    expect(files).toContain("shared/sdk/worker.ts");
    expect(files).toContain("shared/sdk/instrument.ts");
    expect(files.filter((f) => f.startsWith("functions/") || f.startsWith("dev/") || f.startsWith("test/") || f.startsWith("bench/"))).toEqual([]);
    expect([...packages].filter((p) => p === "@azure/functions" || p.startsWith("@azure/functions"))).toEqual([]);
    expect([...packages].sort()).toEqual(["@azure/event-hubs", "node:buffer", "node:crypto", "node:fs", "node:module", "node:net", "node:os", "node:url", "node:v8", "node:worker_threads", "zod"]);
  });
});
