// Runs one invocation the way the Node worker does: the library's own programming
// model turns host-shaped (RPC) data into handler arguments and an InvocationContext
// from @azure/functions, so input conversion, triggerMetadata casing and HTTP
// request/response objects are the library's, not re-implemented here.
import { randomUUID } from "node:crypto";
import type {
  AppRegistrations,
  CoreInvocationContext,
  RegisteredFunction,
  RetryOptions,
  RpcLogLevel,
  RpcTypedData,
} from "./core.js";

export type HostLog = (line: string) => void;

export interface InvocationRequest {
  inputData: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  retryContext?: CoreInvocationContext["request"]["retryContext"];
}

export interface InvocationResult {
  readonly ok: boolean;
  readonly returnValue?: RpcTypedData | null;
  readonly error?: unknown;
}

export class Invoker {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly appHookData: Record<string, unknown> = {};

  constructor(
    private readonly app: AppRegistrations,
    private readonly log: HostLog,
  ) {}

  get pending(): number {
    return this.inFlight.size;
  }

  /** Runs a hook list (appStart/appTerminate) with the worker's hook context shape. */
  async runAppHook(name: "appStart" | "appTerminate", functionAppDirectory: string): Promise<void> {
    for (const hook of this.app.hooks.get(name) ?? []) {
      await hook({ hookData: this.appHookData, appHookData: this.appHookData, functionAppDirectory });
    }
  }

  /** Invokes once; never throws — a failed invocation is a result, as it is for the host. */
  invoke(fn: RegisteredFunction, request: InvocationRequest): Promise<InvocationResult> {
    const run = this.run(fn, request);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Waits until running invocations finish or the deadline passes; returns how many were left. */
  async drain(deadlineMs: number): Promise<number> {
    const end = Date.now() + deadlineMs;
    while (this.inFlight.size > 0 && Date.now() < end) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, end - Date.now())))),
      ]);
      clearTimeout(timer);
    }
    return this.inFlight.size;
  }

  private async run(fn: RegisteredFunction, request: InvocationRequest): Promise<InvocationResult> {
    const invocationId = randomUUID();
    const name = fn.metadata.name;
    const trigger = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === "in" && b.type.toLowerCase().endsWith("trigger"));
    if (!trigger) return { ok: false, error: new Error(`function ${name} has no trigger binding`) };
    const coreCtx: CoreInvocationContext = {
      invocationId,
      metadata: fn.metadata,
      request: {
        inputData: [{ name: trigger[0], data: request.inputData }],
        triggerMetadata: { ...request.triggerMetadata, sys: sysMetadata(name) },
        ...(request.retryContext ? { retryContext: request.retryContext } : {}),
      },
      state: "invocation",
      log: (level, category, message) => this.log(formatLog(level, category, name, invocationId, message)),
    };
    this.log(`Executing 'Functions.${name}' (Reason='${reasonFor(trigger[1].type)}', Id=${invocationId})`);
    const started = Date.now();
    try {
      const programmingModel = this.app.programmingModel;
      if (!programmingModel) throw new Error("@azure/functions never set its programming model");
      const model = programmingModel.getInvocationModel(coreCtx);
      const { context, inputs } = await model.getArguments();
      const hookData: Record<string, unknown> = {};
      const pre: Record<string, unknown> = { hookData, appHookData: this.appHookData, invocationContext: context, inputs, functionCallback: fn.callback };
      coreCtx.state = "preInvocationHooks";
      for (const hook of this.app.hooks.get("preInvocation") ?? []) await hook(pre);
      coreCtx.state = "invocation";
      // A preInvocation hook may swap the handler or its inputs, as in the worker.
      const swapped = pre.functionCallback;
      const callback = typeof swapped === "function" ? (...args: unknown[]): unknown => Reflect.apply(swapped, undefined, args) : fn.callback;
      const finalInputs = Array.isArray(pre.inputs) ? pre.inputs : inputs;

      let result: unknown;
      let error: unknown;
      let failed = false;
      try {
        result = await model.invokeFunction(context, finalInputs, callback);
      } catch (err) {
        failed = true;
        error = err;
      }
      const post: Record<string, unknown> = { hookData, appHookData: this.appHookData, invocationContext: context, inputs: finalInputs, result, error };
      coreCtx.state = "postInvocationHooks";
      for (const hook of this.app.hooks.get("postInvocation") ?? []) await hook(post);
      // A postInvocation hook may replace the result or clear/replace the error, as in the worker.
      if (post.error !== undefined && post.error !== null) throw post.error;
      if (failed && post.error === error) throw new Error(`function threw ${String(error)}`);
      const response = await model.getResponse(context, post.result);
      this.log(`Executed 'Functions.${name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`);
      return { ok: true, returnValue: response.returnValue ?? null };
    } catch (err) {
      this.log(`Executed 'Functions.${name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms) ${errorText(err)}`);
      return { ok: false, error: err };
    }
  }
}

