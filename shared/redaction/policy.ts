// The redaction policy: a typed object validated once, before any redactor exists. A bad policy
// fails at start-up with the path of the bad entry, never at the first tool call.
import { z } from "zod";
import { REDACTION_KINDS } from "../../schemas/redaction.js";
import { sha256Hex } from "../chain.js";

/** Kinds a scanner produces (the rest — argument_value, key, truncated — are structural). */
export const SCANNER_KINDS = REDACTION_KINDS.filter((kind) => kind !== "argument_value" && kind !== "key" && kind !== "truncated");
export type ScannerKind = (typeof SCANNER_KINDS)[number];

/** Dotted path into a tool's arguments; `*` stands for any array item. No empty segments. */
const FIELD_PATH = /^(?:\*|[^.*\s]+)(?:\.(?:\*|[^.*\s]+))*$/;

const FieldPathSchema = z.string().max(256, { message: "must be at most 256 characters" }).regex(FIELD_PATH, { message: "must be a dotted field path (e.g. query, filter.city, items.*.name)" });

const AllowListSchema = z.strictObject({
  allow: z.array(FieldPathSchema).max(256, { message: "must list at most 256 paths" }),
});

const int = (min: number, max: number) => z.number({ message: `must be an integer from ${min} to ${max}` }).int({ message: `must be an integer from ${min} to ${max}` }).min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` });

/** Event Hubs rejects events over 1 MiB; 900 KiB leaves room for the envelope and AMQP framing. */
export const MAX_EVENT_BYTES_LIMIT = 900 * 1024;

export const RedactionPolicySchema = z
  .strictObject({
    version: z.string().min(1).max(40).regex(/^[A-Za-z0-9._-]+$/, { message: "must be 1-40 letters, digits or . _ -" }).default("1"),
    maxStringLength: int(16, 4096).default(1024),
    maxDepth: int(1, 32).default(8),
    maxKeysPerObject: int(1, 256).default(64),
    maxArrayItems: int(0, 64).default(16),
    maxArgumentBytes: int(256, MAX_EVENT_BYTES_LIMIT).default(16 * 1024),
    maxEventBytes: int(1024, MAX_EVENT_BYTES_LIMIT).default(64 * 1024),
    hashValues: z.boolean({ message: "must be true or false" }).default(true),
    disabledScanners: z.array(z.enum(SCANNER_KINDS, { message: `must be one of ${SCANNER_KINDS.join(", ")}` })).default([]),
    tools: z.record(z.string().min(1, { message: "tool name must not be empty" }).max(128), AllowListSchema).default({}),
    prompts: z.record(z.string().min(1, { message: "prompt name must not be empty" }).max(128), AllowListSchema).default({}),
  })
  .refine((policy) => policy.maxArgumentBytes <= policy.maxEventBytes, { message: "must not exceed maxEventBytes", path: ["maxArgumentBytes"] });

export type RedactionPolicyInput = z.input<typeof RedactionPolicySchema>;
export type RedactionPolicy = z.output<typeof RedactionPolicySchema>;

/** Every option at its default: summaries only, no field allowed, all scanners on. */
export const DEFAULT_REDACTION_POLICY: RedactionPolicy = deepFreeze(RedactionPolicySchema.parse({}));

export class RedactionPolicyError extends Error {
  override readonly name = "RedactionPolicyError";
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a zod issue path the way a reader writes it: tools["search"].allow[1]. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  path.forEach((segment, index) => {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const name = String(segment);
      // Tool and prompt names are data, not option names: always bracketed and quoted.
      const isRecordKey = index === 1 && (path[0] === "tools" || path[0] === "prompts");
      out += !isRecordKey && IDENTIFIER.test(name) ? `${out === "" ? "" : "."}${name}` : `[${JSON.stringify(name.slice(0, 64))}]`;
    }
  });
  return out === "" ? "(policy)" : out;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.length === 0 ? "" : `${formatPath(issue.path)}.`;
    return issue.keys.map((key) => `${prefix}${IDENTIFIER.test(key) ? key : JSON.stringify(key.slice(0, 64))}: unknown option`).join("; ");
  }
  if (issue.code === "invalid_type" && issue.path.length === 0) return "(policy): must be an object";
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** The compiled redactor reads its policy on every call, so it must not change after compile. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function parsePolicy(input: unknown): RedactionPolicy {
  const result = RedactionPolicySchema.safeParse(input);
  if (!result.success) throw new RedactionPolicyError(`redaction policy: ${result.error.issues.map(describe).join("; ")}`);
  return deepFreeze(result.data);
}

/**
 * The version stamped on events: the author's version plus a digest of the whole normalized
 * policy, so two deployments with the same label but different allow-lists are told apart.
 */
export function policyVersionOf(policy: RedactionPolicy): string {
  const digest = sha256Hex(JSON.stringify(policy)).slice(0, 12);
  return `${policy.version}+${digest}`;
}

/** Compiled allow-list: a trie of path segments, walked alongside the value being summarized. */
export interface AllowNode {
  allowed: boolean;
  readonly children: Map<string, AllowNode>;
}

export function compileAllowList(paths: readonly string[]): AllowNode | undefined {
  if (paths.length === 0) return undefined;
  const root: AllowNode = { allowed: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path.split(".")) {
      let next = node.children.get(segment);
      if (next === undefined) {
        next = { allowed: false, children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.allowed = true;
  }
  return root;
}
