// Fault injection, so tests and `npm start` can show throttling and outages being retried.
// One-shot faults form a queue taken in order by incoming authorized requests; faults with a
// probability stay in force until cleared and hit each request with that chance.

export interface FaultSpec {
  /** Answer with this status (400–599) instead of processing the request, e.g. 429, 500, 503. */
  readonly status?: number;
  /** Sent as `Retry-After` (whole seconds) with the status; what the client's throttling retry honours. */
  readonly retryAfterSeconds?: number;
  /** Wait this long before answering; without `status` the request is then processed normally. */
  readonly delayMs?: number;
  /** How many requests a queued fault applies to (default 1). Not allowed with `probability`. */
  readonly count?: number;
  /** Instead of queueing: each request meets this fault with this chance (0 < p ≤ 1) until cleared. */
  readonly probability?: number;
}

export interface FaultDecision {
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly delayMs?: number;
}

export class FaultPlan {
  readonly #queue: { spec: FaultSpec; remaining: number }[] = [];
  readonly #standing: FaultSpec[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  add(specs: readonly FaultSpec[]): void {
    // Validate all first: a bad spec must not leave half of a list queued.
    specs.forEach(validateFault);
    for (const spec of specs) {
      if (spec.probability !== undefined) this.#standing.push(spec);
      else this.#queue.push({ spec, remaining: spec.count ?? 1 });
    }
  }

  clear(): void {
    this.#queue.length = 0;
    this.#standing.length = 0;
  }

  /** The fault for the next request, if any; consumes one use of a queued fault. */
  next(): FaultDecision | undefined {
    const head = this.#queue[0];
    if (head) {
      head.remaining--;
      if (head.remaining <= 0) this.#queue.shift();
      return decision(head.spec);
    }
    const hit = this.#standing.find((spec) => this.#random() < (spec.probability ?? 0));
    return hit ? decision(hit) : undefined;
  }
}

function decision(spec: FaultSpec): FaultDecision {
  return {
    ...(spec.status === undefined ? {} : { status: spec.status }),
    ...(spec.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: spec.retryAfterSeconds }),
    ...(spec.delayMs === undefined ? {} : { delayMs: spec.delayMs }),
  };
}

export function validateFault(spec: FaultSpec): void {
  const shown = JSON.stringify(spec);
  if (spec.status === undefined && spec.delayMs === undefined) {
    throw new Error(`fault ${shown}: give a status, a delayMs, or both`);
  }
  if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)) {
    throw new Error(`fault ${shown}: status must be an integer from 400 to 599`);
  }
  if (spec.retryAfterSeconds !== undefined) {
    if (spec.status === undefined) throw new Error(`fault ${shown}: retryAfterSeconds needs a status`);
    if (!(Number.isInteger(spec.retryAfterSeconds) && spec.retryAfterSeconds >= 0)) {
      throw new Error(`fault ${shown}: retryAfterSeconds must be a non-negative integer (Retry-After carries whole seconds)`);
    }
  }
  if (spec.delayMs !== undefined && !(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) {
    throw new Error(`fault ${shown}: delayMs must be a non-negative number`);
  }
  if (spec.count !== undefined) {
    if (spec.probability !== undefined) throw new Error(`fault ${shown}: count and probability exclude each other`);
    if (!(Number.isInteger(spec.count) && spec.count >= 1)) throw new Error(`fault ${shown}: count must be a positive integer`);
  }
  if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) {
    throw new Error(`fault ${shown}: probability must be in (0, 1]`);
  }
}

/**
 * Parses the text form used by `--fault` and LOGS_INGESTION_FAULTS: faults separated by ',',
 * each a list of ':'-separated parts; a bare number is the status, the rest are `key=value` with
 * keys status, retry-after, delay, count, probability. Example: `429:retry-after=1:count=2,500,delay=200:probability=0.1`.
 */
export function parseFaults(text: string): FaultSpec[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = {};
      for (const piece of part.split(":")) {
        const [key, value] = piece.includes("=") ? piece.split("=", 2) : ["status", piece];
        const n = Number(value);
        if (value === undefined || value.trim() === "" || Number.isNaN(n)) throw new Error(`fault '${part}': '${piece}' needs a number`);
        switch (key?.trim()) {
          case "status":
            spec.status = n;
            break;
          case "retry-after":
            spec.retryAfterSeconds = n;
            break;
          case "delay":
            spec.delayMs = n;
            break;
          case "count":
            spec.count = n;
            break;
          case "probability":
            spec.probability = n;
            break;
          default:
            throw new Error(`fault '${part}': unknown key '${key ?? ""}' (status, retry-after, delay, count, probability)`);
        }
      }
      validateFault(spec);
      return spec;
    });
}
