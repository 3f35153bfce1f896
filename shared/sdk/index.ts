// mcp-audit/sdk: the audit emitter and the instrumentation of @modelcontextprotocol/sdk servers.
export { createAuditClient, type AuditClient, type AuditClientMetrics, type AuditEventInput, type FlushResult } from "./client.js";
export { emitWithArguments, type ArgumentSource, type ArgumentSummarizer, type InvocationEventInput } from "./arguments.js";
export { AuditClientOptionsError, type AuditClientError, type AuditClientOptions } from "./options.js";
export { canonicalJson, eventHash, sealEvent, sha256Hex, verifyChain, type ChainBreak, type ChainLink } from "../chain.js";
export {
  instrument,
  toolDefinitionHash,
  InstrumentOptionsError,
  type AuditRedactor,
  type AuthFailureReason,
  type ClientAddressOption,
  type InstrumentOptions,
  type McpAudit,
  type RequestContext,
} from "./instrument.js";
export { estimateSessionId, type SessionIdPattern } from "./session-id.js";
export { SDK_VERSION } from "./version.js";
// Redaction and key loading, re-exported so a server needs only this entry point.
export {
  compileRedactor,
  createKeyring,
  loadKeyring,
  DEFAULT_REDACTION_POLICY,
  KeyringError,
  RedactionPolicyError,
  type Keyring,
  type RedactionPolicyInput,
  type Redactor,
} from "../redaction/index.js";
export { EnvSecretProvider, FileSecretProvider, KeyVaultSecretProvider, MissingSecretError, type SecretProvider } from "../secrets/index.js";