function reasonFor(triggerType: string): string {
  switch (triggerType.toLowerCase()) {
    case "httptrigger":
      return "This function was programmatically called via the host APIs.";
    case "timertrigger":
      return "Timer fired";
    default:
      return "New messages detected";
  }
}

function sysMetadata(methodName: string): RpcTypedData {
  return { json: JSON.stringify({ MethodName: methodName, UtcNow: new Date().toISOString(), RandGuid: randomUUID() }) };
}

function formatLog(level: RpcLogLevel, category: string, fn: string, invocationId: string, message: string): string {
  const tag = category === "system" ? "system" : level;
  return `[${new Date().toISOString()}] ${tag} ${fn} (${invocationId}): ${message}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The exception as the host reports it to the next attempt's retryContext. */
export function toRpcException(err: unknown, functionName: string): { message: string; source: string; stackTrace?: string } {
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error ? err.stack : undefined;
  return { message, source: functionName, ...(stack ? { stackTrace: stack } : {}) };
}

/** Delay before retry number `retryCount` (1-based) under a function retry policy. */
export function retryDelayMs(policy: RetryOptions, retryCount: number): number {
  const ms = (d: { seconds?: number | undefined; nanos?: number | undefined } | undefined): number =>
    d ? (d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6) : 0;
  if (policy.retryStrategy === "fixedDelay") return ms(policy.delayInterval);
  const min = ms(policy.minimumInterval);
  const max = Math.max(min, ms(policy.maximumInterval));
  return Math.min(max, min * 2 ** Math.max(0, retryCount - 1));
}

/**
 * Runs an invocation under the function's retry policy (Event Hubs and timer triggers):
 * retry N sees retryContext.retryCount = N and the previous attempt's exception.
 * `stopping` ends the loop between attempts (shutdown).
 */
export async function invokeWithRetries(
  invoker: Invoker,
  fn: RegisteredFunction,
  request: Omit<InvocationRequest, "retryContext">,
  stopping: AbortSignal,
): Promise<InvocationResult> {
  const policy = fn.metadata.retryOptions;
  if (!policy) return invoker.invoke(fn, request);
  let retryCount = 0;
  let exception: ReturnType<typeof toRpcException> | undefined;
  for (;;) {
    const result = await invoker.invoke(fn, {
      ...request,
      retryContext: { retryCount, maxRetryCount: policy.maxRetryCount, ...(exception ? { exception } : {}) },
    });
    if (result.ok || stopping.aborted) return result;
    if (policy.maxRetryCount !== -1 && retryCount >= policy.maxRetryCount) return result;
    retryCount += 1;
    exception = toRpcException(result.error, fn.metadata.name);
    const aborted = await sleep(retryDelayMs(policy, retryCount), stopping);
    if (aborted) return result;
  }
}

/** Sleeps; resolves true if the signal fired first. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(false);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
