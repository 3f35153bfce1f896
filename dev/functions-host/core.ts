// Provides the `@azure/functions-core` module that `@azure/functions` requires at
// load time, so `app.http(...)`, `app.eventHub(...)` etc. register with this host
// instead of the library falling back to its "test mode" (where registrations are
// silently dropped). The real Node worker does the same by wrapping
// Module.prototype.require before it loads the app.
import Module from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { z } from "zod";

/** The subset of the worker's RpcTypedData this host produces or consumes. */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  int?: number | null;
  double?: number | null;
  http?: RpcHttpData | null;
  collectionString?: { string: string[] } | null;
  collectionBytes?: { bytes: Uint8Array[] } | null;
}

export interface RpcHttpCookie {
  name?: string;
  value?: string;
  domain?: { value?: string } | null;
  path?: { value?: string } | null;
  expires?: { value?: { seconds?: number } } | null;
  secure?: { value?: boolean } | null;
  httpOnly?: { value?: boolean } | null;
  sameSite?: string | number | null;
  maxAge?: { value?: number } | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  query?: Record<string, string> | null;
  params?: Record<string, string> | null;
  body?: RpcTypedData | null;
  statusCode?: string | null;
  cookies?: RpcHttpCookie[] | null;
}

const durationSchema = z.object({ seconds: z.number().optional(), nanos: z.number().optional() }).optional();

const bindingSchema = z.looseObject({
  type: z.string(),
  direction: z.string(),
  name: z.string().optional(),
});

/** What `@azure/functions` hands to `registerFunction` (toCoreFunctionMetadata). */
export const functionMetadataSchema = z.object({
  name: z.string().min(1),
  bindings: z.record(z.string(), bindingSchema),
  retryOptions: z
    .looseObject({
      retryStrategy: z.enum(["fixedDelay", "exponentialBackoff"]),
      maxRetryCount: z.number().int(),
      delayInterval: durationSchema,
      minimumInterval: durationSchema,
      maximumInterval: durationSchema,
    })
    .optional(),
});

export type FunctionMetadata = z.infer<typeof functionMetadataSchema>;
export type BindingInfo = z.infer<typeof bindingSchema>;
export type RetryOptions = NonNullable<FunctionMetadata["retryOptions"]>;
export type FunctionCallback = (...args: unknown[]) => unknown;

export interface RegisteredFunction {
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
}

export type RpcLogLevel = "trace" | "debug" | "information" | "warning" | "error" | "critical" | "none";

