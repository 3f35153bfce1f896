import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../schemas/index.js";
import { receivedLink, verifyChain, type ChainObservation, type PartitionChainState } from "../../shared/normalize/index.js";
import { chain, rehash } from "./helpers.js";

const SEEN = "2026-01-02T03:04:05.678Z";

function observe(events: readonly AuditEvent[], firstSequenceNumber = 100): ChainObservation[] {
  return events.map((event, i) => {
    const link = receivedLink(event);
    if (link === undefined) throw new Error("test event without chain fields");
    return { link, event, sequenceNumber: firstSequenceNumber + i, seenAt: SEEN };
  });
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const events = chain("chain-a", 6);
const tampered = events.map((e, i) => (i === 3 ? { ...e, outcome: "failure" as const } : e));
// An attacker who also recomputes the hash of the changed event breaks the next link instead.
const rehashed = events.map((e, i) => (i === 3 ? rehash({ ...e, outcome: "failure" as const }) : e));
const restarted = [...events.slice(0, 3), ...chain("chain-a", 2, { instance: 2 })];

const cases: { name: string; input: AuditEvent[]; anomalies: Record<string, unknown>[] }[] = [
  { name: "in order", input: events, anomalies: [] },
  { name: "gap", input: [at(events, 0), at(events, 1), at(events, 4), at(events, 5)], anomalies: [{ kind: "chain_gap", expectedSeq: 2, observedSeq: 4 }] },
  { name: "reorder", input: [at(events, 0), at(events, 2), at(events, 1), at(events, 3)], anomalies: [{ kind: "chain_gap", expectedSeq: 1, observedSeq: 2 }, { kind: "chain_reorder", expectedSeq: 3, observedSeq: 1 }] },
  { name: "tampered content (hash mismatch)", input: tampered, anomalies: [{ kind: "chain_hash_mismatch", observedSeq: 3, reason: "hash" }] },
  { name: "tampered and re-hashed (link mismatch)", input: rehashed, anomalies: [{ kind: "chain_hash_mismatch", observedSeq: 4, reason: "prevHash" }] },
  { name: "restart at seq 0", input: restarted, anomalies: [{ kind: "chain_restart", previousSeq: 2, observedSeq: 0 }] },
];

describe("verifyChain", () => {
  it.each(cases)("$name", ({ input, anomalies }) => {
    const result = verifyChain({}, observe(input));
    expect(result.anomalies.map(({ eventId: _e, instanceId: _i, sequenceNumber: _s, ...rest }) => rest)).toEqual(anomalies);
    for (const anomaly of result.anomalies) expect(anomaly.instanceId).toBe("chain-a");
  });

  it("continues from stored state across batches, and reports a gap across the boundary", () => {
    const first = verifyChain({}, observe(events.slice(0, 2), 10));
    expect(first.anomalies).toEqual([]);
    const second = verifyChain(first.state, observe(events.slice(2), 12));
    expect(second.anomalies).toEqual([]);
    const gap = verifyChain(first.state, observe(events.slice(4), 12));
    expect(gap.anomalies).toMatchObject([{ kind: "chain_gap", expectedSeq: 2, observedSeq: 4 }]);
  });

  it("starts an unknown instance wherever it is (the pipeline may start after the instance)", () => {
    const result = verifyChain({}, observe(events.slice(3)));
    expect(result.anomalies).toEqual([]);
    expect(result.state["chain-a"]).toMatchObject({ seq: 5, hash: at(events, 5).hash });
  });

  it("ignores a redelivery of events it already verified", () => {
    const observed = observe(events.slice(0, 4));
    const first = verifyChain({}, observed);
    const again = verifyChain(first.state, observed);
    expect(again.anomalies).toEqual([]);
    expect(again.state).toEqual(first.state);
  });

  it("keeps instances apart", () => {
    const other = chain("chain-b", 3, { instance: 3 });
    const state: PartitionChainState = verifyChain({}, observe([at(events, 0), at(other, 0), at(events, 1), at(other, 1), at(other, 2)])).state;
    expect(Object.keys(state).sort()).toEqual(["chain-a", "chain-b"]);
    expect(state["chain-b"]?.seq).toBe(2);
  });
});
