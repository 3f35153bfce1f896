// The worker emitter's heap: a floor under its old generation, so V8 does not mark it over and over.
//
// Left to V8's defaults, the worker's isolate (about 16 MB live: the Azure, AMQP and zod code it
// loads) gets an old-generation limit a little over twice that, and V8 starts incremental marking
// well below it. At a server's pace (bench: 1,000 tool calls a second in small groups) that was a
// full mark every 250-300 ms, and the concurrent marking on V8's helper threads cost more CPU per
// event than summarizing the arguments did. With a 64 MB floor, as `--initial-old-space-size=64`
// gives an isolate, it is one every second or so, and bench:sdk's paced line fell from 300 to 221
// µs of process CPU per event (figures in shared/sdk/README.md, Cost).
//
// Node cannot set this per worker (resourceLimits has maxima only), and V8 reads the flag when an
// isolate is created. So the flag is set just before the worker is started and set back once the
// worker is online: isolates made later in the host (its own workers) are not affected, beyond any
// made in that window. A host that gives the flag itself (command line or NODE_OPTIONS) keeps it,
// for every isolate, and nothing is changed.
import { setFlagsFromString } from "node:v8";

export const WORKER_OLD_SPACE_FLOOR_MB = 64;

const FLAG = "--initial-old-space-size";

/** True when the process was started with its own initial old-space size (either spelling). */
export function hostSetsOldSpaceFloor(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const given = (arg: string) => /^--initial[-_]old[-_]space[-_]size(=|$)/.test(arg);
  return execArgv.some(given) || (nodeOptions ?? "").split(/\s+/).some(given);
}

/** What the floor reads and changes: this process, or a stand-in in tests. */
export interface FloorHost {
  execArgv: readonly string[];
  nodeOptions: string | undefined;
  setFlags: (flags: string) => void;
}

const PROCESS: FloorHost = {
  get execArgv() {
    return process.execArgv;
  },
  get nodeOptions() {
    return process.env.NODE_OPTIONS;
  },
  setFlags: setFlagsFromString,
};

/** Workers being started with the floor set; the flag goes back when the last is online. */
let starting = 0;

/**
 * Runs `start` (which creates the worker) with the floor in force for the isolate it creates;
 * returns the function to call once that worker is online, has failed or has exited (idempotent).
 */
export function withOldSpaceFloor<T>(start: () => T, host: FloorHost = PROCESS): { value: T; started: () => void } {
  if (hostSetsOldSpaceFloor(host.execArgv, host.nodeOptions)) return { value: start(), started: () => undefined };
  const setFlags = host.setFlags;
  if (starting === 0) setFlags(`${FLAG}=${WORKER_OLD_SPACE_FLOOR_MB}`);
  starting++;
  let done = false;
  const started = (): void => {
    if (done) return;
    done = true;
    starting--;
    // 0 is V8's default: no floor.
    if (starting === 0) setFlags(`${FLAG}=0`);
  };
  try {
    return { value: start(), started };
  } catch (err) {
    started();
    throw err;
  }
}
