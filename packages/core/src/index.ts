export {
  assertSessionEnv,
  ENV_NAME_PATTERN,
  type EnvProblem,
  envNameForMessage,
  isForbiddenAgentEnv,
  sessionEnvDenial,
  sessionEnvProblems,
} from './agent-env-rules.js';
export {
  Budget,
  BudgetLimit,
  type BudgetReading,
  BudgetStatus,
  type BudgetUse,
  readBudget,
} from './budget.js';
export {
  type ChannelDispatcher,
  type ChannelDispatcherOptions,
  type ChannelHealth,
  ChannelSendError,
  type ChannelStatus,
  type OutboxChannel,
  startChannelDispatcher,
} from './channel-dispatcher.js';
export {
  type ChannelOutboxStore,
  createMemoryChannelOutbox,
  type OutboxItem,
  type OutboxOutcome,
  type OutboxState,
  type OutboxStats,
} from './channel-outbox.js';
export type {
  AgentDriver,
  AgentHandle,
  AgentInfo,
  AgentRestore,
  AgentResumeOptions,
  AgentSink,
  AgentStartOptions,
  ConversationPiece,
  ConversationRef,
  ConversationSnapshot,
  PermissionDecision,
  PermissionRequest,
  QuestionAnswer,
  QuestionRequest,
  SandboxSpec,
  TurnResult,
  TurnTokens,
} from './driver.js';
export { type Aegis, type CreateAegisOptions, createAegis } from './engine.js';
export {
  AegisError,
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  errorStatus,
  isAegisError,
} from './errors.js';
export type { EventListener } from './event-hub.js';
export {
  AegisEvent,
  type AgentEventBody,
  Decider,
  EVENT_DATA,
  EVENT_TYPES,
  type EventBody,
  type EventData,
  type EventDraft,
  type EventOf,
  type EventType,
  PlanEntry,
  StopReason,
} from './events.js';
export {
  createMemoryIdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyClaimResult,
  type IdempotencyRecord,
  type IdempotencyStore,
  type IdempotentResponse,
  idempotencyRecordHolds,
} from './idempotency-store.js';
export { JSON_MAX_DEPTH, jsonTextDepthExceeds, valueDepthExceeds } from './json-depth.js';
export { LinearRegex, linearRegexProblem, UnsupportedPatternError } from './linear-regex.js';
export type { PermissionPolicy, PermissionVerdict, QuestionReply } from './live-session.js';
export { createMemoryStore } from './memory-store.js';
export {
  BATCH_MAX,
  type BatchCreateItem,
  type BatchDeleteItem,
  type ItemError,
} from './orchestration/batch.js';
export { MEMORY_TTL_MAX_SEC, type MemoryService } from './orchestration/memory.js';
export { PIPELINE_MAX_STAGES, validateStageGraph } from './orchestration/pipeline-graph.js';
export type { CreatePipelineInput, PipelineService } from './orchestration/pipelines.js';
export type {
  MemoryEntryStore,
  PipelineRecord,
  PipelineSpec,
  PipelineStore,
  ResourceStores,
  TemplateStore,
} from './orchestration/resource-store.js';
export {
  MEMORY_VALUE_MAX_BYTES,
  MemoryEntry,
  MemoryKey,
  Pipeline,
  PipelineStage,
  PipelineStatus,
  ResourceName,
  SessionEnv,
  StageStatus,
  Template,
  TemplateInput,
  TemplateVariables,
} from './orchestration/schemas.js';
export {
  BUILT_IN_TEMPLATES,
  placeholders,
  renderPrompt,
  type TemplateService,
} from './orchestration/templates.js';
export { chooseOption, type PermissionAnswer } from './permission-queue.js';
/** `host:port/database` of a PostgreSQL URL (also in `@aegis/core/pg`), without loading the driver. */
export { describeUrl } from './pg/describe-url.js';
export {
  createRulePolicy,
  evaluateRules,
  globMatcher,
  globSource,
  globToRegExp,
  type RulePolicy,
  requestCommand,
  requestPaths,
  ruleMatches,
} from './policy.js';
export { REPLAY_MAX_CHARS, REPLAY_MAX_ENTRIES } from './replay.js';
export * from './routines/index.js';
export {
  AgentCommand,
  AgentExit,
  AgentMode,
  AgentSession,
  emptyUsage,
  isTerminal,
  PendingPermission,
  PendingQuestion,
  PermissionMode,
  PermissionOption,
  PermissionOptionKind,
  PolicyRule,
  PromptDelivery,
  QuestionField,
  QuestionOption,
  SandboxRequest,
  Session,
  SessionProblem,
  SessionSandbox,
  SessionStatus,
  TERMINAL_STATUSES,
  ToolContent,
  ToolKind,
  ToolLocation,
  ToolStatus,
  Usage,
} from './schemas.js';
export {
  API_KEY_ROLES,
  type ApiKeyPatch,
  type ApiKeyRecord,
  type ApiKeyRole,
  type ApiKeyState,
  type ApiKeyStore,
  type AuditBreak,
  type AuditDraft,
  type AuditHead,
  type AuditQuery,
  type AuditRecord,
  type AuditStore,
  type AuditVerification,
  canonicalAudit,
  canonicalJson,
  createMemoryApiKeyStore,
  createMemoryAuditStore,
  sha256Hex,
  verifyAuditChain,
} from './security-store.js';
export {
  SessionAction,
  SessionHealth,
  sessionActions,
  sessionHealth,
} from './session-health.js';
export { Actor, CreateSessionInput, SessionSpecInput } from './session-input.js';
export { sessionJson } from './session-json.js';
export {
  LatencyStats,
  latencyStats,
  SessionLatency,
  SessionMetrics,
  SessionSummary,
  sessionLatency,
  sessionMetrics,
  summarizeSession,
} from './session-metrics.js';
export type { CreateSessionResult, ListSessionsInput } from './sessions-api-types.js';
export { canApply, reduceStatus, TRANSITIONS } from './state-machine.js';
export type {
  AegisStore,
  ConversationStore,
  EventQuery,
  SessionQuery,
  StorePressure,
  StoreWrite,
  StoreWriteOptions,
  StoreWriteResult,
  TranscriptQuery,
} from './store.js';
export { CORE_TRACER_NAME, coreTracer, TraceAttr } from './tracing.js';
export { TranscriptEntry, type TranscriptEntryDraft, TranscriptPage, TranscriptRole } from './transcript.js';
export {
  aggregateUsage,
  costFromPrice,
  type ModelPrice,
  type PriceTable,
  priceFor,
  TurnUsage,
  UsageDimension,
  UsageGroup,
  type UsageQuery,
  type UsageRecord,
  type UsageStore,
} from './usage.js';
