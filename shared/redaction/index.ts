// Privacy redaction and pseudonymization, shared by the SDK (hot path) and the pipeline.
export { compileRedactor } from "./redactor.js";
export type { RedactionEntry, Redactor, ScannedEvent } from "./redactor.js";
export { DEFAULT_REDACTION_POLICY, MAX_EVENT_BYTES_LIMIT, RedactionPolicyError, RedactionPolicySchema, SCANNER_KINDS } from "./policy.js";
export type { RedactionPolicy, RedactionPolicyInput, ScannerKind } from "./policy.js";
export { KeyringError, MIN_KEY_BYTES, PSEUDONYM_PURPOSES, createKeyring, loadKeyring } from "./keyring.js";
export type { Keyring, KeyringInput, LoadKeyringOptions, PseudonymPurpose } from "./keyring.js";
export { truncateIp } from "./scanners.js";