/** The invocation context the programming model reads (the worker's CoreInvocationContext). */
export interface CoreInvocationContext {
  invocationId: string;
  metadata: FunctionMetadata;
  request: {
    inputData: { name: string; data: RpcTypedData }[];
    triggerMetadata: Record<string, RpcTypedData>;
    retryContext?: { retryCount: number; maxRetryCount: number; exception?: { message?: string; source?: string; stackTrace?: string } };
  };
  state?: string;
  log(level: RpcLogLevel, category: "user" | "system", message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ returnValue?: RpcTypedData | null }>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type HookName = "appStart" | "appTerminate" | "preInvocation" | "postInvocation" | "log";
export type HookCallback = (context: Record<string, unknown>) => unknown;

function isProgrammingModel(value: unknown): value is ProgrammingModel {
  if (typeof value !== "object" || value === null) return false;
  return typeof Reflect.get(value, "getInvocationModel") === "function" && typeof Reflect.get(value, "getCapabilities") === "function";
}

/** Everything the app registered while it was loaded, plus the library's programming model. */
export interface AppRegistrations {
  readonly functions: readonly RegisteredFunction[];
  readonly hooks: ReadonlyMap<HookName, readonly HookCallback[]>;
  /** Set by the library on its first registration; absent for an app with no functions. */
  readonly programmingModel: ProgrammingModel | undefined;
}

// One capture per process: the library caches the core module (and only sets its
// programming model once), and ES modules are evaluated once, so a second load of the
// same entry would register nothing. Later hosts in the same process reuse the capture.
interface Capture {
  functions: RegisteredFunction[];
  hooks: Map<HookName, HookCallback[]>;
}
let programmingModel: ProgrammingModel | undefined;
let activeCapture: Capture | undefined;
const capturedByEntry = new Map<string, AppRegistrations>();
let systemLog: (level: RpcLogLevel, message: string) => void = () => undefined;

const HOOK_NAMES: readonly HookName[] = ["appStart", "appTerminate", "preInvocation", "postInvocation", "log"];

const coreApi = {
  // The worker exposes its version here; 4.16.x only feature-tests (e.g. for `log`) and
  // never reads it, so a plausible v3 worker version is enough.
  version: "3.12.0",
  setProgrammingModel(model: unknown): void {
    if (!isProgrammingModel(model)) throw new Error("functions-host: setProgrammingModel got something that is not a programming model");
    programmingModel = model;
  },
  getProgrammingModel(): ProgrammingModel | undefined {
    return programmingModel;
  },
  registerFunction(metadata: unknown, callback: unknown): { dispose(): void } {
    if (typeof callback !== "function") throw new Error("functions-host: registerFunction needs a callback");
    const parsed = functionMetadataSchema.parse(metadata);
    const capture = activeCapture;
    if (!capture) throw new Error(`functions-host: function "${parsed.name}" registered outside an app load`);
    if (capture.functions.some((f) => f.metadata.name.toLowerCase() === parsed.name.toLowerCase())) {
      throw new Error(`A function with the name "${parsed.name}" has already been registered.`);
    }
    const registered: RegisteredFunction = { metadata: parsed, callback: (...args: unknown[]): unknown => Reflect.apply(callback, undefined, args) };
    capture.functions.push(registered);
    return { dispose: () => removeFrom(capture.functions, registered) };
  },
  registerHook(hookName: unknown, callback: unknown): { dispose(): void } {
    const name = HOOK_NAMES.find((h) => h === hookName);
    if (!name) throw new RangeError(`Unrecognized hook "${String(hookName)}"`);
    if (typeof callback !== "function") throw new Error("functions-host: registerHook needs a callback");
    const capture = activeCapture;
    if (!capture) throw new Error(`functions-host: hook "${name}" registered outside an app load`);
    const hook: HookCallback = (context) => Reflect.apply(callback, undefined, [context]);
    const list = capture.hooks.get(name) ?? [];
    list.push(hook);
    capture.hooks.set(name, list);
    return { dispose: () => removeFrom(list, hook) };
  },
  log(level: RpcLogLevel, _category: string, message: string): void {
    systemLog(level, message);
  },
};

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

let requireWrapped = false;
function provideCoreModule(): void {
  if (requireWrapped) return;
  requireWrapped = true;
  const original = Module.prototype.require;
  // A plain function (not an arrow) because Node calls require with the requiring module as `this`.
  function requireWithCore(this: NodeJS.Module, id: string): unknown {
    if (id === "@azure/functions-core") return coreApi;
    return original.call(this, id);
  }
  // Module.prototype.require is typed as NodeJS.Require, which also carries resolve/cache;
  // the loader only ever calls it, so copying those members from the original keeps the shape.
  Module.prototype.require = Object.assign(requireWithCore, original);
}

/** Routes the library's own system logs (warnings etc.) to the host logger. */
export function setSystemLogger(logger: (level: RpcLogLevel, message: string) => void): void {
  systemLog = logger;
}

/** Loads the app entry (TS under tsx/vitest, or compiled JS) and returns what it registered. */
export async function loadApp(appEntry: string): Promise<AppRegistrations> {
  const resolved = path.resolve(appEntry);
  const known = capturedByEntry.get(resolved);
  if (known) return known;
  if (activeCapture) throw new Error("functions-host: apps must be loaded one at a time");
  provideCoreModule();
  const capture: Capture = { functions: [], hooks: new Map() };
  activeCapture = capture;
  try {
    await import(pathToFileURL(resolved).href);
  } finally {
    activeCapture = undefined;
  }
  const registrations: AppRegistrations = { functions: capture.functions, hooks: capture.hooks, programmingModel };
  capturedByEntry.set(resolved, registrations);
  return registrations;
}
