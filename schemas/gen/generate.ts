// `npm run gen`: writes every generated artifact and removes stale ones in generated folders.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateArtifacts } from "./artifacts.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const GENERATED_DIRS = ["schemas/generated", "infra/generated"];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat();
}

const files = generateArtifacts();
for (const dir of GENERATED_DIRS) {
  for (const file of await listFiles(path.join(repoRoot, dir))) {
    const rel = path.relative(repoRoot, file).split(path.sep).join("/");
    if (!files.has(rel)) {
      await rm(file);
      console.log(`removed ${rel}`);
    }
  }
}
for (const [rel, content] of files) {
  const target = path.join(repoRoot, rel);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
}
console.log(`wrote ${files.size} generated files`);
