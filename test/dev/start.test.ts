// `npm start` must keep working for a newcomer: run its demo end to end and check what it says.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../dev/local-pipeline.js";

describe("npm start --once", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("runs the pipeline, lands the demo's events, keeps planted secrets out, and exits cleanly", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "mcp-audit-start-"));
    dirs.push(dataDir);
    const child = spawn(process.execPath, ["--import", "tsx", "dev/start.ts", "--once", "--data-dir", dataDir], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, output).toBe(0);
    expect(output).toMatch(/landed \d+ events in MCPAudit_CL/);
    expect(output).toMatch(/tool\.called\s+3/);
    expect(output).toContain("the planted token and email are nowhere in the landed rows");
    expect(output).toContain("stopping local services");
  }, 120_000);
});
