// Stage: per-instance hash-chain verification, on events exactly as received (before the
// pipeline re-redacts anything, which would change the bytes the producer hashed).
import { eventHash } from "../chain.js";
import type { ReceivedLink } from "./parse.js";

/** Where an instance's chain stands: its last seq and hash, and the Event Hubs position that carried it. */
export interface InstanceChainState {
  readonly seq: number;
  readonly hash: string;
  /** Event Hubs sequence number of that event, so a redelivered batch is not verified twice. */
  readonly sequenceNumber: number;
  /** Last time this instance was seen (ISO); lets stores forget instances that went away. */
  readonly seenAt: string;
}

/** The chain state of one Event Hubs partition: every instance whose key maps to it. */
export type PartitionChainState = Readonly<Record<string, InstanceChainState>>;

/** Which event showed it: instance, event id when known, and the Event Hubs sequence number that carried it. */
interface AnomalySubject {
  instanceId: string;
  eventId?: string;
  sequenceNumber: number;
}

export type ChainAnomaly = AnomalySubject &
  (
    | { kind: "chain_gap"; expectedSeq: number; observedSeq: number }
    | { kind: "chain_reorder"; expectedSeq: number; observedSeq: number }
    | { kind: "chain_hash_mismatch"; observedSeq: number; reason: "hash" | "prevHash" }
    | { kind: "chain_restart"; previousSeq: number; observedSeq: number }
  );

export interface ChainObservation {
  readonly link: ReceivedLink;
  /** The event as received; its hash is recomputed from it. */
  readonly event: object;
  /** eventHash(event), when the caller has computed it already. */
  readonly hash?: string | undefined;
  readonly sequenceNumber: number;
  readonly seenAt: string;
}

/**
 * Verifies events of one partition in arrival order against the stored state and returns the
 * new state and what was wrong. Pure: the caller loads and saves the state.
 *
 * - seq 0 after a known state: the instance restarted (its chain began again); not an error.
 * - seq beyond last+1: a gap (events lost between producer and here). The state moves on.
 * - seq at or below last: a reorder (or a replay by the producer); the state stays put so one
 *   late event does not turn every later event into a gap.
 * - a hash that does not recompute, or a prevHash that does not name the previous hash:
 *   tampering (or a producer bug). The claimed hash still becomes the state, so one tampered
 *   event costs one anomaly, not two.
 * - an instance never seen before starts wherever it is: the pipeline may start after it.
 */
export function verifyChain(state: PartitionChainState, observations: readonly ChainObservation[]): { state: PartitionChainState; anomalies: ChainAnomaly[] } {
  const next: Record<string, InstanceChainState> = { ...state };
  const anomalies: ChainAnomaly[] = [];
  for (const { link, event, hash, sequenceNumber, seenAt } of observations) {
    const previous = next[link.instanceId];
    // Already verified in an earlier delivery of the same events (crash before the checkpoint).
    if (previous !== undefined && sequenceNumber <= previous.sequenceNumber) continue;
    const hashOk = (hash ?? eventHash(event)) === link.hash;
    if (!hashOk) anomalies.push({ kind: "chain_hash_mismatch", ...subjectOf(link, sequenceNumber), observedSeq: link.seq, reason: "hash" });

    if (previous === undefined) {
      next[link.instanceId] = advanced(link, sequenceNumber, seenAt);
    } else if (link.seq === 0) {
      anomalies.push({ kind: "chain_restart", ...subjectOf(link, sequenceNumber), previousSeq: previous.seq, observedSeq: 0 });
      next[link.instanceId] = advanced(link, sequenceNumber, seenAt);
    } else if (link.seq === previous.seq + 1) {
      if (hashOk && link.prevHash !== previous.hash) anomalies.push({ kind: "chain_hash_mismatch", ...subjectOf(link, sequenceNumber), observedSeq: link.seq, reason: "prevHash" });
      next[link.instanceId] = advanced(link, sequenceNumber, seenAt);
    } else if (link.seq > previous.seq + 1) {
      anomalies.push({ kind: "chain_gap", ...subjectOf(link, sequenceNumber), expectedSeq: previous.seq + 1, observedSeq: link.seq });
      next[link.instanceId] = advanced(link, sequenceNumber, seenAt);
    } else {
      anomalies.push({ kind: "chain_reorder", ...subjectOf(link, sequenceNumber), expectedSeq: previous.seq + 1, observedSeq: link.seq });
      // Remember the position so a redelivery of this event is not reported again.
      next[link.instanceId] = { ...previous, sequenceNumber, seenAt };
    }
  }
  return { state: next, anomalies };
}

/** Which event an anomaly is about; built only when there is one. */
function subjectOf(link: ReceivedLink, sequenceNumber: number): AnomalySubject {
  return link.id === undefined ? { instanceId: link.instanceId, sequenceNumber } : { instanceId: link.instanceId, eventId: link.id, sequenceNumber };
}

/** The instance's state once this event is its latest. */
function advanced(link: ReceivedLink, sequenceNumber: number, seenAt: string): InstanceChainState {
  return { seq: link.seq, hash: link.hash, sequenceNumber, seenAt };
}
