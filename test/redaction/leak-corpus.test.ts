// Every planted secret, in every placement, through every redactor entry point: no needle survives.
import { describe, expect, it } from "vitest";
import { ValueSummarySchema } from "../../schemas/redaction.js";
import { LEAK_CORPUS, leakPlacements } from "../fixtures/leak-corpus.js";
import { redactor } from "./helpers.js";

const placements = leakPlacements();
const allowAll = redactor({ tools: { leak: { allow: ["query", "filter.deep.*.note", "tags.*", "uri", "blob", "*"] } } });
const summariesOnly = redactor();

function assertClean(output: unknown, needles: readonly string[]): void {
  const json = JSON.stringify(output);
  for (const needle of needles) expect(json, `needle ${JSON.stringify(needle.slice(0, 12))}… leaked`).not.toContain(needle);
}

describe("leak corpus", () => {
  it("has fake values only and needles that are present in their text", () => {
    expect(LEAK_CORPUS.length).toBeGreaterThanOrEqual(25);
    for (const entry of LEAK_CORPUS) {
      for (const needle of entry.needles) expect(needle.length).toBeGreaterThanOrEqual(6);
      // The first needle is planted literally; later ones may be decoded forms that must not appear either.
      expect(entry.text).toContain(entry.needles[0]);
    }
  });

  it.each(LEAK_CORPUS.map((entry) => [entry.name, entry] as const))("scanText reports %s as its kind", (_name, entry) => {
    const { redactions } = allowAll.scanText(entry.text, "p");
    expect(redactions.map((r) => r.kind)).toContain(entry.kind);
  });

  it.each(placements.map((p) => [`${p.entry.name} / ${p.where}`, p] as const))("%s", (_title, placement) => {
    const allowed = allowAll.summarizeArguments("tool", "leak", placement.args);
    expect(ValueSummarySchema.safeParse(allowed.summary).success).toBe(true);
    assertClean(allowed, placement.needles);

    const summarized = summariesOnly.summarizeArguments("tool", "leak", placement.args);
    assertClean(summarized, placement.needles);

    const scanned = allowAll.scanText(placement.text, "data.error.message", 1024);
    assertClean(scanned, placement.needles);
    expect(scanned.redactions.length).toBeGreaterThan(0);

    const event = allowAll.redactEvent({ type: "tool.called", data: { toolName: "leak", error: { type: "Error", message: placement.text }, extra: placement.args } });
    assertClean(event, placement.needles);
  });
});
