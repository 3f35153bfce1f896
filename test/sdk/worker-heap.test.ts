// The worker's old-space floor: set only while a worker is being started, set back after, and
// never when the host chose its own.
import { describe, expect, it } from "vitest";
import { hostSetsOldSpaceFloor, withOldSpaceFloor, WORKER_OLD_SPACE_FLOOR_MB, type FloorHost } from "../../shared/sdk/worker-heap.js";

function host(execArgv: string[] = [], nodeOptions?: string): FloorHost & { calls: string[] } {
  const calls: string[] = [];
  return { execArgv, nodeOptions, calls, setFlags: (flags) => calls.push(flags) };
}

describe("worker old-space floor", () => {
  it("sets the floor for the start and puts V8's default back once the worker is online", () => {
    const h = host();
    const { value, started } = withOldSpaceFloor(() => "worker", h);
    expect(value).toBe("worker");
    expect(h.calls).toEqual([`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`]);
    started();
    started(); // online, then exit: the second call changes nothing
    expect(h.calls).toEqual([`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`, "--initial-old-space-size=0"]);
  });

  it("keeps the floor until the last of overlapping starts is online", () => {
    const h = host();
    const first = withOldSpaceFloor(() => 1, h);
    const second = withOldSpaceFloor(() => 2, h);
    first.started();
    expect(h.calls).toHaveLength(1);
    second.started();
    expect(h.calls).toEqual([`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`, "--initial-old-space-size=0"]);
  });

  it("puts the default back when starting the worker throws", () => {
    const h = host();
    expect(() =>
      withOldSpaceFloor(() => {
        throw new Error("no threads here");
      }, h),
    ).toThrow("no threads here");
    expect(h.calls).toEqual([`--initial-old-space-size=${WORKER_OLD_SPACE_FLOOR_MB}`, "--initial-old-space-size=0"]);
  });

  it("changes nothing when the host gives the flag itself", () => {
    for (const h of [host(["--initial-old-space-size=256"]), host([], "--max-old-space-size=4096 --initial_old_space_size=32"), host(["--initial-old-space-size", "8"])]) {
      const { started } = withOldSpaceFloor(() => undefined, h);
      started();
      expect(h.calls).toEqual([]);
    }
  });

  it("recognizes the flag's spellings and nothing else", () => {
    expect(hostSetsOldSpaceFloor(["--initial-old-space-size=64"], undefined)).toBe(true);
    expect(hostSetsOldSpaceFloor([], "--initial_old_space_size=64")).toBe(true);
    expect(hostSetsOldSpaceFloor(["--max-old-space-size=64", "--initial-old-space-size-x"], "--inspect")).toBe(false);
    expect(hostSetsOldSpaceFloor([], undefined)).toBe(false);
  });
});
