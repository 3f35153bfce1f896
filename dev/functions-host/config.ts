// host.json and app settings, parsed once at start so bad configuration fails before
// any trigger starts listening, with a message that names the setting.
import { readFile } from "node:fs/promises";
import { z } from "zod";

/** Parses a host.json TimeSpan ("[d.]hh:mm:ss[.fff]") into milliseconds. */
export function parseTimeSpan(value: string, setting: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!m) throw new Error(`host.json ${setting}: "${value}" is not a TimeSpan (expected hh:mm:ss)`);
  const [, days, hours, minutes, seconds, fraction] = m;
  const ms =
    ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    Math.round(Number(`0.${fraction ?? "0"}`) * 1000);
  return ms;
}

const timeSpan = z.string();

const hostJsonSchema = z.looseObject({
  version: z.string().optional(),
  functionTimeout: timeSpan.optional(),
  extensions: z
    .looseObject({
      http: z.looseObject({ routePrefix: z.string().optional() }).optional(),
      eventHubs: z
        .looseObject({
          maxEventBatchSize: z.number().int().positive().optional(),
          minEventBatchSize: z.number().int().positive().optional(),
          maxWaitTime: timeSpan.optional(),
          batchCheckpointFrequency: z.number().int().positive().optional(),
          prefetchCount: z.number().int().nonnegative().optional(),
          initialOffsetOptions: z
            .looseObject({
              type: z.enum(["fromStart", "fromEnd", "fromEnqueuedTime"]).optional(),
              enqueuedTimeUtc: z.string().optional(),
            })
            .optional(),
        })
        .optional(),
      queues: z
        .looseObject({
          maxPollingInterval: timeSpan.optional(),
          visibilityTimeout: timeSpan.optional(),
          batchSize: z.number().int().min(1).max(32).optional(),
          maxDequeueCount: z.number().int().positive().optional(),
          messageEncoding: z.enum(["base64", "none"]).optional(),
        })
        .optional(),
    })
    .optional(),
});

export interface HostConfig {
  readonly routePrefix: string;
  readonly eventHubs: {
    readonly maxEventBatchSize: number;
    readonly batchCheckpointFrequency: number;
    readonly prefetchCount: number;
    readonly maxWaitTimeMs: number;
    readonly initialOffset: { type: "fromStart" } | { type: "fromEnd" } | { type: "fromEnqueuedTime"; enqueuedTimeUtc: Date };
  };
  readonly queues: {
    readonly maxPollingIntervalMs: number;
    readonly visibilityTimeoutMs: number;
    readonly batchSize: number;
    readonly maxDequeueCount: number;
    readonly messageEncoding: "base64" | "none";
  };
}

/** Reads host.json (or uses the host defaults when no path is given). */
export async function loadHostConfig(hostJsonPath: string | undefined): Promise<HostConfig> {
  let raw: unknown = {};
  if (hostJsonPath) {
    const text = await readFile(hostJsonPath, "utf8");
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new Error(`host.json ${hostJsonPath} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  const result = hostJsonSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`host.json ${issue ? issue.path.join(".") : ""}: ${issue?.message ?? result.error.message}`);
  }
  const eh = result.data.extensions?.eventHubs ?? {};
  const q = result.data.extensions?.queues ?? {};
  const offset = eh.initialOffsetOptions;
  let initialOffset: HostConfig["eventHubs"]["initialOffset"] = { type: "fromStart" };
  if (offset?.type === "fromEnd") initialOffset = { type: "fromEnd" };
  else if (offset?.type === "fromEnqueuedTime") {
    const at = new Date(offset.enqueuedTimeUtc ?? "");
    if (Number.isNaN(at.getTime())) {
      throw new Error("host.json extensions.eventHubs.initialOffsetOptions.enqueuedTimeUtc must be a date when type is fromEnqueuedTime");
    }
    initialOffset = { type: "fromEnqueuedTime", enqueuedTimeUtc: at };
  }
  return {
    routePrefix: (result.data.extensions?.http?.routePrefix ?? "api").replace(/^\/+|\/+$/g, ""),
    eventHubs: {
      maxEventBatchSize: eh.maxEventBatchSize ?? 100,
      batchCheckpointFrequency: eh.batchCheckpointFrequency ?? 1,
      prefetchCount: eh.prefetchCount ?? 300,
      maxWaitTimeMs: eh.maxWaitTime ? parseTimeSpan(eh.maxWaitTime, "extensions.eventHubs.maxWaitTime") : 60_000,
      initialOffset,
    },
    queues: {
      // The real default is one minute; locally a shorter ceiling keeps tests and demos snappy.
      maxPollingIntervalMs: q.maxPollingInterval ? parseTimeSpan(q.maxPollingInterval, "extensions.queues.maxPollingInterval") : 1_000,
      visibilityTimeoutMs: q.visibilityTimeout ? parseTimeSpan(q.visibilityTimeout, "extensions.queues.visibilityTimeout") : 0,
      batchSize: q.batchSize ?? 16,
      maxDequeueCount: q.maxDequeueCount ?? 5,
      messageEncoding: q.messageEncoding ?? "base64",
    },
  };
}

const localSettingsSchema = z.looseObject({
  IsEncrypted: z.boolean().optional(),
  Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** Reads the `Values` of a local.settings.json-style file. */
export async function readSettingsFile(file: string): Promise<Record<string, string>> {
  const parsed = localSettingsSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: expected { "Values": { "<name>": "<value>" } }: ${parsed.error.message}`);
  if (parsed.data.IsEncrypted) throw new Error(`${file}: encrypted settings files are not supported locally`);
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.data.Values ?? {})) values[k] = String(v);
  return values;
}

/**
 * App settings as the app sees them. Like Core Tools, file values go into
 * process.env only where the variable is not already set (the environment wins);
 * values passed explicitly to the host override both.
 */
export class AppSettings {
  private readonly restore = new Map<string, string | undefined>();

  constructor(fileValues: Record<string, string>, explicit: Record<string, string>) {
    for (const [k, v] of Object.entries(fileValues)) {
      if (process.env[k] === undefined) this.set(k, v);
    }
    for (const [k, v] of Object.entries(explicit)) this.set(k, v);
  }

  private set(name: string, value: string): void {
    if (!this.restore.has(name)) this.restore.set(name, process.env[name]);
    process.env[name] = value;
  }

  get(name: string): string | undefined {
    // Azure app settings are case-insensitive; on Linux env names are not, so fall back to a scan.
    const exact = process.env[name];
    if (exact !== undefined) return exact;
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(process.env)) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  /** Replaces every %NAME% with the app setting NAME; an unknown name is a start-up error. */
  resolve(value: string, where: string): string {
    return value.replace(/%([^%]+)%/g, (_all, name: string) => {
      const v = this.get(name);
      if (v === undefined) throw new Error(`${where}: app setting "${name}" (from %${name}%) is not set`);
      return v;
    });
  }

  /** Puts process.env back the way it was before this host started. */
  dispose(): void {
    for (const [k, v] of this.restore) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.restore.clear();
  }
}
